"""Bilans: frozen figures, versions, the PDF, recipients and grants, e-mails."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from cases.enums import Profile
from reporting import services
from reporting.indicators import tables_by_key
from reporting.models import GenerationState, Report, ReportKind, ReportStatus
from reporting.periods import Period
from reporting.scope import Scope
from reporting.secrecy import apply_mask
from reporting.tasks import generate_report_pdf
from tests.iscg.factories import FunderFactory, UserFactory
from tests.reporting import dataset

Q1 = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
MARCH = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


@pytest.fixture
def data():
    return dataset.build()


@pytest.fixture
def manager(data):
    return UserFactory(
        employer_manager=True, employer=data["employer"], department=data["department"]
    )


def create(data, user, kind=ReportKind.QUARTERLY, scope=None, period=Q1):
    return services.report_create(
        kind=kind,
        period=period,
        scope=scope or Scope.for_employer(data["employer"]),
        acting_user=user,
    )


def pdf_text(report) -> str:
    report.refresh_from_db()
    with report.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_figures_are_frozen_and_a_new_version_recomputes(data, manager):
    report = create(data, manager)
    assert tables_by_key(report.figures)["profile"]["total"] == [3, 3]
    # data corrected after generation: the bilan does not change
    b2 = data["beneficiaries"][1]
    b2.profile = Profile.VICTIM
    b2.save()
    data["cases"][1].delete()
    report.refresh_from_db()
    assert tables_by_key(report.figures)["activity"]["rows"][0]["values"] == [3, 3]
    assert tables_by_key(report.figures)["profile"]["rows"][0]["values"] == [2, 2]
    new = services.report_regenerate(report=report, acting_user=manager)
    assert new.pk != report.pk and new.version == 2 and new.previous_version == report
    assert tables_by_key(new.figures)["activity"]["rows"][0]["values"] == [2, 3]
    report.refresh_from_db()
    assert tables_by_key(report.figures)["activity"]["rows"][0]["values"] == [3, 3]
    with pytest.raises(ValidationError):
        services.report_regenerate(report=report, acting_user=manager)
    with pytest.raises(ValidationError):
        services.report_validate(report=report, acting_user=manager)


def test_pdf_has_the_figures_masked_and_no_name(data, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = create(data, manager)
        services.report_update_evaluation(
            report=report, text="Très bonne coopération.", part="employer", acting_user=manager
        )
    report.refresh_from_db()
    assert report.generation_state == GenerationState.DONE
    text = pdf_text(report)
    assert "Bilan trimestriel" in text
    assert "T1 2026" in text
    assert "Très bonne coopération." in text
    assert "Annexe : méthodologie" in text
    assert "Page 1 sur" in text or "Page 2 sur" in text
    # Small counts, and what would give them back, shown as « s »; the bilan's audit
    # passed, and the figures that are shown are exact.
    assert report.audit_passed is True
    assert "Personnes accompagnées" in text
    assert "Villedans (01999) s s" in text
    shown = apply_mask(report.figures, report.masked_cells)
    activity = next(t for s in shown["sections"] for t in s["tables"] if t["key"] == "activity")
    opened = activity["rows"][2]["values"]
    assert f"Accompagnements ouverts {opened[0]} {opened[1]}" in text
    assert "No data" not in text
    for name in ("QUASIMODINE", "Zébulonne", *[b.last_name for b in data["beneficiaries"]]):
        assert name not in text
    # idempotent: a done PDF is not produced again
    name = report.pdf.name
    assert generate_report_pdf.apply(args=[report.pk]).get() == "done"
    report.refresh_from_db()
    assert report.pdf.name == name


def test_the_footer_repeats_the_title_as_plain_text(data, manager):
    """Reproduced before: the footer read "Poste Bourgu002Denu002DBresse" (escapejs in a
    CSS string)."""
    data["employer"].name = "Association Saint-Jean-de-Bourg"
    data["employer"].save()
    report = create(data, manager)
    generate_report_pdf.apply(args=[report.pk])
    report.refresh_from_db()
    assert "Saint-Jean-de-Bourg" in report.title
    with report.pdf.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
    assert len(pages) > 2
    for page in pages[1:]:
        text = page.extract_text()
        # The footer may wrap (after a hyphen): compared without white space.
        assert "".join(report.title.split()) in "".join(text.split()), text[-400:]
        assert "u002D" not in text and "u2014" not in text


def test_pdf_uses_marianne(data, manager):
    report = create(data, manager)
    generate_report_pdf.apply(args=[report.pk])
    report.refresh_from_db()
    with report.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    fonts = set()
    for page in reader.pages[:2]:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Marianne" in f for f in fonts), fonts


def test_validation_sending_recipients_and_grants(data, manager, monkeypatch):
    funder = FunderFactory(department=data["department"])
    funder_user = UserFactory(funder_user=True, funder=funder, department=data["department"])
    other_funder_user = UserFactory(funder_user=True, department=data["department"])
    unit_lead = UserFactory(unit_lead=True, unit=data["units"][0], department=data["department"])
    prefecture = UserFactory(prefecture=True, department=data["department"])
    monkeypatch.setattr(
        services.creation, "funder_ids_covering", lambda *, post_ids, start, end: {funder.pk}
    )
    report = create(data, manager, kind=ReportKind.MONTHLY, period=MARCH)
    assert set(report.recipient_funders.all()) == {funder}
    assert set(report.recipient_units.all()) == set(data["units"])
    assert not Report.objects.visible_to(funder_user).exists()
    # A recipient sees a bilan once it is sent to them, the préfecture too: a draft and a
    # validated bilan belong to their authors (the préfecture read drafts before).
    assert not Report.objects.visible_to(prefecture).filter(pk=report.pk).exists()
    with pytest.raises(ValidationError):
        services.report_send(report=report, acting_user=manager)
    services.report_validate(report=report, acting_user=manager)
    assert not Report.objects.visible_to(prefecture).filter(pk=report.pk).exists()
    services.report_send(report=report, acting_user=manager)
    report.refresh_from_db()
    assert report.status == ReportStatus.SENT
    assert Report.objects.visible_to(prefecture).filter(pk=report.pk).exists()
    assert Report.objects.visible_to(funder_user).filter(pk=report.pk).exists()
    assert Report.objects.visible_to(unit_lead).filter(pk=report.pk).exists()
    assert not Report.objects.visible_to(other_funder_user).exists()


def test_send_mails_recipients_without_personal_data(
    data, manager, monkeypatch, django_capture_on_commit_callbacks
):
    funder = FunderFactory(department=data["department"])
    funder_user = UserFactory(funder_user=True, funder=funder, department=data["department"])
    monkeypatch.setattr(
        services.creation, "funder_ids_covering", lambda *, post_ids, start, end: {funder.pk}
    )
    report = create(data, manager)
    services.report_validate(report=report, acting_user=manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_send(report=report, acting_user=manager)
    recipients = {address for message in mail.outbox for address in message.to}
    assert funder_user.email in recipients and manager.email in recipients
    for message in mail.outbox:
        assert "QUASIMODINE" not in message.body
        assert f"/bilans/{report.pk}/" in message.body


def test_only_authorised_authors(data, manager):
    worker = data["worker"]
    stranger = UserFactory(worker=True)
    with pytest.raises(PermissionDenied):
        create(data, stranger, scope=Scope.for_post(data["post"]))
    with pytest.raises(PermissionDenied):
        create(data, worker)  # employer scope: not for a worker
    report = create(data, worker, scope=Scope.for_post(data["post"]))
    assert report.employer == data["employer"]
    assert Report.objects.visible_to(worker).filter(pk=report.pk).exists()
    assert not Report.objects.visible_to(stranger).exists()
    assert Report.objects.visible_to(manager).filter(pk=report.pk).exists()
    outsider = UserFactory(employer_manager=True, department=data["department"])
    assert not Report.objects.visible_to(outsider).exists()
    agent = UserFactory(unit_agent=True, unit=data["units"][0], department=data["department"])
    assert not Report.objects.visible_to(agent).exists()
    admin = UserFactory(admin=True, department=data["department"])
    assert not Report.objects.visible_to(admin).filter(pk=report.pk).exists()  # a draft


def test_a_new_version_carries_the_evaluations_over(data, manager):
    """Recalculating must not make the employer type the evaluation again."""
    report = create(data, manager)
    services.report_update_evaluation(
        report=report, text="Présence utile aux unités.", part="employer", acting_user=manager
    )
    # (An employer's bilan has no worker's part to write through a page; stored directly.)
    Report.objects.filter(pk=report.pk).update(worker_evaluation="Bon lien avec la brigade.")
    report.refresh_from_db()
    new = services.report_regenerate(report=report, acting_user=manager)
    assert new.version == report.version + 1
    assert new.employer_evaluation == "Présence utile aux unités."
    assert new.worker_evaluation == "Bon lien avec la brigade."
