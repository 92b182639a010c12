"""Validating and sending a bilan: confirmed first, and the PDF stamped at each step.

Reproduced before: the PDF made when the bilan was created said "Statut : Brouillon"
and was the one recipients downloaded after validation and sending; validate and send
were single clicks, sending e-mailing every recipient without listing them.
"""

import html
import io

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reporting.models import Report, ReportStatus
from reporting.pdf import render_pdf
from reporting.tasks import generate_report_pdf
from tests.reporting.test_views import get, post, world  # noqa: F401 - fixture


def _pdf_text(report) -> str:
    report = Report.objects.get(pk=report.pk)
    generate_report_pdf.apply(args=[report.pk])
    report.refresh_from_db()
    with report.pdf.open("rb") as pdf:
        pages = PdfReader(io.BytesIO(pdf.read())).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_each_step_is_confirmed_then_stamped_in_the_pdf(client, world):  # noqa: F811
    _data, users, _sent, draft = world
    manager = users["manager"]
    text = " ".join(render_pdf(draft).decode("latin-1", "ignore").split())  # smoke: renders
    assert text.startswith("%PDF")
    assert "Brouillon — document de travail" in _pdf_text(draft)

    page = get(client, manager, "validate", draft.pk)
    assert page.status_code == 200
    content = " ".join(html.unescape(page.content.decode()).split())
    assert "Confirmer la validation" in content
    assert "L'évaluation qualitative n'est pas complète" in content
    assert "évaluation de l'intervenant·e social·e : 5 questions sur 5 sans réponse" in content
    assert "évaluation de l'employeur : 5 questions sur 5 sans réponse" in content
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT  # a GET changes nothing

    assert post(client, manager, "validate", draft.pk).status_code == 302
    draft.refresh_from_db()
    today = timezone.localdate()
    name = manager.get_full_name()
    text = _pdf_text(draft)
    assert f"Validé le {today:%d/%m/%Y} par {name} (responsable employeur)" in text
    assert "Brouillon" not in text

    page = get(client, manager, "send", draft.pk).content.decode()
    assert "Confirmer l'envoi" in page
    for role in ("prefecture", "funder", "manager"):
        assert users[role].email in page, role
    assert users["other_funder"].email not in page and users["other_prefecture"].email not in page
    assert post(client, manager, "send", draft.pk).status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SENT
    text = _pdf_text(draft)
    assert f"Envoyé le {today:%d/%m/%Y} — validé le {today:%d/%m/%Y} par {name}" in text


def test_a_step_that_no_longer_applies_sends_back_to_the_bilan(client, world):  # noqa: F811
    _data, users, sent, _draft = world
    response = get(client, users["manager"], "validate", sent.pk)
    assert response["Location"] == reverse("reporting:detail", args=[sent.pk])
    response = client.get(response["Location"])
    assert (
        "Ce bilan n'est plus un brouillon : il ne peut pas être validé."
        in response.content.decode()
    )
    assert get(client, users["manager"], "send", sent.pk).status_code == 302
    assert get(client, users["funder"], "send", sent.pk).status_code == 403
