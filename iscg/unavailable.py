"""The database unreachable for a moment (PostgreSQL restarting): a wait, never a 500.

While PostgreSQL restarts, every query fails with OperationalError, in a view or in a
middleware (the session, the user). A GET or HEAD is idempotent, and so is any request
whose connection could not even be opened (it ran no statement): they are tried again
for a few seconds, on a new connection, before the user is told anything. A POST that
lost its connection mid-way, or anything still failing, gets a 503 with ``Retry-After``
and a French page saying that nothing was recorded. Measured by ``make faults``
(faults/README.md).
"""

import sys
import time
import traceback

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

UNAVAILABLE = (OperationalError, InterfaceError)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _while_connecting(error) -> bool:
    """True when the error came from opening the connection: the request had run no
    statement at all (Django opens it at the request's first query and never reopens it
    within a request), so even a POST can be replayed without doing anything twice."""
    return any(
        frame.f_code.co_name == "get_new_connection"
        for frame, _line in traceback.walk_tb(error.__traceback__)
    )


RETRY_SECONDS = 6.0
FIRST_DELAY = 0.25
RETRY_AFTER = 10


def server_error(request):
    """handler500: the database's unavailability gets a 503 page that queries nothing."""
    error = sys.exc_info()[1]
    if not isinstance(error, UNAVAILABLE):
        return defaults.server_error(request)
    response = HttpResponse(
        loader.get_template("503.html").render({"method": request.method}), status=503
    )
    response["Retry-After"] = str(RETRY_AFTER)
    response.database_unavailable = True
    response.nothing_written = _while_connecting(error)
    return response


def _reset_connections() -> None:
    """The next query opens a new connection. (A connection inside an atomic block is
    a test's transaction: no request holds one here.)"""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


class DatabaseRetryMiddleware:
    """First of all middleware: a request that met an unreachable database is tried again
    when replaying it cannot do anything twice."""

    sleep = staticmethod(time.sleep)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        deadline = time.monotonic() + RETRY_SECONDS
        delay = FIRST_DELAY
        while self._replayable(request, response) and time.monotonic() < deadline:
            _reset_connections()
            self.sleep(delay)
            delay = min(delay * 2, 2.0)
            response = self.get_response(request)
        return response

    @staticmethod
    def _replayable(request, response) -> bool:
        if not getattr(response, "database_unavailable", False):
            return False
        return request.method in SAFE_METHODS or response.nothing_written
