"""Password reset forms rendered with the DSFR."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm

from iscg.forms import DsfrForm


class PasswordResetRequestForm(DsfrForm, PasswordResetForm):
    def save(self, *args, **kwargs):
        # The link is built on the site's public address (SITE_URL), like every e-mail
        # link, never on the Host header of the request that asked for it.
        site = urlsplit(settings.SITE_URL)
        kwargs["domain_override"] = site.netloc + site.path.rstrip("/")
        kwargs["use_https"] = site.scheme == "https"
        return super().save(*args, **kwargs)


class PasswordResetConfirmForm(DsfrForm, SetPasswordForm):
    pass
