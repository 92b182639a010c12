"""Object grants computed from relationships, applied by services and by ``rebuild_permissions``.

Each source says which (user, object) pairs should hold a permission; apps register
their own sources (conventions: parties; reporting: recipients) in ``AppConfig.ready``.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from iscg.access import clear_cache
from iscg.roles import sync_user_groups


@dataclass(frozen=True)
class GrantSource:
    permission_table: str  # "app_label.ModelName" of the direct foreign-key table
    codename: str
    # expected(user_ids or None) -> iterable of (user_id, object_id)
    expected: Callable[[Iterable[int] | None], Iterable[tuple[int, int]]]


@dataclass
class GrantDiff:
    source: GrantSource
    missing: set[tuple[int, int]] = field(default_factory=set)
    extra: set[tuple[int, int]] = field(default_factory=set)


_SOURCES: list[GrantSource] = []


def register(source: GrantSource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def sources() -> list[GrantSource]:
    return list(_SOURCES)


def _table(source: GrantSource):
    return apps.get_model(source.permission_table)


def _permission(source: GrantSource) -> Permission:
    table = _table(source)
    target = table._meta.get_field("content_object").related_model
    return Permission.objects.get(
        content_type=ContentType.objects.get_for_model(target), codename=source.codename
    )


def compute_diffs(user_ids: Iterable[int] | None = None) -> list[GrantDiff]:
    user_ids = list(user_ids) if user_ids is not None else None
    diffs = []
    for source in _SOURCES:
        permission = _permission(source)
        existing = _table(source).objects.filter(permission=permission)
        if user_ids is not None:
            existing = existing.filter(user_id__in=user_ids)
        actual = set(existing.values_list("user_id", "content_object_id"))
        expected = set(source.expected(user_ids))
        diffs.append(GrantDiff(source, missing=expected - actual, extra=actual - expected))
    return diffs


@transaction.atomic
def apply_diffs(diffs: list[GrantDiff]) -> None:
    for diff in diffs:
        table = _table(diff.source)
        permission = _permission(diff.source)
        for user_id, object_id in diff.extra:
            table.objects.filter(
                permission=permission, user_id=user_id, content_object_id=object_id
            ).delete()
        table.objects.bulk_create(
            [
                table(permission=permission, user_id=user_id, content_object_id=object_id)
                for user_id, object_id in diff.missing
            ],
            ignore_conflicts=True,
        )


def refresh_user_grants(*users) -> None:
    """Recompute the role groups and every object grant of these users."""
    ids = [user.pk for user in users]
    apply_diffs(compute_diffs(ids))
    for user in users:
        sync_user_groups(user)
        clear_cache(user)


def sync_all() -> list[GrantDiff]:
    diffs = compute_diffs()
    apply_diffs(diffs)
    return diffs
