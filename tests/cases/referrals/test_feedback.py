"""The feedback loop: the worker's typed feedback, its review step, what is owed."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases.enums import FeedbackKind, ReferralStatus
from cases.models import Referral, UnitFeedback
from cases.referrals.selectors import FeedbackDueReason, feedback_due
from cases.referrals.services.feedback import unit_feedback_send
from tests.cases.factories import ReferralFactory, UnitFeedbackFactory
from tests.cases.referral_world import world_fixture  # noqa: F401


@pytest.fixture
def referral(world):
    return ReferralFactory(
        source_unit=world["brigade"], post=world["post"], submitted_by=world["agent"]
    )


@pytest.mark.parametrize(
    ("kind", "start", "expected"),
    [
        (FeedbackKind.CONTACT_ESTABLISHED, ReferralStatus.TAKEN, ReferralStatus.CONTACT_MADE),
        (FeedbackKind.UNREACHABLE, ReferralStatus.TAKEN, ReferralStatus.UNREACHABLE),
        (FeedbackKind.DID_NOT_COME, ReferralStatus.RECEIVED, ReferralStatus.UNREACHABLE),
        (FeedbackKind.REFUSED_HELP, ReferralStatus.TAKEN, ReferralStatus.REFUSED),
        (FeedbackKind.SITUATION_WORSENED, ReferralStatus.TAKEN, ReferralStatus.CONTACT_MADE),
        (FeedbackKind.SITUATION_WORSENED, ReferralStatus.ORIENTED, ReferralStatus.ORIENTED),
        (FeedbackKind.CONTACT_ESTABLISHED, ReferralStatus.ORIENTED, ReferralStatus.ORIENTED),
    ],
)
def test_feedback_sets_the_status(world, referral, kind, start, expected):
    referral.status = start
    referral.save()
    unit_feedback_send(
        referral=referral, kind=kind, attempts=3, message="", acting_user=world["worker"]
    )
    referral.refresh_from_db()
    assert referral.status == expected
    feedback = UnitFeedback.objects.get()
    assert feedback.attempts == (3 if kind == FeedbackKind.UNREACHABLE else None)


def test_unreachable_needs_attempts(world, referral):
    with pytest.raises(ValidationError):
        unit_feedback_send(referral=referral, kind="unreachable", acting_user=world["worker"])


def test_only_a_worker_of_the_routed_post_sends_feedback(world, referral):
    for user in (world["other_worker"], world["agent"], world["manager"]):
        with pytest.raises(PermissionDenied):
            unit_feedback_send(referral=referral, kind="refused_help", acting_user=user)
    assert not UnitFeedback.objects.exists()


def test_feedback_on_a_closed_referral_keeps_it_closed(world, referral):
    referral.status = ReferralStatus.CLOSED
    referral.save()
    unit_feedback_send(referral=referral, kind="refused_help", acting_user=world["worker"])
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED


def test_the_unit_is_emailed_without_content(world, referral, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        unit_feedback_send(
            referral=referral,
            kind="refused_help",
            message="Message-secret-XYZ",
            acting_user=world["worker"],
        )
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([world["brigade"].email, world["agent"].email])
    for message in mail.outbox:
        assert referral.number in message.subject
        text = message.subject + message.body
        assert "Message-secret-XYZ" not in text
        assert referral.person_last_name not in text
        assert "Refus" not in text
        assert reverse("referrals:unit_detail", args=[referral.pk]) in message.body


def test_an_auto_saisine_feedback_goes_to_the_unit_only(world, django_capture_on_commit_callbacks):
    referral = ReferralFactory(
        source_unit=world["brigade"],
        post=world["post"],
        origin="fsi_indirect",
        submitted_by=world["worker"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        unit_feedback_send(referral=referral, kind="did_not_come", acting_user=world["worker"])
    assert [m.to for m in mail.outbox] == [[world["brigade"].email]]


def test_form_preview_then_confirm(client, world, referral):
    client.force_login(world["worker"])
    url = reverse("referrals:feedback", args=[referral.pk])
    page = client.get(url).content.decode()
    assert "sort du secret professionnel" in page
    data = {"kind": "unreachable", "attempts": "3", "message": "Trois appels sans réponse."}
    preview = client.post(url, {**data, "step": "preview"}).content.decode()
    assert "Relire le retour avant l" in preview
    assert "Trois appels sans réponse." in preview
    assert "Après 3 tentatives de contact." in preview
    assert not UnitFeedback.objects.exists()
    edit = client.post(url, {**data, "step": "edit"}).content.decode()
    assert "Trois appels sans réponse." in edit and not UnitFeedback.objects.exists()
    response = client.post(url, {**data, "step": "confirm"})
    assert response.status_code == 302
    feedback = UnitFeedback.objects.get()
    assert (feedback.kind, feedback.attempts, feedback.author) == (
        "unreachable",
        3,
        world["worker"],
    )


def test_form_errors_in_french_keep_the_message(client, world, referral):
    client.force_login(world["worker"])
    url = reverse("referrals:feedback", args=[referral.pk])
    html = client.post(
        url, {"kind": "unreachable", "message": "À garder", "step": "preview"}
    ).content.decode()
    assert "Indiquez le nombre de tentatives de contact." in html
    assert "À garder" in html
    html = client.post(url, {"message": "Encore", "step": "preview"}).content.decode()
    assert "Choisissez le type de retour." in html


def test_worker_detail_panel_and_take_button(client, world, referral):
    UnitFeedbackFactory(referral=referral, kind="contact_established", author=world["worker"])
    client.force_login(world["worker"])
    html = client.get(reverse("referrals:worker_detail", args=[referral.pk])).content.decode()
    assert referral.person_last_name.upper() in html
    assert "Contact établi et accompagnement en cours" in html
    assert "Envoyer un retour à l'unité" in html
    assert reverse("cases:referral_take", args=[referral.pk]) in html
    assert "Prendre en compte" in html
    assert reverse("referrals:take", args=[referral.pk]) not in html


def test_take_leads_to_the_take_over_flow_and_loses_nothing(client, world, referral):
    """Reproduced before: "Prendre en compte" on the saisine's page only changed its status;
    attached to no file, it left "Nouvelles saisines" and was found again only through
    "Retours dus"."""
    client.force_login(world["worker"])
    response = client.post(reverse("referrals:take", args=[referral.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:referral_take", args=[referral.pk])
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED and referral.taken_by is None


def test_take_is_post_only(client, world, referral):
    client.force_login(world["worker"])
    assert client.get(reverse("referrals:take", args=[referral.pk])).status_code == 405


def test_feedback_due_selector(world):
    now = timezone.now()
    days = datetime.timedelta(days=1)

    def make(age_days, status=ReferralStatus.RECEIVED, **extra):
        return ReferralFactory(
            source_unit=world["brigade"],
            post=world["post"],
            status=status,
            received_at=now - age_days * days,
            **extra,
        )

    fresh = make(2)
    no_contact = make(8, ReferralStatus.TAKEN)
    refused = make(1, ReferralStatus.REFUSED)
    refused_told = make(1, ReferralStatus.REFUSED)
    UnitFeedbackFactory(referral=refused_told, kind="refused_help")
    contact_no_feedback = make(16, ReferralStatus.CONTACT_MADE)
    contact_with_feedback = make(16, ReferralStatus.CONTACT_MADE)
    UnitFeedbackFactory(referral=contact_with_feedback)
    closed = make(30, ReferralStatus.CLOSED)
    other_post = make(30, post_id=world["other_post"].pk)  # noqa: F841 - another post's
    due = {
        r.pk: r.due_reason
        for r in feedback_due(Referral.objects.for_workers_of(world["worker"]), now)
    }
    assert due == {
        no_contact.pk: FeedbackDueReason.NO_CONTACT,
        refused.pk: FeedbackDueReason.REFUSAL,
        contact_no_feedback.pk: FeedbackDueReason.NO_FEEDBACK,
    }
    assert fresh.pk not in due and closed.pk not in due


def test_worker_home_lists_feedback_owed(client, world):
    owed = ReferralFactory(
        source_unit=world["brigade"], post=world["post"], status=ReferralStatus.REFUSED
    )
    client.force_login(world["worker"])
    html = client.get("/").content.decode()
    assert "Retours dus aux unités" in html
    assert owed.number in html
    assert "Refus enregistré" in html
    received = timezone.localtime(owed.received_at)
    assert f"({escape(world['brigade'].name)}, reçue le {received:%d/%m/%Y})" in html
    # Reproduced before: 17 lines and no way from them to the feedback form.
    assert f'href="{reverse("referrals:feedback", args=[owed.pk])}"' in html
    assert f'Écrire le retour<span class="fr-sr-only"> de la saisine {owed.number}' in html


def test_a_referral_saved_after_a_feedback_it_did_not_know_of_stays_answered(world, referral):
    """A referral read in one tab before a feedback is sent in another, then saved: the
    flags the feedback set are not cleared, and no feedback is owed weeks later (with them
    cleared, « Aucun retour après 15 jours » came back)."""
    referral.status = ReferralStatus.CONTACT_MADE
    referral.save()
    stale = Referral.objects.get(pk=referral.pk)
    UnitFeedbackFactory(referral=referral, kind=FeedbackKind.REFUSED_HELP)
    stale.context = "Précisé après coup."
    stale.save()
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.last_feedback_at is not None and stored.refusal_feedback_sent
    assert stored.context == "Précisé après coup."
    later = timezone.now() + datetime.timedelta(days=30)
    assert list(feedback_due(Referral.objects.filter(pk=referral.pk), later)) == []


def test_a_referral_read_with_some_fields_saves_them_and_keeps_the_flags(world, referral):
    """A full save of a referral read with ``only`` writes what it read, as Django would,
    and still never the feedback flags."""
    UnitFeedbackFactory(referral=referral, kind=FeedbackKind.REFUSED_HELP)
    partial = Referral.objects.only("pk", "context").get(pk=referral.pk)
    partial.context = "Relu en partie."
    partial.save()
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.context == "Relu en partie."
    assert stored.last_feedback_at is not None and stored.refusal_feedback_sent
