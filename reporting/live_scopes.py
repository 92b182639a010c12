"""Who may read which live statistics: the scopes offered on the statistics page.

The same scopes as the bilans each role receives, always anonymous and masked except for a
worker looking at a post they work on (reporting.views):

- worker: the posts they work on; employer manager: their employer, its posts and the
  units they serve (reporting.forms.scope_choices, the scopes they may report on);
- unit lead: the posts serving each unit they lead, or a unit below it, as the monthly
  bilan discussed with the worker;
- préfecture and admin: their département, and each employer, post and unit in it;
- funder: the posts its conventions cover (not mere drafts), and an employer or the
  département when they cover all of its posts; for a period, only if they cover every
  post of the scope in it (checked by ``funding_problem``).
"""

from django.db.models import Q

from conventions.selectors import post_ids_funded
from iscg import access
from iscg.enums import Role
from iscg.models import Department, Employer, Post, Unit
from reporting.forms import scope_choices
from reporting.periods import Period
from reporting.scope import Scope, ScopeKind


def live_scope_choices(user) -> list[tuple[str, str]]:
    choices = scope_choices(user)
    departments = _steered_department_ids(user)
    if departments:
        choices += _department_choices(departments)
    led = access.led_unit_ids(user)
    if led:
        units = Unit.objects.filter(pk__in=led, posts__is_active=True).distinct()
        choices += [(f"unit:{u.pk}", f"Unité : {u.name}") for u in units.order_by("name", "pk")]
    funders = access.funder_ids(user)
    if funders:
        choices += _funded_choices(post_ids_funded(funder_ids=funders))
    unique: dict[str, str] = {}
    for value, label in choices:
        unique.setdefault(value, label)
    return list(unique.items())


def _steered_department_ids(user) -> list[int]:
    return access.department_ids(user, roles=[Role.PREFECTURE, Role.ADMIN])


def _department_choices(department_ids) -> list[tuple[str, str]]:
    choices = [
        (f"department:{d.pk}", f"Département : {d}")
        for d in Department.objects.filter(pk__in=department_ids).order_by("code")
    ]
    in_department = Q(department_id__in=department_ids)
    choices += [
        (f"employer:{e.pk}", f"Employeur : {e.name}")
        for e in Employer.objects.filter(in_department).order_by("name", "pk")
    ]
    posts = Post.objects.filter(employer__department_id__in=department_ids)
    choices += [(f"post:{p.pk}", f"Poste : {p.label}") for p in posts.order_by("label", "pk")]
    units = Unit.objects.filter(in_department, posts__isnull=False).distinct()
    choices += [(f"unit:{u.pk}", f"Unité : {u.name}") for u in units.order_by("name", "pk")]
    return choices


def _funded_choices(funded: set[int]) -> list[tuple[str, str]]:
    """The funded posts, and the employers and départements all of whose posts are."""
    if not funded:
        return []
    in_their_departments = Post.objects.filter(pk__in=funded).values("employer__department_id")
    posts = list(
        Post.objects.filter(employer__department_id__in=in_their_departments)
        .select_related("employer__department")
        .order_by("label", "pk")
    )
    employers: dict = {}
    departments: dict = {}
    for post in posts:
        employers.setdefault(post.employer, []).append(post.pk in funded)
        departments.setdefault(post.employer.department, []).append(post.pk in funded)
    choices = [
        (f"department:{d.pk}", f"Département : {d}")
        for d, covered in departments.items()
        if all(covered)
    ]
    choices += [
        (f"employer:{e.pk}", f"Employeur : {e.name}")
        for e, covered in sorted(employers.items(), key=lambda item: (item[0].name, item[0].pk))
        if all(covered)
    ]
    choices += [(f"post:{p.pk}", f"Poste : {p.label}") for p in posts if p.pk in funded]
    return choices


def funding_problem(user, scope: Scope, period: Period) -> str | None:
    """For a funder reading a scope only through its funding: why not for this period.

    The statistics of a post it funded in 2025 are not its business in 2027."""
    if not access.funder_ids(user) or scope_reached_otherwise(user, scope):
        return None
    scope_posts = set(scope.post_ids().values_list("pk", flat=True))
    funded = post_ids_funded(funder_ids=access.funder_ids(user), start=period.start, end=period.end)
    if scope_posts - funded:
        return (
            "Vos conventions ne couvrent pas tous les postes de ce périmètre sur cette "
            "période : choisissez une période qu'elles couvrent."
        )
    return None


def scope_reached_otherwise(user, scope: Scope) -> bool:
    """Reached through a role whose reach does not depend on the period (not as a funder)."""
    if scope.department_id in _steered_department_ids(user):
        return True
    if scope.kind == ScopeKind.UNIT and not scope.employer_id:
        return scope.unit_id in access.led_unit_ids(user)
    value = {
        ScopeKind.DEPARTMENT: f"department:{scope.department_id}",
        ScopeKind.EMPLOYER: f"employer:{scope.employer_id}",
        ScopeKind.POST: f"post:{scope.post_id}",
        ScopeKind.UNIT: f"unit:{scope.unit_id}:{scope.employer_id}",
    }[scope.kind]
    return value in {v for v, _ in scope_choices(user)}
