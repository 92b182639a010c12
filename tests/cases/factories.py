"""Factories of the case-management model. Reference lists come from the data migration."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cases.enums import (
    ContactMode,
    FeedbackKind,
    Profile,
    ReferralOrigin,
    Sex,
)
from cases.models import (
    Action,
    ActionKind,
    AnonymousContact,
    Beneficiary,
    Case,
    Orientation,
    Problem,
    Referral,
    UnitFeedback,
)
from tests.iscg.factories import PostFactory, UnitFactory, UserFactory
from tests.partners.factories import PartnerFactory


def problem(code: str = "violences-conjugales") -> Problem:
    return Problem.objects.get(code=code)


def action_kind(code: str = "entretien-physique") -> ActionKind:
    return ActionKind.objects.get(code=code)


class BeneficiaryFactory(DjangoModelFactory):
    class Meta:
        model = Beneficiary

    post = factory.SubFactory(PostFactory)
    last_name = factory.Faker("last_name", locale="fr_FR")
    first_name = factory.Faker("first_name_female", locale="fr_FR")
    sex = Sex.FEMALE
    birth_year = 1988
    profile = Profile.VICTIM
    created_by = factory.SubFactory(UserFactory)


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    post = factory.LazyAttribute(lambda o: o.beneficiary.post)
    opened_on = datetime.date(2026, 1, 15)
    created_by = factory.LazyAttribute(lambda o: o.beneficiary.created_by)

    class Params:
        closed = factory.Trait(closed_on=datetime.date(2026, 3, 1), closing_reason="goals_met")


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action

    case = factory.SubFactory(CaseFactory)
    kind = factory.LazyFunction(action_kind)
    occurred_at = factory.LazyFunction(timezone.now)
    duration_minutes = 45
    author = factory.LazyAttribute(lambda o: o.case.created_by)
    confidential_note = "Entretien : la personne décrit la situation."


class OrientationFactory(DjangoModelFactory):
    class Meta:
        model = Orientation

    case = factory.SubFactory(CaseFactory)
    partner = factory.SubFactory(PartnerFactory)
    reason = "Accompagnement juridique"
    author = factory.LazyAttribute(lambda o: o.case.created_by)


class ReferralFactory(DjangoModelFactory):
    class Meta:
        model = Referral

    # Services number a saisine after its id (S2026-000039): a factory's number holds a
    # letter, so that it never takes the number of a saisine the demo or a service made.
    number = factory.Sequence(lambda n: f"S2026-F{n:06d}")
    received_at = factory.LazyFunction(timezone.now)
    source_unit = factory.SubFactory(UnitFactory)
    origin = ReferralOrigin.FSI_DIRECT
    circumstance = "intervention"
    main_problem = factory.LazyFunction(problem)
    consent_to_contact = True
    person_last_name = factory.Faker("last_name", locale="fr_FR")
    person_first_name = factory.Faker("first_name", locale="fr_FR")
    post = factory.SubFactory(PostFactory)


class UnitFeedbackFactory(DjangoModelFactory):
    class Meta:
        model = UnitFeedback

    referral = factory.SubFactory(ReferralFactory)
    kind = FeedbackKind.CONTACT_ESTABLISHED
    author = factory.SubFactory(UserFactory)


class AnonymousContactFactory(DjangoModelFactory):
    class Meta:
        model = AnonymousContact

    post = factory.SubFactory(PostFactory)
    mode = ContactMode.PHONE
    problem = factory.LazyFunction(problem)
    author = factory.SubFactory(UserFactory)
