"""Selectors: accent-insensitive search, duplicates, dashboard queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.enums import ReferralStatus
from cases.files import selectors
from cases.files.services.beneficiaries import beneficiary_create
from cases.models import Beneficiary
from iscg import access, services
from iscg.enums import HoldingKind
from iscg.models import PostHolding
from tests.cases.factories import ActionFactory, BeneficiaryFactory, CaseFactory, ReferralFactory
from tests.iscg.factories import PostFactory, UserFactory


@pytest.fixture
def worker():
    return UserFactory(worker=True)


@pytest.fixture
def post(worker):
    return worker.holdings.get().post


def make(worker, post, **fields):
    fields.setdefault("profile", "victim")
    return beneficiary_create(acting_user=worker, post=post, **fields)


def test_search_is_insensitive_to_case_and_accents(worker, post):
    helene = make(worker, post, last_name="LEFÈVRE", first_name="HÉLÈNE", phone="06 11 22 33 44")
    make(worker, post, last_name="Martin", first_name="Paul")
    assert list(selectors.beneficiary_search(worker, "Helene")) == [helene]
    assert list(selectors.beneficiary_search(worker, "lefevre hélène")) == [helene]
    assert list(selectors.beneficiary_search(worker, "06.11.22.33.44")) == [helene]
    assert list(selectors.beneficiary_search(worker, "+33 6 11 22 33 44")) == [helene]


def test_search_by_birth_date(worker, post):
    person = make(worker, post, last_name="Roux", birth_date=datetime.date(1985, 2, 14))
    make(worker, post, last_name="Roux", birth_date=datetime.date(1985, 2, 15))
    assert list(selectors.beneficiary_search(worker, "14/02/1985")) == [person]
    assert list(selectors.beneficiary_search(worker, "1985-02-14")) == [person]
    assert len(selectors.beneficiary_search(worker, "1985")) == 2


def test_search_stays_within_the_workers_posts(worker, post):
    make(worker, post, last_name="Hélène")
    other = UserFactory(worker=True)
    assert list(selectors.beneficiary_search(other, "helene")) == []


def test_duplicates_on_normalized_name(worker, post):
    existing = make(worker, post, last_name="Lefèvre", first_name="Hélène")
    found = selectors.probable_duplicates(worker, last_name="LEFEVRE", first_name="helene")
    assert list(found) == [existing]
    assert not selectors.probable_duplicates(worker, last_name="Lefèvre", first_name="Paul")


def test_duplicates_on_birth_date_and_similar_name(worker, post):
    existing = make(
        worker, post, last_name="Martin", first_name="Sophie", birth_date=datetime.date(1990, 5, 1)
    )
    found = selectors.probable_duplicates(
        worker, last_name="Martin-Durand", first_name="Sophie", birth_date=datetime.date(1990, 5, 1)
    )
    assert list(found) == [existing]
    assert not selectors.probable_duplicates(
        worker, last_name="Martin-Durand", first_name="Sophie", birth_date=datetime.date(1991, 5, 1)
    )


def test_duplicates_on_phone(worker, post):
    existing = make(worker, post, last_name="Bernard", phone="06 12 34 56 78")
    found = selectors.probable_duplicates(worker, last_name="Autre", phone="+33612345678")
    assert list(found) == [existing]


def test_duplicates_ignore_other_posts(worker, post):
    make(worker, post, last_name="Lefèvre", first_name="Hélène")
    other = UserFactory(worker=True)
    assert not selectors.probable_duplicates(other, last_name="Lefèvre", first_name="Hélène")


def test_referrals_to_take_urgent_first(worker, post):
    now = timezone.now()
    old = ReferralFactory(post=post, received_at=now - datetime.timedelta(days=2))
    urgent = ReferralFactory(post=post, urgency="urgent", received_at=now)
    ReferralFactory(post=post, status=ReferralStatus.TAKEN)
    ReferralFactory()  # another post
    assert list(selectors.referrals_to_take(worker)) == [urgent, old]


def test_stale_cases_and_todays_actions(worker, post, time_machine):
    # At noon: "a minute ago" must still be today (it was not, just after midnight).
    time_machine.move_to(datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC))
    today = timezone.localdate()
    stale = CaseFactory(beneficiary__post=post, opened_on=today - datetime.timedelta(days=90))
    ActionFactory(case=stale, occurred_at=timezone.now() - datetime.timedelta(days=40))
    never = CaseFactory(beneficiary__post=post, opened_on=today - datetime.timedelta(days=45))
    fresh = CaseFactory(beneficiary__post=post, opened_on=today - datetime.timedelta(days=90))
    action = ActionFactory(case=fresh, occurred_at=timezone.now() - datetime.timedelta(minutes=1))
    CaseFactory(beneficiary__post=post, opened_on=today - datetime.timedelta(days=5))
    CaseFactory(
        beneficiary__post=post,
        opened_on=today - datetime.timedelta(days=90),
        closed_on=today - datetime.timedelta(days=60),
        closing_reason="goals_met",
    )
    assert set(selectors.stale_cases(worker)) == {stale, never}
    assert list(selectors.todays_actions(worker)) == [action]


def test_visibility_covers_recorded_and_accompanied_people_once_each(worker, post):

    recorded = BeneficiaryFactory(post=post, search_text="martin lea")
    CaseFactory(beneficiary=recorded, post=post)
    CaseFactory(beneficiary=recorded, post=post)  # two cases: still one row
    elsewhere = BeneficiaryFactory(search_text="martin zoe")  # recorded on another post
    CaseFactory(beneficiary=elsewhere, post=post)  # …accompanied on the worker's post
    stranger = BeneficiaryFactory(search_text="martin eve")
    CaseFactory(beneficiary=stranger)
    archived = BeneficiaryFactory(post=post, search_text="martin ines", archived_at=timezone.now())
    visible = Beneficiary.objects.visible_to(worker)
    assert sorted(b.pk for b in visible) == sorted([recorded.pk, elsewhere.pk])
    assert visible.count() == 2
    assert archived.pk not in {b.pk for b in visible}
    martin = selectors.search_condition("martin")
    found = selectors.beneficiary_list(worker, martin).order_by("search_text")
    found = selectors.with_open_case_counts(worker, found)
    assert [(b.pk, b.open_case_count) for b in found] == [(recorded.pk, 2), (elsewhere.pk, 1)]
    CaseFactory(beneficiary=elsewhere)  # open on another post: not the worker's to count
    found = selectors.with_open_case_counts(worker, [recorded, elsewhere])
    assert [b.open_case_count for b in found] == [2, 1]
    assert selectors.beneficiary_list(worker, martin).count() == 2
    assert list(selectors.beneficiary_search(worker, "zoe martin")) == [elsewhere]


def test_a_worker_on_two_posts_lists_each_person_once_in_name_order(worker, post):
    """The list is one part per post and one for people recorded elsewhere, merged in
    name order: a person recorded on one of the worker's posts and accompanied on the
    other is in the first part only."""
    other_post = PostFactory(employer=post.employer)
    UserFactory(worker=True, post=other_post)  # its titulaire; the worker stands in
    services.post_holding_start(
        post=other_post,
        worker=worker,
        start=datetime.date(2020, 1, 1),
        kind=HoldingKind.STAND_IN,
        acting_user=None,
    )
    both = BeneficiaryFactory(post=post, last_name="Dupont", first_name="Anne")
    CaseFactory(beneficiary=both, post=other_post)
    second = BeneficiaryFactory(post=other_post, last_name="Bernard", first_name="Léa")
    third = BeneficiaryFactory(post=post, last_name="Bernard", first_name="Zoé")
    elsewhere = BeneficiaryFactory(last_name="Carpentier", first_name="Jules")
    CaseFactory(beneficiary=elsewhere, post=other_post)
    BeneficiaryFactory(last_name="Albert")  # a stranger
    BeneficiaryFactory(post=post, last_name="Aaron", archived_at=timezone.now())
    listed = selectors.beneficiary_list(worker)
    assert [b.pk for b in listed] == [second.pk, third.pk, elsewhere.pk, both.pk]
    assert [b.pk for b in listed[1:3]] == [third.pk, elsewhere.pk]
    assert listed.count() == 4
    assert {b.pk for b in Beneficiary.objects.visible_to(worker)} == {
        second.pk,
        third.pk,
        elsewhere.pk,
        both.pk,
    }


def test_stale_cases_read_the_last_acte_of_each_case(worker, post):
    limit = timezone.now() - datetime.timedelta(days=selectors.STALE_DAYS)
    old = CaseFactory(beneficiary__post=post, opened_on=datetime.date(2020, 1, 1))
    ActionFactory(case=old, occurred_at=limit - datetime.timedelta(days=5))
    ActionFactory(case=old, occurred_at=limit - datetime.timedelta(days=40))
    recent = CaseFactory(beneficiary__post=post, opened_on=datetime.date(2020, 1, 1))
    ActionFactory(case=recent, occurred_at=limit - datetime.timedelta(days=40))
    ActionFactory(case=recent, occurred_at=timezone.now())
    cases, total = selectors.with_total(selectors.stale_cases(worker), 10)
    assert [case.pk for case in cases] == [old.pk] and total == 1
    assert cases[0].last_action_at == limit - datetime.timedelta(days=5)
    assert selectors.with_total(selectors.stale_cases(UserFactory(worker=True)), 10) == ([], 0)


def test_a_case_marks_a_person_recorded_by_another_post(worker, post):
    """``beneficiary_elsewhere`` is set when the case is created, and the migration marks
    the cases created before it."""
    from importlib import import_module

    from django.apps import apps

    from cases.models import Case
    from tests.cases.factories import BeneficiaryFactory

    own = CaseFactory(beneficiary__post=post, post=post)
    elsewhere = CaseFactory(beneficiary=BeneficiaryFactory(), post=post)
    assert (own.beneficiary_elsewhere, elsewhere.beneficiary_elsewhere) == (False, True)
    Case.objects.update(beneficiary_elsewhere=False)
    migration = import_module("cases.migrations.0010_search_within_posts")
    migration.mark_cases_elsewhere(apps, None)
    marked = dict(Case.objects.values_list("pk", "beneficiary_elsewhere"))
    assert marked == {own.pk: False, elsewhere.pk: True}


def test_a_worker_whose_post_holding_ended_lists_nobody(client, worker, post):
    """A worker still a member but holding no post today works on no post: the list of
    beneficiaries is empty, not an error (with no post, the list had no part to read)."""
    make(worker, post, last_name="Hélène")
    holding = worker.holdings.get()
    PostHolding.objects.filter(pk=holding.pk).update(
        start=datetime.date(2020, 1, 1), end=datetime.date(2020, 12, 31)
    )
    access.clear_cache(worker)  # the rights read for ``make`` are kept on the user
    assert list(selectors.beneficiary_list(worker)[0:25]) == []
    assert selectors.beneficiary_list(worker).count() == 0
    client.force_login(worker)
    response = client.get(reverse("cases:beneficiary_list"))
    assert response.status_code == 200
    assert "Hélène" not in response.content.decode()
