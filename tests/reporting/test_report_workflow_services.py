"""A bilan's workflow is decided by its services, not by the views or the templates.

Reproduced before: the creation view chose by role which part of the evaluation the text
typed in the form went to (a service call without the view put a manager's text in the
worker's part); validating and sending checked neither the actor nor, for sending, that
the version was the newest (an older validated version could be sent after a newer one
was computed, and the page offered "Envoyer" for it); the task held the PDF's states."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reporting import services
from reporting.models import GenerationState, Report, ReportKind, ReportStatus
from reporting.periods import Period
from reporting.scope import Scope
from reporting.services import pdf_generation
from tests.reporting.test_views import get, world  # noqa: F401 - fixture

Q1 = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))


def test_the_text_typed_at_creation_goes_to_its_authors_part(world):  # noqa: F811
    data, users, _sent, _draft = world
    by_manager = services.report_create(
        kind=ReportKind.ANNUAL,
        period=Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
        scope=Scope.for_employer(data["employer"]),
        evaluation_text="  Le dispositif répond au besoin.  ",
        acting_user=users["manager"],
    )
    assert by_manager.employer_evaluation == "Le dispositif répond au besoin."
    assert by_manager.worker_evaluation == ""
    by_worker = services.report_create(
        kind=ReportKind.MONTHLY,
        period=Period(datetime.date(2026, 4, 1), datetime.date(2026, 4, 30)),
        scope=Scope.for_post(data["post"]),
        evaluation_text="Bon lien avec la brigade.",
        acting_user=users["worker"],
    )
    assert (by_worker.worker_evaluation, by_worker.employer_evaluation) == (
        "Bon lien avec la brigade.",
        "",
    )


def test_a_new_version_asked_by_the_manager_keeps_their_text_in_their_part(world):  # noqa: F811
    _data, users, _sent, draft = world
    Report.objects.filter(pk=draft.pk).update(worker_evaluation="Texte de l'intervenante.")
    again = services.report_create(
        kind=draft.kind,
        period=draft.period,
        scope=draft.scope,
        evaluation_text="Texte du responsable.",
        acting_user=users["manager"],
    )
    assert again.version == draft.version + 1
    assert again.employer_evaluation == "Texte du responsable."
    assert again.worker_evaluation == "Texte de l'intervenante."  # carried over


@pytest.mark.parametrize("role", ["worker", "other_manager", "prefecture", "funder"])
def test_only_the_employers_manager_validates_or_sends(world, role):  # noqa: F811
    _data, users, _sent, draft = world
    with pytest.raises(PermissionDenied):
        services.report_validate(report=draft, acting_user=users[role])
    services.report_validate(report=draft, acting_user=users["manager"])
    with pytest.raises(PermissionDenied):
        services.report_send(report=draft, acting_user=users[role])
    draft.refresh_from_db()
    assert draft.status == ReportStatus.VALIDATED


def test_an_older_validated_version_is_neither_sent_nor_offered(client, world):  # noqa: F811
    _data, users, _sent, draft = world
    services.report_validate(report=draft, acting_user=users["manager"])
    newer = services.report_regenerate(report=draft, acting_user=users["manager"])
    draft.refresh_from_db()
    refusal = services.step_refusal(draft, services.SEND)
    assert refusal == "Une version plus récente de ce bilan existe : validez-la, puis envoyez-la."
    with pytest.raises(ValidationError, match="plus récente"):
        services.report_send(report=draft, acting_user=users["manager"])
    page = get(client, users["manager"], "detail", draft.pk).content.decode()
    assert "Envoyer aux destinataires" not in page
    assert "Valider le bilan" not in page
    response = get(client, users["manager"], "send", draft.pk)
    assert response.status_code == 302
    assert services.steps_open_to(users["manager"], newer) == {services.VALIDATE}
    assert "Valider le bilan" in get(client, users["manager"], "detail", newer.pk).content.decode()


def test_a_step_taken_in_another_tab_is_refused_by_the_service(world):  # noqa: F811
    _data, users, _sent, draft = world
    stale = Report.objects.get(pk=draft.pk)
    services.report_validate(report=draft, acting_user=users["manager"])
    with pytest.raises(ValidationError, match="plus un brouillon"):
        services.report_validate(report=stale, acting_user=users["manager"])


def test_the_pdf_states_live_in_the_service(world, monkeypatch):  # noqa: F811
    _data, _users, _sent, draft = world

    def broken(report):
        raise RuntimeError("police introuvable")

    monkeypatch.setattr("reporting.pdf.render_pdf", broken)
    outcome = pdf_generation.pdf_generate(report_id=draft.pk, worker="w1", may_retry=True)
    draft.refresh_from_db()
    assert outcome == pdf_generation.Outcome.RETRY
    assert (draft.generation_state, draft.generation_attempts) == (GenerationState.PENDING, 1)
    outcome = pdf_generation.pdf_generate(report_id=draft.pk, worker="w1", may_retry=False)
    draft.refresh_from_db()
    assert outcome == pdf_generation.Outcome.FAILED
    assert draft.generation_error == "police introuvable"
    monkeypatch.setattr("reporting.pdf.render_pdf", lambda report: b"%PDF-1.4 rendu")
    assert pdf_generation.pdf_generate(report_id=draft.pk, worker="w1", may_retry=True) == "failed"
    services.report_pdf_retry(report=draft, acting_user=_users["manager"])
    assert pdf_generation.pdf_generate(report_id=draft.pk, worker="w1", may_retry=True) == "done"
    assert pdf_generation.pdf_generate(report_id=0, worker="w1", may_retry=True) == "missing"
