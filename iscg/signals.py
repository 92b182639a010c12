"""Session bookkeeping at login: the absolute lifetime starts here (see iscg.middleware)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

SESSION_STARTED_KEY = "iscg_auth_started_at"
# When the idle expiry last slid (iscg.middleware.SessionIdleRefreshMiddleware).
SESSION_REFRESHED_KEY = "iscg_idle_refreshed_at"


@receiver(user_logged_in)
def mark_session_start(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session[SESSION_STARTED_KEY] = now
        request.session[SESSION_REFRESHED_KEY] = now
