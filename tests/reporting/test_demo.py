from django.core.management import call_command

from iscg.models import User
from reporting import indicators
from reporting.models import GenerationState, Report, ReportKind, ReportStatus


def test_demo_bilans_are_sent_with_their_pdf_and_match_the_live_figures():
    call_command("seed_demo", "--quiet-accounts")
    call_command("seed_demo", "--quiet-accounts")  # idempotent
    reports = Report.objects.all()
    assert sorted(r.kind for r in reports) == sorted(
        [ReportKind.ANNUAL, ReportKind.MONTHLY, ReportKind.QUARTERLY]
    )
    for report in reports:
        assert report.status == ReportStatus.SENT
        assert report.generation_state == GenerationState.DONE and report.pdf
        # the frozen figures are those the dashboard computes for the same scope and period
        assert report.figures == indicators.compute(report.scope, report.period)
    prefecture = User.objects.get(email="prefecture@demo.iscg.fr")
    assert {r.kind for r in Report.objects.visible_to(prefecture)} >= {
        ReportKind.ANNUAL,
        ReportKind.QUARTERLY,
    }
    lead = User.objects.get(email="chef.unite@demo.iscg.fr")
    assert [r.kind for r in Report.objects.visible_to(lead)] == [ReportKind.MONTHLY]
    agent = User.objects.get(email="policier@demo.iscg.fr")
    assert not Report.objects.visible_to(agent).exists()
