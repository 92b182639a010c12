"""The main menu per role. Apps add their entries to ``ENTRIES`` in their AppConfig.ready."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from iscg.permissions import Roles


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    roles: Roles  # the gate of the page it leads to: nobody is shown a link to a 403
    order: int = 50
    # How many things wait behind the entry for this user (shown beside its label), read
    # only when the entry is shown: one indexed count per page for the roles it concerns.
    count: Callable | None = None


ENTRIES: list[MenuEntry] = []


def register(*entries: MenuEntry) -> None:
    for entry in entries:
        if entry not in ENTRIES:
            ENTRIES.append(entry)


def menu_for(user, current_path: str) -> list[dict]:
    items = []
    for entry in sorted(ENTRIES, key=lambda e: e.order):
        if not entry.roles.allow(user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        current = current_path == url or (url != "/" and current_path.startswith(url))
        count = entry.count(user) if entry.count else None
        items.append({"label": entry.label, "url": url, "current": current, "count": count})
    return items
