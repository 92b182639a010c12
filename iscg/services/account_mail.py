"""E-mails to an account about its own access: invitation, second factor reset.

Sent once the transaction commits (nothing is sent for a write that was rolled back);
one message per event, to the account's own address only.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


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
    address = user.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [address]))
