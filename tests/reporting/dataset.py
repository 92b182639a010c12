"""A small dataset worked out by hand for the golden test (period Q1 2026, previous Q4 2025)."""

import datetime
import zoneinfo

from cases.enums import (
    AgeBand,
    ContactMode,
    FamilySituation,
    OrientationStatus,
    Profile,
    ReferralOrigin,
    Sex,
    YesNoUnknown,
)
from iscg.enums import UnitKind
from tests.cases.factories import (
    ActionFactory,
    AnonymousContactFactory,
    BeneficiaryFactory,
    CaseFactory,
    OrientationFactory,
    ReferralFactory,
    action_kind,
    problem,
)
from tests.iscg.factories import (
    CommuneFactory,
    DepartmentFactory,
    EmployerFactory,
    PostFactory,
    SiteFactory,
    UnitFactory,
    UserFactory,
)
from tests.partners.factories import PartnerFactory, partner_kind

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
CANARY = "Zébulonne QUASIMODINE"


def at(y, m, d, hh=10, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=PARIS)


def build():
    ain = DepartmentFactory(code="01")
    rhone = DepartmentFactory(code="69")
    employer = EmployerFactory(department=ain)
    u1 = UnitFactory(department=ain, kind=UnitKind.BRIGADE, name="Brigade de Test")
    u2 = UnitFactory(department=ain, kind=UnitKind.COMMISSARIAT, name="Commissariat de Test")
    s1 = SiteFactory(department=ain, name="Bureau de la brigade")
    s2 = SiteFactory(department=ain, name="Hôpital de Test")
    post = PostFactory(employer=employer, units=[u1, u2], sites=[s1, s2])
    worker = UserFactory(worker=True, post=post, department=ain)
    other_post = PostFactory(employer__department=ain)
    c_in = CommuneFactory(department=ain, code="01999", name="Villedans")
    c_out = CommuneFactory(department=rhone, code="69999", name="Villehors")

    def beneficiary(**kw):
        return BeneficiaryFactory(post=post, created_by=worker, **kw)

    b1 = beneficiary(
        last_name="QUASIMODINE",
        first_name="Zébulonne",
        profile=Profile.VICTIM,
        sex=Sex.FEMALE,
        birth_date=datetime.date(2000, 6, 15),
        birth_year=None,
        family_situation=FamilySituation.SINGLE_PARENT,
        commune=c_in,
        known_to_department=YesNoUnknown.YES,
        known_to_caf=YesNoUnknown.NO,
    )
    b2 = beneficiary(
        profile=Profile.DISTRESS,
        sex=Sex.MALE,
        birth_year=1960,
        family_situation=FamilySituation.SINGLE,
        commune=c_out,
        known_to_department=YesNoUnknown.NO,
        known_to_caf=YesNoUnknown.YES,
    )
    b3 = beneficiary(
        profile=Profile.AT_RISK,
        sex=Sex.FEMALE,
        birth_year=None,
        age_band=AgeBand.AGE_18_24,
        family_situation=FamilySituation.COUPLE,
    )
    b4 = beneficiary(
        profile=Profile.VICTIM,
        sex=Sex.FEMALE,
        birth_date=datetime.date(2008, 3, 31),
        birth_year=None,
        commune=c_in,
    )

    def case(b, opened, closed=None):
        return CaseFactory(
            beneficiary=b,
            post=post,
            opened_on=opened,
            closed_on=closed,
            closing_reason="goals_met" if closed else "",
            created_by=worker,
        )

    d = datetime.date
    k1 = case(b1, d(2025, 11, 10), d(2026, 2, 9))  # both periods, 91 days, closed in Q1
    k2 = case(b2, d(2026, 2, 1))  # Q1 only, open
    k3 = case(b3, d(2025, 10, 5), d(2025, 12, 20))  # Q4 only, 76 days
    k4 = case(b4, d(2025, 12, 15))  # both, open
    k5 = case(b1, d(2026, 3, 1), d(2026, 3, 11))  # Q1, 10 days (b1 counts once)
    case(b2, d(2025, 1, 1), d(2025, 6, 30))  # neither period
    # Another post's file: outside the scope.
    CaseFactory(beneficiary__post=other_post, post=other_post, opened_on=d(2026, 1, 5))

    def referral(received, unit, origin, code, p=post):
        return ReferralFactory(
            received_at=received,
            source_unit=unit,
            origin=origin,
            main_problem=problem(code),
            post=p,
        )

    referral(at(2026, 1, 10), u1, ReferralOrigin.FSI_DIRECT, "violences-conjugales")
    referral(at(2026, 2, 10), u1, ReferralOrigin.FSI_INDIRECT, "precarite")
    referral(at(2026, 3, 31, 23, 30), u2, ReferralOrigin.FSI_DIRECT, "violences-conjugales")
    referral(at(2026, 3, 20), None, ReferralOrigin.SELF, "precarite")
    referral(at(2025, 11, 1), u1, ReferralOrigin.FSI_DIRECT, "violences-conjugales")
    referral(at(2025, 12, 31, 23, 30), u2, ReferralOrigin.FSI_DIRECT, "precarite")
    referral(at(2025, 9, 30), u1, ReferralOrigin.FSI_DIRECT, "precarite")  # before both
    referral(at(2026, 1, 15), u1, ReferralOrigin.FSI_DIRECT, "precarite", p=other_post)

    def action(k, kind, when, site=None):
        return ActionFactory(case=k, kind=action_kind(kind), occurred_at=when, site=site)

    action(k1, "entretien-physique", at(2026, 1, 12), s1)
    action(k1, "entretien-telephonique", at(2025, 11, 15))
    action(k2, "signalement-procureur", at(2026, 2, 3), s1)
    action(k4, "information-preoccupante", at(2026, 1, 20), s2)
    action(k5, "entretien-physique", at(2026, 3, 2), s2)
    action(k4, "entretien-physique", at(2025, 12, 16), s1)

    cidff = PartnerFactory(department=ain, kind=partner_kind("cidff"))
    caf = PartnerFactory(department=ain, kind=partner_kind("caf"))
    OrientationFactory(
        case=k1, partner=cidff, oriented_on=d(2026, 1, 15), status=OrientationStatus.DONE
    )
    OrientationFactory(
        case=k2, partner=cidff, oriented_on=d(2026, 2, 15), status=OrientationStatus.PROPOSED
    )
    OrientationFactory(
        case=k4, partner=caf, oriented_on=d(2025, 12, 20), status=OrientationStatus.REFUSED
    )

    for day, mode in (
        (d(2026, 1, 5), ContactMode.PHONE),
        (d(2026, 3, 31), ContactMode.PHONE),
        (d(2026, 2, 1), ContactMode.IN_PERSON),
        (d(2025, 10, 1), ContactMode.PHONE),
    ):
        AnonymousContactFactory(post=post, occurred_on=day, mode=mode, author=worker)
    return {
        "department": ain,
        "employer": employer,
        "post": post,
        "worker": worker,
        "units": (u1, u2),
        "sites": (s1, s2),
        "cases": (k1, k2, k3, k4, k5),
        "beneficiaries": (b1, b2, b3, b4),
    }
