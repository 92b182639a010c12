"""The database unreachable for a moment (PostgreSQL restarting): a wait, never a 500.

While PostgreSQL restarts, every query fails with OperationalError, in a view or in a
middleware (the session, the user). A GET or HEAD is idempotent: it is tried again for a
few seconds, on a new connection, before the user is told anything. Anything else, or a
GET still failing, gets a 503 with ``Retry-After`` and a French page saying that nothing
was recorded. Measured with ``make faults`` (faults/README.md).
"""

import sys
import time

from django.db import InterfaceError, OperationalError, connections
from django.template import loader
from django.views import defaults

UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_SECONDS = 6.0
FIRST_DELAY = 0.25
RETRY_AFTER = 10


def server_error(request):
    """handler500: the database's unavailability gets a 503 page that queries nothing."""
    error = sys.exc_info()[1]
    if not isinstance(error, UNAVAILABLE):
        return defaults.server_error(request)
    from django.http import HttpResponse

    response = HttpResponse(
        loader.get_template("503.html").render({"method": request.method}), status=503
    )
    response["Retry-After"] = str(RETRY_AFTER)
    response.database_unavailable = True
    return response


def _reset_connections() -> None:
    for connection in connections.all(initialized_only=True):
        connection.close()


class DatabaseRetryMiddleware:
    """First of all middleware: a GET that met an unreachable database is tried again."""

    sleep = staticmethod(time.sleep)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return response
        deadline = time.monotonic() + RETRY_SECONDS
        delay = FIRST_DELAY
        while getattr(response, "database_unavailable", False) and time.monotonic() < deadline:
            _reset_connections()
            self.sleep(delay)
            delay = min(delay * 2, 2.0)
            response = self.get_response(request)
        return response
