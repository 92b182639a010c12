"""Taking a saisine into a file from the worker's pages, and recording a saisine of
another origin."""

from django.urls import reverse
from django.utils import timezone

from cases.enums import ReferralStatus
from cases.models import Referral
from tests.cases.factories import (
    BeneficiaryFactory,
    ReferralFactory,
    problem,
)
from tests.cases.files.test_beneficiary_views import _beneficiary_post
from tests.cases.files.test_worker_views import world  # noqa: F401 - fixture


def test_take_flow_proposes_probable_beneficiaries(client, world):  # noqa: F811
    referral = ReferralFactory(
        post=world["post"], person_last_name="LEFEVRE", person_first_name="helene"
    )
    client.force_login(world["worker"])
    url = reverse("cases:referral_take", args=[referral.pk])
    content = client.get(url).content.decode()
    assert "LEFÈVRE Hélène" in content
    choice = f"b{world['beneficiary'].pk}-c{world['case'].pk}"
    assert f'value="{choice}"' in content
    response = client.post(url, {"choice": choice})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.TAKEN
    assert referral.case == world["case"] and referral.taken_by == world["worker"]


def test_take_flow_new_beneficiary_prefilled(client, world):  # noqa: F811
    client.force_login(world["worker"])
    referral = world["referral"]
    response = client.post(reverse("cases:referral_take", args=[referral.pk]), {"choice": "new"})
    create_url = response["Location"]
    assert create_url == reverse("cases:beneficiary_create") + f"?saisine={referral.pk}"
    assert 'value="Vasseur"' in client.get(create_url).content.decode()
    data = _beneficiary_post(world, last_name="Vasseur", first_name="Julie", phone="")
    data["saisine"] = referral.pk
    response = client.post(reverse("cases:beneficiary_create"), data)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.TAKEN
    assert referral.beneficiary.last_name == "Vasseur"
    assert response["Location"] == reverse("cases:case_detail", args=[referral.case_id])


def test_take_flow_without_choice_is_explained(client, world):  # noqa: F811
    client.force_login(world["worker"])
    response = client.post(reverse("cases:referral_take", args=[world["referral"].pk]), {})
    assert response.status_code == 400
    assert "Choisissez une personne existante" in response.content.decode()


def test_take_flow_cannot_link_a_beneficiary_of_another_post(client, world):  # noqa: F811
    stranger = BeneficiaryFactory()
    client.force_login(world["worker"])
    response = client.post(
        reverse("cases:referral_take", args=[world["referral"].pk]), {"choice": f"b{stranger.pk}"}
    )
    assert response.status_code == 400
    world["referral"].refresh_from_db()
    assert world["referral"].status == ReferralStatus.RECEIVED


def test_record_a_referral_of_another_origin(client, world):  # noqa: F811
    client.force_login(world["worker"])
    url = reverse("cases:referral_record")
    response = client.post(
        url,
        {
            "post": world["post"].pk,
            "origin": "partner",
            "main_problem": problem().pk,
            "urgency": "normal",
            "consent_to_contact": "True",
            "person_last_name": "Moreau",
            "person_sex": "F",
            "procedure_kind": "none",
        },
    )
    assert "Indiquez le partenaire à l&#x27;origine de la saisine." in response.content.decode()
    assert 'value="Moreau"' in response.content.decode()
    response = client.post(
        url,
        {
            "post": world["post"].pk,
            "received_on": timezone.localdate().isoformat(),
            "origin": "self",
            "main_problem": problem().pk,
            "urgency": "normal",
            "consent_to_contact": "True",
            "person_last_name": "Moreau",
            "person_sex": "F",
        },
    )
    referral = Referral.objects.get(person_last_name="Moreau")
    assert response["Location"] == reverse("cases:referral_take", args=[referral.pk])
    assert referral.post == world["post"] and referral.origin == "self"


# Anonymous contacts ------------------------------------------------------------------------
