"""Demo data of case management: Ain partners, beneficiaries, referrals, cases, actes.

Deterministic (seeded random) and idempotent: partners are upserted by name, and the
case data of a post is only created when that post has no beneficiary yet.
"""

import datetime
import random
import uuid

from django.utils import timezone

from cases.demo_data import (
    BENEFICIARIES_PER_POST,
    FEMALE,
    LAST,
    MALE,
    NOTES,
    ORIENTATION_BY_PROBLEM,
    POST_COMMUNES,
    PROBLEM_WEIGHTS,
)
from cases.demo_partners import ensure_reference_lists, seed_partners
from cases.enums import (
    AgeBand,
    Circumstance,
    ClosingReason,
    ContactMode,
    FamilySituation,
    OrientationStatus,
    ProcedureKind,
    Profile,
    ReferralOrigin,
    ReferralStatus,
    Sex,
    Urgency,
    YesNoUnknown,
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
)
from iscg.demo import register_seeder
from iscg.models import Commune, Department, Post, User
from iscg.text import person_search_text
from partners.models import Partner


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    moment = datetime.datetime.combine(
        day, datetime.time(rng.randint(8, 17), rng.choice([0, 15, 30, 45]))
    )
    aware = timezone.make_aware(moment)
    return min(aware, timezone.now() - datetime.timedelta(minutes=5))


def _new_referral(**fields) -> Referral:
    # A unique placeholder that fits the column until the primary key gives the number.
    referral = Referral(number=f"tmp-{uuid.uuid4().hex[:14]}", **fields)
    referral.save()
    referral.number = f"S{timezone.localtime(referral.received_at).year}-{referral.pk:06d}"
    referral.save(update_fields=["number"])
    return referral


