"""Who reaches which referral page, and the canary: a unit never reads the case."""

import pytest
from django.core import mail
from django.urls import reverse

from cases.enums import OrientationStatus, ReferralStatus
from cases.referrals.services.feedback import unit_feedback_send
from partners.models import PartnerKind
from tests.cases.factories import (
    ActionFactory,
    BeneficiaryFactory,
    CaseFactory,
    OrientationFactory,
    ReferralFactory,
)
from tests.cases.referral_world import world_fixture  # noqa: F401
from tests.iscg.factories import UserFactory
from tests.partners.factories import PartnerFactory

UNIT_PAGES = ["unit_create", "unit_list", "unit_detail", "unit_confirmation"]
WORKER_PAGES = [
    "worker_detail",
    "take",
    "feedback",
    "auto_bulk",
    "auto_upload",
    "auto_template",
]
WITH_PK = {"unit_detail", "unit_confirmation", "worker_detail", "take", "feedback"}
POST_ONLY = {"take"}


def _url(name, referral):
    args = [referral.pk] if name in WITH_PK else []
    return reverse(f"referrals:{name}", args=args)


def _get_or_post(client, name, referral):
    url = _url(name, referral)
    return client.post(url) if name in POST_ONLY else client.get(url)


@pytest.fixture
def referral(world):
    return ReferralFactory(
        source_unit=world["brigade"], post=world["post"], submitted_by=world["agent"]
    )


@pytest.mark.parametrize("name", UNIT_PAGES + WORKER_PAGES)
@pytest.mark.parametrize("role", ["employer_manager", "prefecture", "funder_user", "admin"])
def test_other_roles_get_403_everywhere(client, world, referral, role, name):
    client.force_login(UserFactory(**{role: True}, department=world["department"]))
    assert _get_or_post(client, name, referral).status_code == 403


@pytest.mark.parametrize("name", WORKER_PAGES)
def test_unit_users_get_403_on_worker_pages(client, world, referral, name):
    for user in (world["agent"], world["lead"]):
        client.force_login(user)
        assert _get_or_post(client, name, referral).status_code == 403


@pytest.mark.parametrize("name", UNIT_PAGES)
def test_workers_get_403_on_unit_pages(client, world, referral, name):
    client.force_login(world["worker"])
    assert _get_or_post(client, name, referral).status_code == 403


@pytest.mark.parametrize("name", ["unit_detail", "unit_confirmation"])
def test_an_agent_of_another_unit_gets_404(client, world, referral, name):
    client.force_login(world["other_agent"])
    assert _get_or_post(client, name, referral).status_code == 404
    client.force_login(world["lead"])  # leads the company above both brigades
    assert _get_or_post(client, name, referral).status_code == 200


@pytest.mark.parametrize("name", ["worker_detail", "take", "feedback"])
def test_a_worker_of_another_post_gets_404(client, world, referral, name):
    client.force_login(world["other_worker"])
    assert _get_or_post(client, name, referral).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, referral):
    for name in UNIT_PAGES + WORKER_PAGES:
        response = _get_or_post(client, name, referral)
        assert response.status_code == 302 and "/compte/connexion/" in response.url


CANARIES = {
    "note": "CANARI-NOTE-CONFIDENTIELLE-4b7e",
    "acte": "CANARI-ACTE-91c2",
    "partner": "CANARI-PARTENAIRE-Maison-X",
    "beneficiary": "CANARI-BENEFICIAIRE-Zorglub",
}


def test_canary_nothing_of_the_case_reaches_a_unit(
    client, world, referral, django_capture_on_commit_callbacks
):
    beneficiary = BeneficiaryFactory(
        post=world["post"], last_name=CANARIES["beneficiary"], created_by=world["worker"]
    )
    case = CaseFactory(beneficiary=beneficiary, created_by=world["worker"])
    ActionFactory(case=case, confidential_note=CANARIES["note"], author=world["worker"])
    ActionFactory(
        case=case, confidential_note=f"Entretien {CANARIES['acte']}", author=world["worker"]
    )
    kind = PartnerKind.objects.create(code="canari-kind", label="Association d'aide aux victimes")
    OrientationFactory(
        case=case,
        partner=PartnerFactory(name=CANARIES["partner"], kind=kind),
        reason="Accompagnement juridique",
        partner_answer=CANARIES["note"],
        author=world["worker"],
        status=OrientationStatus.DONE,
    )
    referral.beneficiary, referral.case = beneficiary, case
    referral.status = ReferralStatus.ORIENTED
    referral.save()
    with django_capture_on_commit_callbacks(execute=True):
        # The unit learns the partner's kind only because the worker ticks it in the feedback.
        unit_feedback_send(
            referral=referral,
            kind="situation_worsened",
            partner_kinds=[kind],
            acting_user=world["worker"],
        )

    for user in (world["agent"], world["lead"]):
        client.force_login(user)
        responses = [client.get("/")]
        for name in UNIT_PAGES + WORKER_PAGES:
            responses.append(_get_or_post(client, name, referral))
        responses.append(client.get(reverse("referrals:unit_list"), {"status": "oriented"}))
        for response in responses:
            body = response.content.decode()
            for canary in CANARIES.values():
                assert canary not in body, (user, response.request["PATH_INFO"], canary)
        detail = client.get(reverse("referrals:unit_detail", args=[referral.pk])).content.decode()
        assert "Association d&#x27;aide aux victimes" in detail  # the kind, not the name
        assert "Situation aggravée" in detail
    for message in mail.outbox:
        for canary in CANARIES.values():
            assert canary not in message.subject + message.body
    # The worker, on the other hand, reads the referral routed to their post.
    client.force_login(world["worker"])
    assert client.get(_url("worker_detail", referral)).status_code == 200
