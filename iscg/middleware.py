"""Security middleware of the project."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils import timezone

from iscg.signals import SESSION_REFRESHED_KEY, SESSION_STARTED_KEY


class SessionIdleRefreshMiddleware:
    """Slides the 30-minute idle expiry, writing the session at most once a minute.

    Saving the session on every request (``SESSION_SAVE_EVERY_REQUEST``) costs a write and
    its transaction on every page. Here an active session is rewritten when its last
    refresh is a minute old or more, so the idle limit is between 29 and 30 minutes: never
    longer than the rule. Anonymous visitors without a session get none.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key and not session.is_empty():
            now = timezone.now().timestamp()
            refreshed = session.get(SESSION_REFRESHED_KEY, 0)
            if refreshed and now - refreshed > settings.SESSION_COOKIE_AGE:
                # Idle too long, whatever the store's own expiry (a cache keeps its own clock).
                session.flush()
            elif not 0 <= now - refreshed < settings.SESSION_IDLE_REFRESH_SECONDS:
                session[SESSION_REFRESHED_KEY] = now
        return self.get_response(request)


class AbsoluteSessionLifetimeMiddleware:
    """Ends an authenticated session 12 hours after login, however active it was."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            limit = settings.SESSION_ABSOLUTE_MAX_AGE.total_seconds()
            if started is None or timezone.now().timestamp() - started > limit:
                logout(request)
                messages.info(request, "Votre session a expiré : reconnectez-vous.")
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class NoStoreMiddleware:
    """Authenticated pages may show case data: never keep them in a browser or proxy cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response
