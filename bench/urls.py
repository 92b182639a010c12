"""The project's URLs plus the bare reference view the benchmark compares every page with."""

from django.http import HttpResponse
from django.urls import include, path

from iscg.models import Department
from iscg.urls import handler500  # noqa: F401 - the root URLconf names the error handler


def bare(request):
    """Login required (by the middleware), one query, a tiny response: the floor of a page."""
    return HttpResponse(f"{Department.objects.filter(code='01').count()}")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("iscg.urls")),
]
