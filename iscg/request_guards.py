"""Requests refused before any view: a NUL byte in the address or a form field.

PostgreSQL refuses NUL in text (``A string literal cannot contain NUL``): a NUL that
reached a query (a search box) or a stored row (the access log keeps the path of a
refused address) ended in a 500. No browser sends one from a typed form.
"""

from django.http import HttpResponseBadRequest

NUL = "\x00"
REFUSED = "Requête refusée : elle contient un caractère nul."


def _has_nul(query_dict) -> bool:
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in query_dict.lists()
    )


class NullByteRefusalMiddleware:
    """400 for a NUL byte in the path, the query string or a form field (not a file)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = NUL in request.path or _has_nul(request.GET)
        if (
            not refused
            and request.method == "POST"
            and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            refused = _has_nul(request.POST)
        if refused:
            return HttpResponseBadRequest(REFUSED, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
