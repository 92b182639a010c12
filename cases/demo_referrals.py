"""Demo referrals of the Ain, seen by the demo police officer and gendarme. Idempotent."""

import datetime

from django.utils import timezone

from cases.enums import FeedbackKind, ReferralOrigin, ReferralStatus
from cases.models import Problem, Referral, UnitFeedback
from cases.reference_data import PROBLEMS
from cases.referrals.services.referrals import referral_create, referral_take
from iscg.demo import register_seeder
from iscg.models import Unit, User

# (unit, submitting account, last name, first name, problem code, days ago, feedback kind)
DEMO_REFERRALS = [
    (
        "Brigade de Châtillon-sur-Chalaronne",
        "gendarme@demo.iscg.fr",
        "Vial",
        "Nathalie",
        "violences-conjugales",
        1,
        None,
    ),
    (
        "Commissariat de Bourg-en-Bresse",
        "policier@demo.iscg.fr",
        "Chevalier",
        "Karim",
        None,
        6,
        FeedbackKind.CONTACT_ESTABLISHED,
    ),
    ("Commissariat de Bourg-en-Bresse", "policier@demo.iscg.fr", "", "", None, 9, None),
]


@register_seeder(order=40)
def seed_referrals() -> None:
    # The reference list comes from a data migration; a flushed database (browser tests)
    # has lost it, and a saisine cannot be submitted without problems to choose from.
    for order, (code, label) in enumerate(PROBLEMS, start=1):
        Problem.objects.get_or_create(code=code, defaults={"label": label, "order": order * 10})
    worker = User.objects.filter(email="intervenante@demo.iscg.fr").first()
    if worker is None:
        return
    problems = Problem.objects.active()
    for unit_name, email, last, first, problem_code, days, feedback in DEMO_REFERRALS:
        unit = Unit.objects.filter(name=unit_name).first()
        agent = User.objects.filter(email=email).first()
        if unit is None or agent is None:
            continue
        received_at = timezone.now() - datetime.timedelta(days=days)
        if Referral.objects.filter(
            source_unit=unit, submitted_by=agent, person_last_name=last, context__startswith="Démo"
        ).exists():
            continue
        problem = (problem_code and problems.filter(code=problem_code).first()) or problems.first()
        referral = referral_create(
            acting_user=agent,
            notify=False,
            source_unit=unit,
            origin=ReferralOrigin.FSI_DIRECT,
            received_at=received_at,
            circumstance="intervention",
            main_problem=problem,
            consent_to_contact=True,
            person_last_name=last,
            person_first_name=first,
            person_phone="06 00 00 00 00" if last else "",
            context="Démo : situation repérée lors d'une intervention.",
        )
        if feedback:
            referral_take(referral=referral, acting_user=worker)
            referral.status = ReferralStatus.CONTACT_MADE
            referral.save(update_fields=["status"])
            UnitFeedback.objects.create(referral=referral, kind=feedback, author=worker)
