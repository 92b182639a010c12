import datetime
import json
import time
from pathlib import Path
from unittest import mock

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from bench.pages import LOAD_CONTEXT, LOAD_NOTE
from cases.models import Action, ActionKind, Case, Problem, Referral
from conventions.models import Convention
from iscg.demo import DEMO_PASSWORD
from iscg.enums import Role
from iscg.models import Department, Employer, Membership, User
from reporting import services as reporting_services
from reporting.consolidation import consolidated_reports
from reporting.models import Report, ReportKind, ReportStatus
from reporting.periods import year_of
from reporting.scope import Scope
from reporting.secrecy import reports as secrecy_reports


def last_year():
    return year_of(datetime.date.today().replace(month=1, day=1) - datetime.timedelta(days=1))


class Command(BaseCommand):
    help = "Écrit bench/targets.json : comptes et objets de l'Ain que mesure le banc d'essai."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="bench/targets.json")

    def handle(self, *args, output, **options):
        ain = Department.objects.filter(code="01").first()
        worker = User.objects.filter(email="intervenante@demo.iscg.fr").first()
        if ain is None or worker is None:
            raise CommandError("Base de mesure vide : lancez d'abord manage.py bench_generate.")
        self._forget_previous_load()
        post = worker.holdings.current().get().post
        open_cases = Case.objects.filter(post=post, closed_on__isnull=True)
        # The actes of the load are logged on one case; the case page is read on another,
        # a well-filled one that the load does not fill run after run: it came from a
        # referral, has an orientation, and the 90th percentile of the actes of such cases
        # of the post (the same shape of page at both scales).
        case = open_cases.order_by("-opened_on").first()
        by_actes = list(
            open_cases.exclude(pk=case.pk)
            .filter(referrals__isnull=False, orientations__isnull=False)
            .annotate(actes=Count("actions", distinct=True))
            .order_by("actes", "pk")
            .values_list("pk", "actes")
            .distinct()
        )
        viewed, viewed_actes = by_actes[int(len(by_actes) * 0.9)]
        agent = User.objects.get(email="policier@demo.iscg.fr")
        targets = {
            "accounts": {
                role: {"email": email, "password": DEMO_PASSWORD}
                for role, email in (
                    ("worker", worker.email),
                    ("unit_agent", agent.email),
                    ("prefecture", "prefecture@demo.iscg.fr"),
                    ("employer_manager", "employeur@demo.iscg.fr"),
                )
            },
            "post_id": post.pk,
            "case_id": case.pk,
            "viewed_case_id": viewed,
            "search": "martin",
            "action_kind_id": ActionKind.objects.get(code="entretien-physique").pk,
            "site_id": post.main_site_id,
            "unit_id": Membership.objects.get(user=agent).unit_id,
            "problem_id": Problem.objects.get(code="violences-conjugales").pk,
            "convention_id": Convention.objects.filter(employer__department=ain)
            .order_by("pk")
            .first()
            .pk,
            "department_id": ain.pk,
        }
        Path(output).write_text(json.dumps(targets, indent=2))
        self.stdout.write(
            f"{output} écrit (actes saisis sur l'accompagnement n° {case.pk}, page lue : "
            f"n° {viewed}, {viewed_actes} actes)."
        )
        self._annual_bilans()

    def _forget_previous_load(self):
        """The actes and referrals that earlier runs' load wrote (one case would otherwise
        gather thousands of actes, the post thousands of actes "du jour")."""
        actes = Action.objects.filter(confidential_note=LOAD_NOTE)
        referrals = Referral.objects.filter(context=LOAD_CONTEXT)
        counts = [actes.count(), referrals.count()]
        if any(counts):
            with transaction.atomic():
                actes.delete()
                referrals.delete()
            self.stdout.write(
                f"Charge précédente retirée : {counts[0]} acte(s), {counts[1]} saisine(s)."
            )

    def _annual_bilans(self):
        """Last year's validated annual bilan of every employer, as each département would
        have sent it: what the national consolidation adds up. Made once (kept in the
        database); their PDFs are not drawn (the PDF is measured on its own)."""
        period = last_year()
        done = {report.employer_id for report in consolidated_reports(period)}
        employers = Employer.objects.filter(posts__isnull=False).exclude(pk__in=done).distinct()
        managers = {
            membership.employer_id: membership.user
            for membership in Membership.objects.filter(
                role=Role.EMPLOYER_MANAGER, employer__in=employers
            ).select_related("user")
        }
        started, made = time.perf_counter(), 0
        with mock.patch.object(reporting_services.creation, "pdf_dispatch"):
            for employer in employers:
                manager = managers.get(employer.pk)
                if manager is None:
                    continue
                report = reporting_services.report_create(
                    kind=ReportKind.ANNUAL,
                    period=period,
                    scope=Scope.for_employer(employer),
                    acting_user=manager,
                )
                if secrecy_reports.secrecy_pending(report):
                    # Left to its PDF task (past the request's deadline; no worker here).
                    secrecy_reports.report_protect(report, in_request=False)
                    report.save(update_fields=["masked_cells", "audit_passed", "audit_report"])
                # As if the manager had read the PDF and validated it.
                Report.objects.filter(pk=report.pk).update(
                    status=ReportStatus.VALIDATED, validated_by=manager, validated_at=timezone.now()
                )
                made += 1
        if made:
            self.stdout.write(
                f"{made} bilan(s) annuel(s) {period.short_label()} établi(s) et validé(s) "
                f"en {time.perf_counter() - started:.1f} s."
            )
