"""Session bookkeeping at login: the absolute lifetime starts here (see iscg.middleware)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

SESSION_STARTED_KEY = "iscg_auth_started_at"


@receiver(user_logged_in)
def mark_session_start(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = timezone.now().timestamp()
