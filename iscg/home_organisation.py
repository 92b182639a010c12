"""Home blocks of the organisation model: posts, units, sites seen from each role."""

from django.db.models import Count, Exists, OuterRef, Q, Sum

from iscg import access
from iscg.enums import Role
from iscg.home_blocks import register
from iscg.models import Post, PostHolding, Site, Unit


@register(Role.WORKER, order=90)
def worker_posts(request):
    posts = (
        Post.objects.visible_to(request.user)
        .filter(pk__in=access.worked_post_ids(request.user))
        .select_related("employer", "main_site")
        .prefetch_related("units", "sites__openings")
    )
    return {"template": "iscg/blocks/worker_posts.html", "posts": posts}


@register(Role.UNIT_AGENT, order=90)
@register(Role.UNIT_LEAD, order=90)
def unit_workers(request):
    units = Unit.objects.filter(pk__in=access.followed_unit_ids(request.user)).order_by("name")
    holdings = (
        PostHolding.objects.filling()
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
    }


@register(Role.EMPLOYER_MANAGER, order=90)
def employer_posts(request):
    posts = (
        Post.objects.filter(employer_id__in=access.managed_employer_ids(request.user))
        .select_related("employer")
        .prefetch_related("units")
    )
    holdings = PostHolding.objects.filling().filter(post__in=posts).select_related("worker")
    return {
        "template": "iscg/blocks/employer_posts.html",
        "posts": posts,
        "holdings": holdings,
        "filled_ids": {holding.post_id for holding in holdings},
        "etp": posts.filter(is_active=True).aggregate(total=Sum("etp"))["total"] or 0,
    }


@register(Role.PREFECTURE, order=90)
@register(Role.ADMIN, order=90)
def department_overview(request):
    department_ids = access.department_ids(request.user, roles=[Role.PREFECTURE, Role.ADMIN])
    posts = Post.objects.filter(employer__department_id__in=department_ids, is_active=True)
    units = (
        Unit.objects.filter(department_id__in=department_ids)
        .values("kind")
        .annotate(count=Count("id"))
    )
    # One query for the three figures of the posts. Each post's holdings are looked up
    # from it: asked as « among the posts of every filling holding », the holdings and
    # accounts of the whole country were read.
    figures = posts.aggregate(
        count=Count("pk"),
        etp=Sum("etp"),
        filled=Count(
            "pk", filter=Q(Exists(PostHolding.objects.filling().filter(post=OuterRef("pk"))))
        ),
    )
    return {
        "template": "iscg/blocks/department_overview.html",
        "post_count": figures["count"],
        "etp": figures["etp"] or 0,
        "filled": figures["filled"],
        "unit_counts": {row["kind"]: row["count"] for row in units},
        "site_count": Site.objects.filter(department_id__in=department_ids, is_active=True).count(),
        "is_admin": access.has_role(request.user, Role.ADMIN) or request.user.is_superuser,
    }
