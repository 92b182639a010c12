"""Past bilans after archiving and anonymisation: every cell recomputes as before, and no
individual row of an anonymised person is left."""

import datetime
import random
import zoneinfo

import pytest

from cases.enums import (
    AgeBand,
    ClosingReason,
    FamilySituation,
    OrientationStatus,
    Profile,
    ReferralOrigin,
    Sex,
    YesNoUnknown,
)
from cases.lifecycle.services import retention
from cases.models import Action, Beneficiary, Case, Orientation, Referral, UnitFeedback
from reporting import indicators
from reporting.models import RetainedCounts
from reporting.periods import Period, month_of, quarter_of, year_of
from reporting.retained import grid_periods, is_grid
from reporting.scope import Scope
from tests.cases.factories import (
    ActionFactory,
    BeneficiaryFactory,
    CaseFactory,
    OrientationFactory,
    ReferralFactory,
    UnitFeedbackFactory,
    action_kind,
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
D = datetime.date
# Birthdays on period boundaries (first and last day of a month, quarter and year) and on
# 29 February, around the age-band limits (18, 25, 65), in 2021-2022.
BIRTH_DATES = [
    D(2003, 1, 1),  # 18 on the first day of 2021
    D(2003, 12, 31),  # 18 on the last day of 2021
    D(2004, 2, 29),  # 18 in 2022, on 28 February or 1 March
    D(2004, 3, 31),  # 18 on the last day of Q1 2022
    D(1997, 6, 30),  # 25 on the last day of Q2 2022
    D(1997, 7, 1),  # 25 on the first day of Q3 2022
    D(1956, 2, 29),  # 65 in 2021
    D(1957, 9, 30),  # 65 on the last day of Q3 2022
    D(1996, 4, 30),  # 25 on the last day of April 2021
    D(2000, 2, 29),
]


def _at(day: datetime.date, hour=10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS)


@pytest.fixture
def world():
    rng = random.Random(23)
    ain, rhone = DepartmentFactory(code="01"), DepartmentFactory(code="69")
    employers = [EmployerFactory(department=ain), EmployerFactory(department=ain)]
    units = [UnitFactory(department=ain) for _ in range(3)]
    sites = [SiteFactory(department=ain) for _ in range(2)]
    posts = [
        PostFactory(employer=employers[0], units=units[:2], sites=sites),
        PostFactory(employer=employers[0], units=units[1:], sites=sites),
        PostFactory(employer=employers[1], units=[units[0]], sites=sites),
    ]
    workers = [UserFactory(worker=True, post=post, department=ain) for post in posts]
    communes = [CommuneFactory(department=ain), CommuneFactory(department=rhone), None]
    partners = [PartnerFactory(kind=partner_kind("cidff")), PartnerFactory()]
    kinds = [action_kind("entretien-physique"), action_kind("entretien-telephonique")]

    def person(index, post, worker, opened, last, closed=True, steps=(9, 31, 45, 92)):
        birth = {}
        if index < len(BIRTH_DATES):
            birth = {"birth_date": BIRTH_DATES[index], "birth_year": None}
        elif index % 3 == 0:
            birth = {"birth_year": rng.choice([1950, 1980, 2004, 2005]), "birth_date": None}
        else:
            birth = {"birth_year": None, "age_band": rng.choice(AgeBand.values)}
        beneficiary = BeneficiaryFactory(
            post=post,
            created_by=worker,
            profile=rng.choice(Profile.values),
            sex=rng.choice(Sex.values),
            family_situation=rng.choice(FamilySituation.values),
            commune=rng.choice(communes),
            known_to_department=rng.choice(YesNoUnknown.values),
            known_to_caf=rng.choice(YesNoUnknown.values),
            **birth,
        )
        case = CaseFactory(
            beneficiary=beneficiary,
            post=post,
            created_by=worker,
            opened_on=opened,
            closed_on=last if closed else None,
            closing_reason=rng.choice(ClosingReason.for_workers())[0] if closed else "",
        )
        day = opened
        while day <= last:
            ActionFactory(case=case, author=worker, kind=rng.choice(kinds), occurred_at=_at(day))
            day += datetime.timedelta(days=rng.choice(steps))
        ActionFactory(case=case, author=worker, kind=kinds[0], occurred_at=_at(last, 23))
        if index % 2:
            OrientationFactory(
                case=case,
                author=worker,
                partner=rng.choice(partners),
                oriented_on=opened + datetime.timedelta(days=3),
                status=rng.choice(OrientationStatus.values),
            )
        referral = ReferralFactory(
            post=post,
            beneficiary=beneficiary,
            case=case,
            received_at=_at(opened, 0),  # midnight: the first instant of a period
            source_unit=rng.choice(post.units.all()),
            origin=rng.choice([ReferralOrigin.FSI_DIRECT, ReferralOrigin.FSI_INDIRECT]),
            person_birth_year=rng.choice([None, 1990]),
            person_age=rng.choice([None, 17, 40]),
        )
        feedback = UnitFeedbackFactory(referral=referral, author=worker)
        UnitFeedback.objects.filter(pk=feedback.pk).update(sent_at=_at(last))
        return beneficiary

    old, live = [], []
    for index in range(24):
        post = posts[index % 3]
        opened = D(2021, 1, 1) + datetime.timedelta(days=rng.randrange(0, 400))
        last = opened + datetime.timedelta(days=rng.randrange(0, 150))
        old.append(person(index, post, workers[index % 3], opened, last, closed=index % 4 != 0))
    for index in range(6):
        post = posts[index % 3]
        opened = D(2021, 6, 1) + datetime.timedelta(days=100 * index)
        worker = workers[index % 3]
        live.append(person(index + 3, post, worker, opened, D(2027, 12, 1), False, (400,)))
    # Referrals never linked to a file: one on the last instant of 2021.
    for post in posts:
        ReferralFactory(post=post, received_at=_at(D(2021, 12, 31), 23), source_unit=None)
        ReferralFactory(post=post, received_at=_at(D(2021, 4, 1), 0))
    scopes = [Scope.for_department(ain.pk)]
    scopes += [Scope.for_employer(employers[0])]
    scopes += [Scope.for_post(post) for post in posts]
    scopes += [Scope.for_unit(units[1]), Scope.for_unit(units[1], employers[0])]
    return {"old": old, "live": live, "scopes": scopes, "posts": posts}


def _grid() -> list[Period]:
    periods = [year_of(D(year, 1, 1)) for year in range(2020, 2024)]
    periods += [quarter_of(D(year, month, 1)) for year in (2021, 2022) for month in (1, 4, 7, 10)]
    periods += [month_of(D(year, month, 1)) for year in (2021, 2022) for month in range(1, 13)]
    return periods


def _cells(scopes, periods) -> dict:
    """{(scope, period, table, row, column): value} of every bilan of the grid."""
    cells = {}
    for scope in scopes:
        for period in periods:
            figures = indicators.compute(scope, period)
            for section in figures["sections"]:
                for table in section["tables"]:
                    for r, row in enumerate([*table["rows"], {"values": table["total"] or []}]):
                        for c, value in enumerate(row["values"]):
                            cells[(scope, period.start, period.end, table["key"], r, c)] = value
    return cells


def _differences(before, after) -> list:
    return [key for key in before.keys() | after.keys() if before.get(key) != after.get(key)]


def test_every_past_bilan_of_the_grid_is_unchanged(world):
    scopes, periods = world["scopes"], _grid()
    before = _cells(scopes, periods)
    assert len(before) > 20_000
    assert any(value for value in before.values() if isinstance(value, int))
    # Archiving (open files closed on the run day, 2024-09-01), then anonymisation.
    archived = retention.apply_retention(now=_at(D(2024, 9, 1), 3), dry_run=False)
    assert archived.archived_beneficiaries == len(world["old"]) and archived.closed_cases == 6
    assert _differences(before, _cells(scopes, periods)) == []
    case_ids = list(Case.objects.filter(beneficiary__in=world["old"]).values_list("pk", flat=True))
    anonymised = retention.apply_retention(now=_at(D(2028, 1, 2), 3), dry_run=False)
    assert anonymised.anonymised_beneficiaries == len(world["old"])
    assert anonymised.anonymised_referrals == len(world["old"]) + 6
    assert not Beneficiary.objects.filter(pk__in=[b.pk for b in world["old"]]).exists()
    assert RetainedCounts.objects.exists()
    assert _differences(before, _cells(scopes, periods)) == []
    # (One world for both tests: it takes a while to build.)
    _nothing_left_singles_out_an_anonymised_person(world, case_ids)


def _nothing_left_singles_out_an_anonymised_person(world, case_ids):
    old_ids = [b.pk for b in world["old"]]
    assert len(case_ids) == len(old_ids)
    # No individual row is left of them, live or in the history: nothing to be unique on.
    remaining = {
        "beneficiaries": Beneficiary.objects.filter(pk__in=old_ids).count()
        + Beneficiary.history.filter(id__in=old_ids).count(),
        "files": Case.objects.filter(pk__in=case_ids).count()
        + Case.history.filter(id__in=case_ids).count(),
        "actes": Action.history.filter(case_id__in=case_ids).count(),
        "orientations": Orientation.history.filter(case_id__in=case_ids).count(),
        "referrals": Referral.objects.filter(post__in=world["posts"])
        .exclude(beneficiary__in=world["live"])
        .count()
        + Referral.history.filter(beneficiary_id__in=old_ids).count(),
        "feedback": UnitFeedback.history.exclude(
            referral_id__in=Referral.objects.values("pk")
        ).count(),
    }
    assert remaining == dict.fromkeys(remaining, 0)
    # The referrals left (live people's) are the only ones holding an age.
    assert set(Referral.objects.values_list("beneficiary", flat=True)) == {
        b.pk for b in world["live"]
    }
    # What is kept are counts per group of the bilans: no identifier, no exact date, no age.
    allowed = {
        "people": {"profile", "sex", "family", "known_department", "known_caf", "age_current"},
        "referrals": {
            "origin",
            "source_unit__name",
            "source_unit__kind",
            "main_problem__label",
            "main_problem__order",
        },
        "communes": {"name", "code", "inside"},
        "sites": {"site"},
        "durations": {"days", "months", "auto"},  # months: the same duration, in full months
        "actes": {"kind", "order", "legal_report"},
        "orientations": {"kind", "order"},
    }
    counts = {"current", "total"} | {f"s_{value}" for value in OrientationStatus.values}
    for record in RetainedCounts.objects.all():
        assert is_grid(record_period := Period(record.period_start, record.period_end))
        assert record_period in grid_periods(D(2021, 1, 1), D(2028, 1, 2))
        for name, packed in record.sources.items():
            keys = {f for f in packed["fields"] if f not in counts and not f.endswith("_current")}
            assert keys <= allowed[name] | {"age_current"}, (name, keys)
