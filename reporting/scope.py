"""What a bilan covers: a département, an employer, a post or a unit.

Rule for a unit: the activity of the posts serving that unit (restricted to one
employer's posts when the bilan is that employer's). Every figure is then computed on
the files, referrals, actes, orientations and anonymous contacts of those posts.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from iscg.models import Department, Employer, Post, Unit


class ScopeKind:
    DEPARTMENT = "department"
    EMPLOYER = "employer"
    POST = "post"
    UNIT = "unit"

    CHOICES = [
        (DEPARTMENT, "Département"),
        (EMPLOYER, "Employeur"),
        (POST, "Poste"),
        (UNIT, "Unité (postes qui la servent)"),
    ]
    LABELS = dict(CHOICES)


@dataclass(frozen=True)
class Scope:
    kind: str
    department_id: int
    employer_id: int | None = None
    post_id: int | None = None
    unit_id: int | None = None

    def post_ids(self) -> QuerySet:
        """The posts covered, as an id subquery (no query is run here)."""
        posts = Post.objects.filter(employer__department_id=self.department_id)
        if self.employer_id:
            posts = posts.filter(employer_id=self.employer_id)
        if self.kind == ScopeKind.POST:
            posts = posts.filter(pk=self.post_id)
        elif self.kind == ScopeKind.UNIT:
            posts = posts.filter(units=self.unit_id)
        return posts.values("pk")

    def label(self) -> str:
        if self.kind == ScopeKind.POST:
            return f"Poste : {Post.objects.get(pk=self.post_id).label}"
        if self.kind == ScopeKind.UNIT:
            unit = Unit.objects.get(pk=self.unit_id)
            suffix = ""
            if self.employer_id:
                suffix = f" ({Employer.objects.get(pk=self.employer_id).name})"
            return f"Postes servant l'unité : {unit.name}{suffix}"
        if self.kind == ScopeKind.EMPLOYER:
            return f"Employeur : {Employer.objects.get(pk=self.employer_id).name}"
        return f"Département : {Department.objects.get(pk=self.department_id)}"

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "department_id": self.department_id,
            "employer_id": self.employer_id,
            "post_id": self.post_id,
            "unit_id": self.unit_id,
            "label": self.label(),
        }

    @classmethod
    def for_post(cls, post: Post) -> "Scope":
        return cls(ScopeKind.POST, post.employer.department_id, post.employer_id, post.pk)

    @classmethod
    def for_employer(cls, employer: Employer) -> "Scope":
        return cls(ScopeKind.EMPLOYER, employer.department_id, employer.pk)

    @classmethod
    def for_unit(cls, unit: Unit, employer: Employer | None = None) -> "Scope":
        return cls(
            ScopeKind.UNIT, unit.department_id, employer.pk if employer else None, unit_id=unit.pk
        )

    @classmethod
    def for_department(cls, department_id: int) -> "Scope":
        return cls(ScopeKind.DEPARTMENT, department_id)


def post_sets(department_id: int, scopes) -> list[frozenset[int]]:
    """The posts of each of ``scopes`` (as ``Scope.post_ids``), scopes of one
    département, from its posts read once: a bilan tied to many others read each one's
    posts with a query of its own."""
    employer_of = dict(
        Post.objects.filter(employer__department_id=department_id).values_list("pk", "employer_id")
    )
    serving = defaultdict(set)
    if any(scope.kind == ScopeKind.UNIT for scope in scopes):
        links = Post.units.through.objects.filter(post_id__in=list(employer_of))
        for post_id, unit_id in links.values_list("post_id", "unit_id"):
            serving[unit_id].add(post_id)

    def posts(scope) -> frozenset[int]:
        found = set(employer_of) if scope.department_id == department_id else set()
        if scope.employer_id:
            found = {pk for pk in found if employer_of[pk] == scope.employer_id}
        if scope.kind == ScopeKind.POST:
            found &= {scope.post_id}
        elif scope.kind == ScopeKind.UNIT:
            found &= serving[scope.unit_id]
        return frozenset(found)

    return [posts(scope) for scope in scopes]
