"""E-mails to an account about its own access: invitation, second factor reset.

Written to the outbox in the event's transaction (nothing is sent for a write that was
rolled back) and sent, retried and recorded there: an SMTP failure no longer loses an
invitation. One message per event, to the account's own address only.
"""

import uuid

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from outbox.services import outbox_enqueue


def set_password_link(user) -> str:
    """A single-use link: the token is bound to the current password hash, so it stops
    working once a password is chosen (and after PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def send_account_mail(event: str, user, **context) -> None:
    context = {"user": user, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{event}_subject.txt", context).split())
    body = render_to_string(f"emails/{event}_body.txt", context)
    outbox_enqueue(
        event_key=f"{event}:{user.pk}:{uuid.uuid4().hex}",
        recipients=[user.email],
        subject=subject,
        body=body,
    )
