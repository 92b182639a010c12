"""Password reset forms rendered with the DSFR; the reset e-mail goes through the outbox."""

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.template import loader

from iscg.forms import DsfrForm
from outbox.services import outbox_enqueue


class PasswordResetRequestForm(DsfrForm, PasswordResetForm):
    def save(self, *args, **kwargs):
        # The link is built on the site's public address (SITE_URL), like every e-mail
        # link, never on the Host header of the request that asked for it.
        site = urlsplit(settings.SITE_URL)
        kwargs["domain_override"] = site.netloc + site.path.rstrip("/")
        kwargs["use_https"] = site.scheme == "https"
        return super().save(*args, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Written to the outbox (sent, retried and recorded there): an SMTP failure in
        the request lost the e-mail. Each request is its own event."""
        outbox_enqueue(
            event_key=f"password_reset:{uuid.uuid4().hex}",
            recipients=[to_email],
            subject=loader.render_to_string(subject_template_name, context),
            body=loader.render_to_string(email_template_name, context),
        )


class PasswordResetConfirmForm(DsfrForm, SetPasswordForm):
    pass
