"""Demo bilans: a quarterly and an annual bilan of the demo employer, and a monthly one of
the Bourg-en-Bresse post for its unit lead, validated and sent.

Runs after the case demo (order 30) and works with whatever case data exists.
Idempotent: an existing bilan of the same kind, period and scope is kept.
"""

from django.utils import timezone

from iscg.demo import EMPLOYER_NAME, register_seeder
from iscg.models import Employer, Post, User
from reporting import services
from reporting.models import Report, ReportKind, ReportStatus
from reporting.periods import preset
from reporting.scope import Scope
from reporting.secrecy.reports import secrecy_pending
from reporting.tasks import generate_report_pdf

# The evaluation questions of the cahier des charges (reporting.evaluation), answered as a
# worker and an employer would, without anything that identifies a person.
WORKER_ANSWERS = {
    "local_needs": "Oui : les saisines directes des unités ont augmenté sur la période, "
    "surtout pour des violences conjugales et des situations de détresse sociale.",
    "partners": "Les orientations vers le CIDFF et le centre hospitalier sont suivies ; le "
    "service social départemental reprend les situations dans les délais attendus.",
    "relations": "Bonnes avec les brigades et le commissariat ; les retours aux agents "
    "saisissants sont faits dans la semaine.",
    "role_in_units": "Présence aux permanences dans les locaux des unités, qui facilite les "
    "saisines directes et le premier contact avec les victimes.",
    "proposals": "Une permanence supplémentaire à la maison France services.",
}
EMPLOYER_ANSWERS = {
    "local_needs": "Le dispositif répond au besoin local, en hausse sur la période.",
    "partners": "Les partenaires financeurs sont associés aux comités de suivi trimestriels.",
    "relations": "Points mensuels réguliers avec les autorités fonctionnelles.",
    "role_in_units": "L'intervenante est identifiée comme référente sociale des unités.",
    "proposals": "Un renfort de la permanence hospitalière est à l'étude.",
}


@register_seeder(order=60)
def seed_reports() -> None:
    employer = Employer.objects.filter(name=EMPLOYER_NAME).first()
    manager = User.objects.filter(email="employeur@demo.iscg.fr").first()
    if employer is None or manager is None:
        return
    employer_scope = Scope.for_employer(employer)
    today = timezone.localdate()
    plan = [
        (ReportKind.QUARTERLY, preset("quarter", today), employer_scope),
        (ReportKind.ANNUAL, preset("year", today), employer_scope),
    ]
    bourg = Post.objects.filter(employer=employer, label__startswith="Poste Bourg").first()
    if bourg is not None:  # the monthly point with the unit lead of Bourg-en-Bresse
        plan.append((ReportKind.MONTHLY, preset("month", today), Scope.for_post(bourg)))
    for kind, period, scope in plan:
        report = Report.objects.of_series(
            department_id=scope.department_id,
            kind=kind,
            period_start=period.start,
            period_end=period.end,
            scope=scope,
        ).first()
        if report is None:
            report = services.report_create(
                kind=kind, period=period, scope=scope, acting_user=manager
            )
            report.worker_answers = WORKER_ANSWERS
            report.employer_answers = EMPLOYER_ANSWERS
            report.save(update_fields=["worker_answers", "employer_answers"])
        if secrecy_pending(report):
            # Left to its PDF task by the request (past its deadline on a slow machine):
            # decided here, as a worker would, before it can be validated.
            generate_report_pdf.apply(args=[report.pk])
            report.refresh_from_db()
        if report.status == ReportStatus.DRAFT:
            services.report_validate(report=report, acting_user=manager)
        if report.status == ReportStatus.VALIDATED:
            services.report_send(report=report, acting_user=manager)
        # Synchronously: the demo offers the PDFs at once.
        generate_report_pdf.apply(args=[report.pk])