def _seed_post(post: Post, partners: dict[str, Partner], count: int, rng: random.Random) -> None:
    worker = post.workers.order_by("pk").first()
    if worker is None:
        return
    today = timezone.localdate()
    units = list(post.units.order_by("name"))
    sites = list(post.sites.order_by("name"))
    communes = list(
        Commune.objects.filter(name__in=POST_COMMUNES.get(post.label, []), department__code="01")
    )
    problems = {p.code: p for p in Problem.objects.all()}
    problem_codes = list(PROBLEM_WEIGHTS)
    weights = list(PROBLEM_WEIGHTS.values())
    kinds = {k.code: k for k in ActionKind.objects.all()}
    agents = {u.email: u for u in User.objects.filter(email__endswith="@demo.iscg.fr")}

    actions = []
    for index in range(count):
        female = rng.random() < 0.78
        first = rng.choice(FEMALE if female else MALE)
        last = rng.choice(LAST)
        age = rng.choice([16, 19, 23, 27, 31, 34, 38, 42, 45, 51, 58, 66, 74, 81])
        has_date = rng.random() < 0.6
        birth_date = (
            today - datetime.timedelta(days=age * 365 + rng.randint(0, 300)) if has_date else None
        )
        birth_year = birth_date.year if birth_date else today.year - age
        phone = "06 " + " ".join(str(rng.randint(10, 99)) for _ in range(4))
        anonymous = rng.random() < 0.06
        problem_code = rng.choices(problem_codes, weights)[0]
        beneficiary = Beneficiary.objects.create(
            post=post,
            last_name="" if anonymous else last,
            first_name="" if anonymous else first,
            search_text="" if anonymous else person_search_text(last, first, phone),
            sex=Sex.FEMALE if female else Sex.MALE,
            birth_date=birth_date,
            birth_year=birth_year,
            age_band=AgeBand.for_age(age),
            family_situation=rng.choice(FamilySituation.values),
            children_count=rng.choice([None, 0, 1, 2, 3]),
            commune=rng.choice(communes) if communes else None,
            phone="" if anonymous else phone,
            profile=Profile.VICTIM
            if problem_code.startswith("violences")
            else rng.choice(Profile.values),
            known_to_department=rng.choice(YesNoUnknown.values),
            known_to_caf=rng.choice(YesNoUnknown.values),
            created_by=worker,
        )
        received = today - datetime.timedelta(days=rng.randint(3, 455))
        case = Case.objects.create(
            beneficiary=beneficiary, post=post, opened_on=received, created_by=worker
        )
        origin = rng.choices(
            [
                ReferralOrigin.FSI_DIRECT,
                ReferralOrigin.FSI_INDIRECT,
                ReferralOrigin.SELF,
                ReferralOrigin.PARTNER,
            ],
            [70, 15, 10, 5],
        )[0]
        unit = rng.choice(units) if origin in ReferralOrigin.from_units() else None
        submitter = None
        if origin == ReferralOrigin.FSI_DIRECT:
            submitter = agents.get(
                "policier@demo.iscg.fr"
                if unit and unit.name.startswith("Commissariat de Bourg")
                else "gendarme@demo.iscg.fr"
                if unit and "Châtillon" in unit.name
                else ""
            )
        referral = _new_referral(
            received_at=_at(received, rng),
            source_unit=unit,
            submitted_by=submitter or worker,
            origin=origin,
            partner=partners["CCAS de Bourg-en-Bresse"]
            if origin == ReferralOrigin.PARTNER
            else None,
            circumstance=rng.choice(Circumstance.values),
            main_problem=problems[problem_code],
            procedure_kind=rng.choice(ProcedureKind.values),
            consent_to_contact=True,
            urgency=Urgency.URGENT if rng.random() < 0.15 else Urgency.NORMAL,
            person_last_name=beneficiary.last_name,
            person_first_name=beneficiary.first_name,
            person_phone=beneficiary.phone,
            person_sex=beneficiary.sex,
            person_birth_year=birth_year,
            person_commune=beneficiary.commune,
            post=post,
            beneficiary=beneficiary,
            case=case,
            taken_by=worker,
            taken_at=_at(received, rng),
            status=ReferralStatus.CONTACT_MADE,
        )
        # Actes over the following weeks.
        day = received
        for number in range(rng.randint(1, 6)):
            if day > today:
                break
            kind = kinds[
                "entretien-physique"
                if number == 0
                else rng.choice(
                    [
                        "entretien-telephonique",
                        "entretien-physique",
                        "contact-partenaire",
                        "demarche-administrative",
                        "accompagnement-physique",
                        "ecrit",
                    ]
                )
            ]
            actions.append(
                Action(
                    case=case,
                    post=case.post,
                    kind=kind,
                    occurred_at=_at(day, rng),
                    duration_minutes=rng.choice([15, 30, 45, 60, 90]),
                    site=rng.choice(sites) if sites and kind.is_contact else None,
                    author=worker,
                    confidential_note=rng.choice(NOTES),
                )
            )
            day += datetime.timedelta(days=rng.randint(3, 25))
        if problem_code == "enfance-en-danger":
            actions.append(
                Action(
                    case=case,
                    post=case.post,
                    kind=kinds["information-preoccupante"],
                    occurred_at=_at(min(received + datetime.timedelta(days=2), today), rng),
                    duration_minutes=60,
                    author=worker,
                )
            )
        # Orientations.
        oriented = False
        for name in rng.sample(
            ORIENTATION_BY_PROBLEM.get(problem_code, []),
            k=min(rng.randint(0, 2), len(ORIENTATION_BY_PROBLEM.get(problem_code, []))),
        ):
            status = rng.choice(OrientationStatus.values)
            oriented = oriented or status == OrientationStatus.DONE
            Orientation.objects.create(
                case=case,
                partner=partners[name],
                oriented_on=min(received + datetime.timedelta(days=rng.randint(1, 20)), today),
                reason=f"{problems[problem_code].label} : relais spécialisé",
                status=status,
                partner_answer="Rendez-vous fixé." if status == OrientationStatus.DONE else "",
                author=worker,
            )
        # Close the older cases; statuses follow.
        age_days = (today - received).days
        if age_days > 60 and rng.random() < 0.7:
            case.closed_on = min(received + datetime.timedelta(days=rng.randint(20, 120)), today)
            case.closing_reason = rng.choice([value for value, _ in ClosingReason.for_workers()])
            case.save(update_fields=["closed_on", "closing_reason"])
            referral.status = ReferralStatus.CLOSED
        elif oriented:
            referral.status = ReferralStatus.ORIENTED
        referral.save(update_fields=["status"])
        # A second file for a few people, a year apart.
        if index % 11 == 5 and case.closed_on and (today - case.closed_on).days > 30:
            Case.objects.create(
                beneficiary=beneficiary,
                post=post,
                opened_on=case.closed_on + datetime.timedelta(days=20),
                created_by=worker,
            )
    Action.objects.bulk_create(actions)

    # Anonymous contacts.
    AnonymousContact.objects.bulk_create(
        AnonymousContact(
            post=post,
            occurred_on=today - datetime.timedelta(days=rng.randint(0, 455)),
            site=rng.choice(sites) if sites else None,
            mode=rng.choice(ContactMode.values),
            source_unit=rng.choice(units) if rng.random() < 0.6 else None,
            problem=problems[rng.choices(problem_codes, weights)[0]],
            sex=rng.choice([Sex.FEMALE, Sex.FEMALE, Sex.MALE, Sex.UNKNOWN]),
            age_band=rng.choice(AgeBand.values),
            author=worker,
        )
        for _ in range(max(6, count // 2))
    )


def _seed_waiting_referrals(post: Post, rng: random.Random) -> None:
    """Referrals just received from the demo units, waiting on the worker's dashboard."""
    units = {u.name: u for u in post.units.all()}
    agents = {u.email: u for u in User.objects.filter(email__endswith="@demo.iscg.fr")}
    problems = {p.code: p for p in Problem.objects.all()}
    now = timezone.now()
    waiting = [
        (
            "Commissariat de Bourg-en-Bresse",
            "policier@demo.iscg.fr",
            {
                "person_last_name": "Vasseur",
                "person_first_name": "Hélène",
                "person_sex": Sex.FEMALE,
                "person_birth_year": 1987,
                "person_phone": "06 41 22 87 10",
            },
            "violences-conjugales",
            Urgency.URGENT,
            Circumstance.INTERVENTION,
            ProcedureKind.COMPLAINT,
            "Intervention au domicile la nuit dernière, plainte déposée ce matin ; deux "
            "enfants au domicile.",
            datetime.timedelta(hours=5),
        ),
        (
            "Brigade de Châtillon-sur-Chalaronne",
            "gendarme@demo.iscg.fr",
            {
                "person_last_name": "Chaput",
                "person_first_name": "Roger",
                "person_sex": Sex.MALE,
                "person_age": 82,
            },
            "vulnerabilite-isolement",
            Urgency.NORMAL,
            Circumstance.PHONE_CALL,
            ProcedureKind.NONE,
            "Appels répétés de la personne, isolée, qui dit avoir peur la nuit.",
            datetime.timedelta(days=1, hours=3),
        ),
        (
            "Brigade de Saint-Laurent-sur-Saône",
            None,
            {
                "person_last_name": "",
                "person_first_name": "",
                "person_sex": Sex.FEMALE,
                "person_age": 17,
            },
            "conflit-familial",
            Urgency.NORMAL,
            Circumstance.PROCEDURE,
            ProcedureKind.HANDRAIL,
            "Main courante de la mère pour conflit avec sa fille mineure.",
            datetime.timedelta(days=2),
        ),
    ]
    for (
        unit_name,
        agent,
        person,
        problem,
        urgency,
        circumstance,
        procedure,
        context,
        ago,
    ) in waiting:
        unit = units.get(unit_name)
        if unit is None:
            continue
        _new_referral(
            received_at=now - ago,
            source_unit=unit,
            submitted_by=agents.get(agent) if agent else None,
            origin=ReferralOrigin.FSI_DIRECT if agent else ReferralOrigin.FSI_INDIRECT,
            circumstance=circumstance,
            main_problem=problems[problem],
            procedure_kind=procedure,
            procedure_reference="2026/001234" if procedure != ProcedureKind.NONE else "",
            consent_to_contact=True,
            urgency=urgency,
            context=context,
            post=post,
            **person,
        )


@register_seeder(order=30)
def seed_cases() -> None:
    ain = Department.objects.filter(code="01").first()
    if ain is None:
        return
    ensure_reference_lists()
    partners = seed_partners(ain)
    for post in Post.objects.filter(employer__department=ain).order_by("label"):
        if Beneficiary.objects.filter(post=post).exists():
            continue
        rng = random.Random(f"iscg-demo-{post.label}")
        _seed_post(post, partners, BENEFICIARIES_PER_POST.get(post.label, 12), rng)
        if post.label == "Poste Bourg-en-Bresse et Bresse":
            _seed_waiting_referrals(post, rng)
