"""Security middleware of the project."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils import timezone

from iscg.signals import SESSION_STARTED_KEY


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
