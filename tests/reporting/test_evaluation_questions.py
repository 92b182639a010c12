"""The qualitative evaluation asks the cahier des charges' questions.

Reproduced before: the worker and the employer each had one free text box, so a bilan
could be validated and sent without saying whether the worker's presence meets the local
need, how relations with police and gendarmerie go, or what could be improved; and an
over-long or refused evaluation sent the page back without a word, losing what was typed.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from reporting import evaluation, services
from reporting.models import Report
from reporting.tasks import generate_report_pdf
from tests.reporting.test_reports import pdf_text
from tests.reporting.test_views import world  # noqa: F401 - fixture

ANSWERS = {
    "local_needs": "Oui, les saisines directes ont doublé.",
    "partners": "Attentes du CIDFF satisfaites.",
    "relations": "Très bonnes avec la brigade.",
    "role_in_units": "Référente sociale identifiée.",
    "proposals": "Une permanence de plus le jeudi.",
}


def _post(client, user, report, part, answers, text=""):
    client.force_login(user)
    data = {f"{part}-{key}": value for key, value in answers.items()}
    data[f"{part}-text"] = text
    return client.post(reverse("reporting:evaluation", args=[report.pk, part]), data)


def test_each_part_answers_the_questions_and_the_pdf_asks_them(client, world):  # noqa: F811
    _data, users, _sent, draft = world
    client.force_login(users["manager"])
    page = client.get(reverse("reporting:detail", args=[draft.pk])).content.decode()
    for question in evaluation.QUESTIONS:
        assert question.label.replace("'", "&#x27;") in page
    response = _post(client, users["manager"], draft, "employer", ANSWERS, "Rien d'autre.")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.employer_answers == ANSWERS
    assert draft.employer_evaluation == "Rien d'autre."
    page = client.get(reverse("reporting:detail", args=[draft.pk])).content.decode()
    assert "Une permanence de plus le jeudi." in page
    generate_report_pdf.apply(args=[draft.pk])
    text = " ".join(pdf_text(draft).split())
    for question in evaluation.QUESTIONS:
        assert " ".join(question.label.split()) in text
    assert "Très bonnes avec la brigade." in text and "Rien d'autre." in text
    # The worker's part, not answered, reads "Non renseignée." for each question.
    assert text.count("Non renseignée.") >= len(evaluation.QUESTIONS)


def test_a_new_version_carries_the_answers_over(world):  # noqa: F811
    _data, users, _sent, draft = world
    services.report_update_evaluation(
        report=draft, part="employer", text="", answers=ANSWERS, acting_user=users["manager"]
    )
    new = services.report_regenerate(report=Report.objects.get(pk=draft.pk), acting_user=None)
    assert new.version == 2 and new.employer_answers == ANSWERS


def test_too_long_an_answer_is_refused_on_its_field_and_nothing_typed_is_lost(
    client,
    world,  # noqa: F811
):
    _data, users, _sent, draft = world
    answers = {**ANSWERS, "proposals": "x" * (evaluation.MAX_ANSWER_LENGTH + 1)}
    response = _post(client, users["manager"], draft, "employer", answers, "Mes observations.")
    assert response.status_code == 200
    form = response.context["employer_form"]
    assert "ne peut pas en dépasser 5000" in " ".join(form.errors["proposals"])
    page = response.content.decode()
    assert "Oui, les saisines directes ont doublé." in page and "Mes observations." in page
    draft.refresh_from_db()
    assert draft.employer_answers == {} and draft.employer_evaluation == ""


def test_the_validation_says_how_many_questions_are_unanswered(client, world):  # noqa: F811
    _data, users, _sent, draft = world
    services.report_update_evaluation(
        report=draft,
        part="employer",
        text="",
        answers={"local_needs": "Oui."},
        acting_user=users["manager"],
    )
    client.force_login(users["manager"])
    page = client.get(reverse("reporting:validate", args=[draft.pk])).content.decode()
    assert "évaluation de l&#x27;employeur : 4 questions sur 5 sans réponse" in page


def test_the_service_checks_who_writes_which_part(world):  # noqa: F811
    data, users, _sent, draft = world
    with pytest.raises(PermissionDenied):
        services.report_update_evaluation(
            report=draft, part="employer", text="", answers=ANSWERS, acting_user=users["worker"]
        )
    with pytest.raises(PermissionDenied):
        services.report_update_evaluation(
            report=draft, part="worker", text="x", acting_user=users["other_manager"]
        )


def test_a_second_tab_does_not_overwrite_the_first_and_keeps_what_it_typed(
    client,
    world,  # noqa: F811
):
    """Reproduced before: the form carried no version, so the second of two tabs opened
    on the same evaluation silently replaced what the first had saved."""
    _data, users, _sent, draft = world
    client.force_login(users["manager"])
    url = reverse("reporting:detail", args=[draft.pk])
    seen = client.get(url).context["employer_form"]["seen"].value()
    first = {"employer-seen": seen, "employer-local_needs": "Premier onglet.", "employer-text": ""}
    second = {"employer-seen": seen, "employer-local_needs": "Second onglet.", "employer-text": ""}
    post_url = reverse("reporting:evaluation", args=[draft.pk, "employer"])
    assert client.post(post_url, first).status_code == 302
    response = client.post(post_url, second)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cette évaluation a été modifiée entre-temps" in page
    assert "Second onglet." in page  # what the second tab typed is kept
    draft.refresh_from_db()
    assert draft.employer_answers == {"local_needs": "Premier onglet."}
    # Saving again, knowingly, replaces it.
    again = response.context["employer_form"]["seen"].value()
    assert client.post(post_url, {**second, "employer-seen": again}).status_code == 302
    draft.refresh_from_db()
    assert draft.employer_answers == {"local_needs": "Second onglet."}
