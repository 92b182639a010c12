"""The project's URLs plus the bare reference view the benchmark compares every page with."""

from django.http import HttpResponse
from django.urls import include, path

from iscg.models import Department


def bare(request):
    """Login required (by the middleware), one query, a tiny response: the floor of a page."""
    return HttpResponse(f"{Department.objects.filter(code='01').count()}")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("iscg.urls")),
]
