"""The main menu per role. Apps add their entries to ``ENTRIES`` in their AppConfig.ready."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    roles: tuple[str, ...]
    order: int = 50


ENTRIES: list[MenuEntry] = []


def register(*entries: MenuEntry) -> None:
    for entry in entries:
        if entry not in ENTRIES:
            ENTRIES.append(entry)


def menu_for(user, current_path: str) -> list[dict]:
    from iscg import access

    items = []
    for entry in sorted(ENTRIES, key=lambda e: e.order):
        if not (user.is_superuser or access.has_role(user, *entry.roles)):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        current = current_path == url or (url != "/" and current_path.startswith(url))
        items.append({"label": entry.label, "url": url, "current": current})
    return items
