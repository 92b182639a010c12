"""Home blocks of the organisation model: posts, units, sites seen from each role.

Each block is rendered once per version of the organisation, day and what it reads for its
user (``cache_key``, iscg.organisation_version), its templates in ``{% cache %}``: its
querysets are lazy and its figures read on first use (``SimpleLazyObject``), so a block
found in the cache runs no query. The day is read once per block, for its key and its
holdings: a page crossing midnight stores the holdings of the day it is keyed by.
"""

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from iscg import access
from iscg.enums import Role
from iscg.home_blocks import register
from iscg.models import Post, PostHolding, Site, Unit
from iscg.organisation_version import cached_block


@register(Role.WORKER, order=90)
def worker_posts(request):
    today = timezone.localdate()
    worked = access.worked_post_ids(request.user)
    posts = (
        Post.objects.visible_to(request.user)
        .filter(pk__in=worked)
        .select_related("employer", "main_site")
        .prefetch_related("units", "sites__openings")
    )
    return {
        "template": "iscg/blocks/worker_posts.html",
        "posts": posts,
        **cached_block(today, "posts", *worked),
    }


@register(Role.UNIT_AGENT, order=90)
@register(Role.UNIT_LEAD, order=90)
def unit_workers(request):
    today = timezone.localdate()
    followed = sorted(access.followed_unit_ids(request.user))
    units = Unit.objects.filter(pk__in=followed).order_by("name")
    holdings = (
        PostHolding.objects.filling(today)
        .filter(post__units__in=units, post__is_active=True)
        .select_related("worker", "post")
        .distinct()
    )
    sites = (
        Site.objects.filter(posts__units__in=units, is_active=True)
        .distinct()
        .prefetch_related("openings")
    )
    return {
        "template": "iscg/blocks/unit_workers.html",
        "units": units,
        "holdings": holdings,
        "sites": sites,
        **cached_block(today, "units", *followed),
    }


@register(Role.EMPLOYER_MANAGER, order=90)
def employer_posts(request):
    today = timezone.localdate()
    employers = sorted(
        access.managed_employer_ids(request.user).values_list("content_object_id", flat=True)
    )
    posts = (
        Post.objects.filter(employer_id__in=employers)
        .select_related("employer")
        .prefetch_related("units")
    )
    holdings = PostHolding.objects.filling(today).filter(post__in=posts).select_related("worker")

    def figures():
        return {
            "filled_ids": {holding.post_id for holding in holdings},
            "etp": posts.filter(is_active=True).aggregate(total=Sum("etp"))["total"] or 0,
        }

    return {
        "template": "iscg/blocks/employer_posts.html",
        "posts": posts,
        "holdings": holdings,
        "figures": SimpleLazyObject(figures),
        **cached_block(today, "employers", *employers),
    }


@register(Role.PREFECTURE, order=90)
@register(Role.ADMIN, order=90)
def department_overview(request):
    department_ids = access.department_ids(request.user, roles=[Role.PREFECTURE, Role.ADMIN])
    is_admin = access.has_role(request.user, Role.ADMIN) or request.user.is_superuser
    today = timezone.localdate()

    def figures():
        posts = Post.objects.filter(employer__department_id__in=department_ids, is_active=True)
        units = (
            Unit.objects.filter(department_id__in=department_ids)
            .values("kind")
            .annotate(count=Count("id"))
        )
        # One query for the three figures of the posts. Each post's holdings are looked up
        # from it: asked as « among the posts of every filling holding », the holdings and
        # accounts of the whole country were read.
        of_posts = posts.aggregate(
            count=Count("pk"),
            etp=Sum("etp"),
            filled=Count(
                "pk",
                filter=Q(Exists(PostHolding.objects.filling(today).filter(post=OuterRef("pk")))),
            ),
        )
        sites = Site.objects.filter(department_id__in=department_ids, is_active=True)
        return {
            "post_count": of_posts["count"],
            "etp": of_posts["etp"] or 0,
            "filled": of_posts["filled"],
            "unit_counts": {row["kind"]: row["count"] for row in units},
            "site_count": sites.count(),
        }

    return {
        "template": "iscg/blocks/department_overview.html",
        "is_admin": is_admin,
        "figures": SimpleLazyObject(figures),
        **cached_block(today, "departments", is_admin, *department_ids),
    }
