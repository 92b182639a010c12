"""The version of the organisation, under which the home blocks that show it are cached.

The blocks « Mes postes », « Vos postes », « Vos intervenants sociaux » and « Le dispositif
dans le département » show posts, units, sites and their schedules, and who holds each post
today: three to four queries and their rendering on every home page (8 ms of the worker's
home in the process, bench/README.md), for rows that an administrator or an employer
changes a few times a month. They are kept rendered in the cache (``{% cache %}``) under a
key made of this version, the day (a holding or a stand-in starts and ends with a day) and
what the user's block reads (their posts, employers, units or départements).

Every save or deletion of an employer, a post, a unit, a site, an opening or a holding,
every change of a post's units, sites or workers, every save of an account that may change
its name, telephone or activity, and every migration give the organisation a new version
at once, and another once the transaction commits: a page that read the rows before the
commit stored its block under the version in between, which nobody reads again. A version
unknown to the cache (Redis emptied, restarted, or unreachable) is a new one: nothing
cached before is read under it, and while Redis is unreachable every block is computed.

What sends no signal does not change the version: a write to these models by
``QuerySet.update()``, ``bulk_create``/``bulk_update`` or SQL must call ``changed()``
itself (the site's openings, replaced in bulk, are saved with their site). A change made
while Redis drops writes is seen once its blocks expire (``BLOCK_SECONDS``).
"""

import datetime
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

KEY = "organisation:version"
# A bound on how long a block stays cached even if no change is seen (a database restored
# under a running cache): the next read recomputes it.
BLOCK_SECONDS = 600
# Account fields the blocks show or filter on: a login saves ``last_login`` alone.
SHOWN_USER_FIELDS = frozenset({"first_name", "last_name", "email", "phone", "is_active"})


def _new() -> str:
    return secrets.token_hex(8)


def current() -> str:
    try:
        version = cache.get(KEY)
        if version is None:
            candidate = _new()
            cache.add(KEY, candidate, timeout=None)
            version = cache.get(KEY) or candidate
    except Exception as error:  # any backend's own errors (iscg.cache answers misses)
        logger.warning("Cache unreachable (%s): the organisation's blocks computed", error)
        return _new()
    return version


def _set_new() -> None:
    try:
        cache.set(KEY, _new(), timeout=None)
    except Exception as error:  # any backend's own errors: a save never fails for it
        logger.warning("Cache unreachable (%s): organisation version not changed", error)


def changed() -> None:
    _set_new()
    transaction.on_commit(_set_new)


def cached_block(day: datetime.date, *parts) -> dict:
    """A block's ``{% cache block.cache_seconds "…" block.cache_key %}`` entries: the key is
    the version, the day the block reads its holdings of, and the ids it reads for its
    user. Where the cache is each process's own (no Redis), a change made in one process
    is not seen by the others: the block is computed every time (a key of its own, kept 0
    seconds)."""
    if not settings.ORGANISATION_BLOCKS_CACHED:
        return {"cache_key": _new(), "cache_seconds": 0}
    key = ":".join([current(), day.isoformat(), *map(str, parts)])
    return {"cache_key": key, "cache_seconds": BLOCK_SECONDS}


def _on_save_or_delete(sender, **kwargs) -> None:
    changed()


def _on_user_save(sender, update_fields=None, **kwargs) -> None:
    if update_fields is None or SHOWN_USER_FIELDS.intersection(update_fields):
        changed()


def _on_relations(sender, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        changed()


def _on_migrate(sender, **kwargs) -> None:
    # A deployment migrates: blocks rendered by the previous release's templates, or rows
    # written by a data migration (historical models send no signal), are not read again.
    changed()


def connect() -> None:
    # Cycle with the app registry: the models are loaded after this module.
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    from iscg.models import Employer, Post, PostHolding, Site, SiteOpening, Unit, User

    for model in (Employer, Post, Unit, Site, SiteOpening, PostHolding):
        uid = f"organisation-version-{model.__name__}"
        post_save.connect(_on_save_or_delete, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_save_or_delete, sender=model, dispatch_uid=uid)
    post_save.connect(_on_user_save, sender=User, dispatch_uid="organisation-version-User")
    post_delete.connect(_on_save_or_delete, sender=User, dispatch_uid="organisation-version-User")
    # Post.workers goes through PostHolding: ``post.workers.add(...)`` creates holdings in
    # bulk, without a save of each.
    for relation in (Post.units.through, Post.sites.through, Post.workers.through):
        m2m_changed.connect(_on_relations, sender=relation, dispatch_uid=f"ov-{relation}")
    post_migrate.connect(_on_migrate, dispatch_uid="organisation-version-migrate")
