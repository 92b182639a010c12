"""An acte corrected or withdrawn by the post's workers, the reason kept in the history.

Reproduced before: an acte could be neither edited nor withdrawn; a wrong type or a note
typed in the wrong file stayed for good.
"""

from django.urls import reverse
from django.utils import timezone

from cases.models import Action
from reporting import services as reporting
from reporting.periods import Period
from reporting.scope import Scope
from tests.cases.factories import action_kind
from tests.cases.files.test_worker_views import world  # noqa: F401 - fixture
from tests.iscg.factories import UserFactory


def _text(response) -> str:
    return " ".join(response.content.decode().replace("&#x27;", "'").split())


def _correction(data_world, **changes):
    action = data_world["action"]
    data = {
        "kind": action.kind_id,
        "occurred_at": timezone.localtime(action.occurred_at).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "47",
        "site": data_world["site"].pk,
        "confidential_note": "Note corrigée",
        "reason": "Durée mal saisie",
    }
    data.update(changes)
    return data


def test_the_case_page_offers_correction_and_withdrawal(client, world):  # noqa: F811
    client.force_login(world["worker"])
    html = client.get(reverse("cases:case_detail", args=[world["case"].pk])).content.decode()
    assert reverse("cases:action_correct", args=[world["action"].pk]) in html
    assert reverse("cases:action_withdraw", args=[world["action"].pk]) in html


def test_an_acte_is_corrected_with_its_reason_in_the_history(client, world):  # noqa: F811
    client.force_login(world["worker"])
    url = reverse("cases:action_correct", args=[world["action"].pk])
    assert "Motif de la correction" in _text(client.get(url))
    other_kind = action_kind("entretien-telephonique")
    response = client.post(url, _correction(world, kind=other_kind.pk, duration_minutes="50"))
    assert response.status_code == 302
    action = Action.objects.get(pk=world["action"].pk)
    assert action.duration_minutes == 50 and action.confidential_note == "Note corrigée"
    latest = action.history.latest()
    assert latest.history_change_reason == "Durée mal saisie"
    assert latest.history_user == world["worker"]
    history = _text(
        client.get(
            reverse(
                "history",
                kwargs={"app_label": "cases", "model_name": "case", "pk": world["case"].pk},
            )
        )
    )
    assert "Motif : Durée mal saisie" in history


def test_a_correction_without_reason_or_out_of_the_case_is_refused(client, world):  # noqa: F811
    client.force_login(world["worker"])
    url = reverse("cases:action_correct", args=[world["action"].pk])
    response = client.post(url, _correction(world, reason=""))
    assert response.status_code == 400
    text = _text(response)
    assert "Indiquez le motif de la correction." in text and "Note corrigée" in text
    response = client.post(url, _correction(world, occurred_at="2020-01-01T10:00"))
    assert "d'avant l'ouverture de l'accompagnement" in _text(response)
    assert Action.objects.get(pk=world["action"].pk).duration_minutes != 47


def test_an_acte_is_withdrawn_with_its_reason_and_bilans_already_made_keep_it(
    client,
    world,  # noqa: F811
):
    post = world["post"]
    today = timezone.localdate()
    period = Period(today.replace(day=1), today)
    before = reporting.report_create(
        kind="on_demand",
        period=period,
        scope=Scope.for_post(post),
        acting_user=world["worker"],
    )
    frozen = before.figures
    client.force_login(world["worker"])
    url = reverse("cases:action_withdraw", args=[world["action"].pk])
    assert "Vous allez retirer" in _text(client.get(url))
    response = client.post(url, {"reason": ""})
    assert "Indiquez le motif du retrait." in _text(response)
    assert Action.objects.filter(pk=world["action"].pk).exists()
    response = client.post(url, {"reason": "Saisi dans le mauvais dossier"})
    assert response.status_code == 302
    assert not Action.objects.filter(pk=world["action"].pk).exists()
    record = Action.history.filter(id=world["action"].pk).latest()
    assert record.history_type == "-"
    assert record.history_change_reason == "Saisi dans le mauvais dossier"
    before.refresh_from_db()
    assert before.figures == frozen
    after = reporting.report_create(
        kind="on_demand", period=period, scope=Scope.for_post(post), acting_user=world["worker"]
    )
    assert after.figures != frozen


def test_another_posts_worker_cannot_touch_the_acte(client, world):  # noqa: F811
    client.force_login(UserFactory(worker=True))
    for name in ("cases:action_correct", "cases:action_withdraw"):
        url = reverse(name, args=[world["action"].pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "Essai"}).status_code == 404
    assert Action.objects.filter(pk=world["action"].pk).exists()
