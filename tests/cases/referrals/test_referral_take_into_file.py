"""A saisine taken into a file is one transaction (cases.referrals.services.intake): the person's
record, the file and the saisine are written together or not at all."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.enums import ReferralStatus
from cases.models import Beneficiary, Case
from cases.referrals.services import intake
from cases.referrals.services.intake import referral_take_into_file
from tests.cases.files import test_worker_views
from tests.cases.files.test_beneficiary_views import _beneficiary_post
from tests.iscg.factories import UserFactory

# The worker's world of the file screens: a post, a person and their file, a saisine.
world = test_worker_views.world


def _new_person_post(world):
    data = _beneficiary_post(world, last_name="Vasseur", first_name="Julie", phone="")
    data["saisine"] = world["referral"].pk
    data["confirm_duplicate"] = "True"
    return data


def test_a_refusal_after_the_file_is_opened_leaves_no_record_and_no_file(
    client, world, monkeypatch
):
    """The view opened the file, then took the saisine: when taking it was refused, the
    person's record and the file stayed, and the saisine was still to take."""

    def refused(**kwargs):
        raise ValidationError("Cette saisine ne peut plus être prise en compte.")

    monkeypatch.setattr(intake, "referral_take", refused)
    people, files = Beneficiary.objects.count(), Case.objects.count()
    client.force_login(world["worker"])
    response = client.post(reverse("cases:beneficiary_create"), _new_person_post(world))

    assert response.status_code == 200
    assert "Cette saisine ne peut plus être prise en compte." in response.content.decode()
    assert 'value="Vasseur"' in response.content.decode()  # what was typed is kept
    assert (Beneficiary.objects.count(), Case.objects.count()) == (people, files)


def test_a_replayed_new_person_form_creates_nothing_more(client, world):
    """The same POST sent twice (a back button, a reload) created a second record and a
    second file, and moved the saisine to them."""
    client.force_login(world["worker"])
    url = reverse("cases:beneficiary_create")
    first = client.post(url, _new_person_post(world))
    assert first.status_code == 302
    world["referral"].refresh_from_db()
    case = world["referral"].case
    people, files = Beneficiary.objects.count(), Case.objects.count()

    again = client.post(url, _new_person_post(world))

    assert again.status_code == 200
    assert "est déjà prise en compte dans un accompagnement" in again.content.decode()
    assert (Beneficiary.objects.count(), Case.objects.count()) == (people, files)
    world["referral"].refresh_from_db()
    assert world["referral"].case == case


def test_a_known_person_a_new_file_then_a_second_tab_is_refused(world):
    referral, worker = world["referral"], world["worker"]
    case = referral_take_into_file(
        referral=referral, beneficiary=world["beneficiary"], acting_user=worker
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.TAKEN and referral.case == case
    assert case.beneficiary == world["beneficiary"] and case.post == referral.post
    with pytest.raises(ValidationError, match="déjà prise en compte"):
        referral_take_into_file(referral=referral, case=world["case"], acting_user=worker)
    referral.refresh_from_db()
    assert referral.case == case


def test_a_worker_of_another_post_learns_nothing_of_the_saisine(world):
    """The "already in a file" check came before the actor's: a worker of another post
    was told the saisine's number and that it was taken."""
    referral, worker = world["referral"], world["worker"]
    referral_take_into_file(referral=referral, beneficiary=world["beneficiary"], acting_user=worker)
    stranger = UserFactory(worker=True)
    with pytest.raises(PermissionDenied) as refusal:
        referral_take_into_file(
            referral=referral, beneficiary=world["beneficiary"], acting_user=stranger
        )
    assert referral.number not in str(refusal.value)
