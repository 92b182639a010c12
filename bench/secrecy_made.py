"""Bilans made by the product's own service, for the benchmarks of their secrecy.

Each bilan is made by ``report_create`` as its author makes it, so that its protection is
the product's: the bilans it is protected with (``related.related_publications``), the posts'
bilans it anticipates (``bilans_ahead``), its previous-period column. The bench keeps no
copy of these rules: a change of one is measured by the next run. Everything is made
inside a transaction rolled back at the end; the database is left as it was.
"""

import time
from contextlib import contextmanager
from unittest import mock

from django.db import transaction

from iscg.enums import Role
from iscg.models import Employer, Membership, Post, User
from reporting.models import Report
from reporting.scope import Scope, ScopeKind
from reporting.secrecy import Publication, audit, cells_of
from reporting.secrecy import reports as secrecy_reports
from reporting.secrecy.ahead import as_refused, forego_given_away
from reporting.secrecy.withholding import withheld_tables
from reporting.services import creation

# report_create records the bilans made with no user (the département's: no account may
# author them) as made by the first superuser; a bench base may have none.
BENCH_USER = "banc-secret@iscg.invalid"


def department_scopes(department_id: int) -> list[Scope]:
    """The département, each of its employers with posts, then each of their posts: top
    down, as the bilans of a period reach the préfecture."""
    scopes = [Scope.for_department(department_id)]
    employers = Employer.objects.filter(department_id=department_id, posts__isnull=False)
    scopes += [Scope.for_employer(e) for e in employers.distinct().order_by("pk")]
    posts = Post.objects.filter(employer__department_id=department_id).select_related("employer")
    scopes += [Scope.for_post(p) for p in posts.order_by("pk")]
    return scopes


class Maker:
    """Makes bilans with ``report_create`` and records what each cost and how it was
    protected; ``audit_all`` then audits the published ones together."""

    def __init__(self, department_id: int):
        self.made: list[tuple[Report, frozenset]] = []
        self.protect_times: list[float] = []
        managers = Membership.objects.filter(
            role=Role.EMPLOYER_MANAGER, employer__department_id=department_id
        ).order_by("pk")
        self.managers = {m.employer_id: m.user for m in managers.select_related("user")}

    def _actor(self, scope: Scope):
        """The employer's manager for its bilans and its posts'; nobody (the product's
        system actor) for the département's, which no account may author."""
        if scope.kind == ScopeKind.DEPARTMENT:
            return None
        employer_id = scope.employer_id or Post.objects.get(pk=scope.post_id).employer_id
        return self.managers.get(employer_id)

    def make(self, kind: str, period, scope: Scope) -> dict:
        """One bilan made, and protected by the task that makes its PDF if its request
        left it pending (``INLINE_JOINED``): (its times, what it was protected with)."""
        protected_before = len(self.protect_times)
        # The processor time too: on a shared machine, the wall time grows with the load.
        started, cpu_started = time.perf_counter(), time.process_time()
        report = creation.report_create(
            kind=kind, period=period, scope=scope, acting_user=self._actor(scope)
        )
        pending = secrecy_reports.secrecy_pending(report)
        if pending:
            secrecy_reports.report_protect(report, in_request=False)
            report.save(update_fields=["masked_cells", "audit_passed", "audit_report"])
        made_s, made_cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
        posts = frozenset(scope.post_ids().values_list("pk", flat=True))
        self.made.append((report, posts))
        return {
            "report": report,
            "passed": bool(report.audit_passed),
            "masked": len(report.masked_cells) if report.audit_passed else 0,
            "made_s": made_s,
            "made_cpu_s": made_cpu_s,
            "protect_s": sum(self.protect_times[protected_before:]),
            "pending": pending,
            "joined": len(report.audit_report["with_reports"]),
            "anticipated": len(report.audit_report["anticipated"]),
            # Refused: which bilan, and where its audit found cells a reader can narrow.
            "refusal": None
            if report.audit_passed
            else [
                str(kind),
                period.start.isoformat(),
                report.scope_label,
                len(report.audit_report["unprotected"]),
                report.audit_report["unprotected"][:3],
            ],
        }

    def published(self) -> list[Publication]:
        """The bilans whose audit passed, as their recipients hold them (one refused
        publishes nothing)."""
        return [
            Publication(
                report.figures,
                cells_of(report.masked_cells),
                posts=posts,
                withheld=withheld_tables(report),
            )
            for report, posts in self.made
            if report.audit_passed
        ]

    def refused(self) -> list[Publication]:
        """The bilans whose audit failed, as a reader holds them: nothing, but their
        counts are still what the published ones add up to (ahead.as_refused)."""
        return [
            as_refused(Publication(report.figures, set(), posts=posts))
            for report, posts in self.made
            if report.audit_passed is False
        ]

    def audit_all(self) -> dict:
        """Every published bilan audited together, as the préfecture holds them, with the
        counts of the refused ones: those the published bilans give away are counted
        apart (no mask could protect them any more), the others must be protected."""
        published = self.published()
        started = time.perf_counter()
        held, given = forego_given_away([*published, *self.refused()])
        left = audit(held)
        return {
            "published": len(published),
            "cells_published": sum(len(p.lay.cells) for p in published),
            "joint_audit_s": round(time.perf_counter() - started, 2),
            "refused_given_away": len(given),
            "unprotected": len(left),
            # (bilan, cell, value, interval) of the first cells a reader can narrow.
            "unprotected_first": [
                [f.publication, list(f.cell), f.value, round(f.low, 2), round(f.high, 2)]
                for f in left[:8]
            ],
        }


@contextmanager
def making(department_id: int):
    """A ``Maker`` inside a transaction rolled back on leaving. The département's bilans
    already there are deleted in it first: the product would protect the bench's bilans
    with them, or make a bench's bilan the next version of one of them (the demo's, on the
    departmental base, frozen on other data)."""
    with transaction.atomic():
        # The latest versions first: a version protects the one it follows from deletion.
        for report in Report.objects.filter(department_id=department_id).order_by("-version"):
            report.delete()
        if not User.objects.filter(is_superuser=True).exists():
            User.objects.create_superuser(BENCH_USER)
        maker = Maker(department_id)
        real = secrecy_reports.protect

        def timed(*args, **kwargs):
            # The secondary suppression and its audit, apart from reading the related
            # bilans and computing the anticipated ones.
            started = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                maker.protect_times.append(time.perf_counter() - started)

        # No PDF is made: its task is queued on commit, and the transaction rolls back.
        with mock.patch.object(secrecy_reports, "protect", timed):
            yield maker
        transaction.set_rollback(True)


def outcome(year: int, made: list[dict], joint: dict) -> dict:
    """What every measure reports of its bilans: how many were published, refused (and
    why), masked, out of how many published cells."""
    return {
        "year": year,
        "bilans": len(made),
        "published": joint["published"],
        "refused": sum(not m["passed"] for m in made),
        "refused_bilans": [m["refusal"] for m in made if m["refusal"]],
        "cells_masked": sum(m["masked"] for m in made),
        "cells_published": joint["cells_published"],
    }
