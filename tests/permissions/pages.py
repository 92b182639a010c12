"""The HTML pages a role opens: the matrix's GET addresses answering 200 on its own objects.

Read by the accessibility walk, the property test of every form and the concurrent-edit
test, which each do something different with the pages.
"""

from django.urls import reverse

from tests.permissions.matrix import all_entries


def html_pages(world, role, client, *, skip=()):
    """(entry, url, response) for each GET entry ``role`` opens as an HTML page."""
    for entry in all_entries():
        if entry.method != "GET" or entry.url_name in skip:
            continue
        scope = "own" if entry.obj else None
        if entry.expected(role, scope) != 200:
            continue
        obj = world.obj(entry.obj, scope) if entry.obj else None
        url = reverse(entry.url_name, kwargs=entry.build_kwargs(world, obj))
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            yield entry, url, response
