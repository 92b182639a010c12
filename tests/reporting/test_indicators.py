"""Golden test: every indicator worked out by hand on tests/reporting/dataset.py.

Period: Q1 2026 (01/01–31/03/2026); previous period: Q4 2025 (01/10–31/12/2025).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.enums import Profile
from reporting import indicators
from reporting.indicators.activity import median
from reporting.periods import Period, preset, quarter_of
from reporting.scope import Scope
from tests.cases.factories import ActionFactory, CaseFactory, OrientationFactory, ReferralFactory
from tests.reporting import dataset

Q1 = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))


@pytest.fixture
def data():
    return dataset.build()


@pytest.fixture
def tables(data):
    figures = indicators.compute(Scope.for_post(data["post"]), Q1)
    assert figures["previous_period"]["start"] == "2025-10-01"
    return indicators.tables_by_key(figures)


def rows(table):
    return {row["label"]: row["values"] for row in table["rows"]}


def test_activity_counts_files_open_at_some_point(tables):
    assert rows(tables["activity"]) == {
        "Personnes accompagnées": [3, 3],  # Q1: b1 (twice), b2, b4 — Q4: b1, b3, b4
        "Accompagnements (dossiers) actifs": [4, 3],  # k1 k2 k4 k5 — k1 k3 k4
        "Accompagnements ouverts": [2, 3],  # k2 k5 — k1 k3 k4
        "Accompagnements clôturés": [2, 1],  # k1 k5 — k3
        "Accompagnements en cours en fin de période": [2, 2],  # k2 k4 — k1 k4
    }


def test_profile(tables):
    values = rows(tables["profile"])
    assert values[Profile.VICTIM.label] == [2, 2]
    assert values[Profile.DISTRESS.label] == [1, 0]
    assert values[Profile.AT_RISK.label] == [0, 1]
    assert values[Profile.SUSPECT.label] == [0, 0]
    assert tables["profile"]["total"] == [3, 3]


def test_age_bands_at_end_of_each_period(tables):
    values = rows(tables["age"])
    # b4 born 31/03/2008: 18 on 31/03/2026, 17 on 31/12/2025; b2 born 1960: 66 / 65;
    # b1 born 15/06/2000: 25 / 25; b3: no birth data, stored band 18-24.
    assert values["Moins de 18 ans"] == [0, 1]
    assert values["18 à 24 ans"] == [1, 1]
    assert values["25 à 34 ans"] == [1, 1]
    assert values["65 ans et plus"] == [1, 0]
    assert values["Âge inconnu"] == [0, 0]
    assert tables["age"]["total"] == [3, 3]


def test_sex_and_family(tables):
    assert rows(tables["sex"])["Femme"] == [2, 3]
    assert rows(tables["sex"])["Homme"] == [1, 0]
    family = rows(tables["family"])
    assert family["Famille monoparentale"] == [1, 1]
    assert family["Personne seule"] == [1, 0]
    assert family["En couple"] == [0, 1]
    assert family["Non renseignée"] == [1, 1]


def test_communes_and_share_outside(tables):
    assert rows(tables["commune"]) == {
        "Villedans (01999)": [2, 2],
        "Villehors (69999)": [1, 0],
        "Commune non renseignée": [0, 1],
    }
    residence = rows(tables["residence"])
    assert residence["Dans le département"] == [2, 2, 66.7]
    assert residence["Hors du département"] == [1, 0, 33.3]
    assert residence["Non renseignée"] == [0, 1, None]


def test_sites_of_the_actes(tables):
    assert rows(tables["site"]) == {
        "Bureau de la brigade": [2, 1],  # Q1: b1 (k1), b2 (k2) — Q4: b4
        "Hôpital de Test": [2, 0],  # b4, b1
        "Lieu non renseigné": [0, 1],  # b1's phone call in Q4
    }


def test_main_problem(tables):
    values = rows(tables["problem"])
    assert values["Violences conjugales"] == [2, 1]
    # includes the 31/12/2025 23:30 (Paris) referral in Q4, not in Q1
    assert values["Précarité, difficultés financières"] == [2, 1]


def test_referrals_by_unit_direct_indirect(tables):
    assert rows(tables["referral_unit"]) == {
        "Commissariat de Test (commissariat)": [1, 0, 1, 1],
        "Brigade de Test (brigade de gendarmerie)": [1, 1, 2, 1],
    }
    assert tables["referral_unit"]["total"] == [2, 1, 3, 2]


def test_origin(tables):
    values = rows(tables["origin"])
    assert values["Saisine directe par un policier ou un gendarme"] == [2, 2]
    assert values["Auto-saisine (résumé hebdomadaire d'activité)"] == [1, 0]
    assert values["La personne est venue d'elle-même"] == [1, 0]
    assert tables["origin"]["total"] == [4, 2]


def test_known_to_department_and_caf_per_file(tables):
    assert rows(tables["known_department"]) == {
        "Oui": [2, 1, 50.0],
        "Non": [1, 0, 25.0],
        "Ne sait pas": [1, 2, 25.0],
    }
    assert rows(tables["known_caf"]) == {
        "Oui": [1, 0, 25.0],
        "Non": [2, 1, 50.0],
        "Ne sait pas": [1, 2, 25.0],
    }


def test_orientations_by_partner_kind_and_outcome(tables):
    table = tables["orientation"]
    assert table["columns"][:4] == [
        "Proposée",
        "Effectuée",
        "Refusée par la personne",
        "Sans suite",
    ]
    assert rows(table) == {
        "Caisse d'allocations familiales": [0, 0, 0, 0, 0, 1],
        "CIDFF": [1, 1, 0, 0, 2, 0],
    } or rows(table) == {
        "CIDFF": [1, 1, 0, 0, 2, 0],
        "Caisse d'allocations familiales": [0, 0, 0, 0, 0, 1],
    }
    assert table["total"] == [1, 1, 0, 0, 2, 1]


def test_durations_median_and_bands(tables):
    assert rows(tables["duration_median"]) == {
        "Accompagnements clôturés": [2, 1],
        "Durée médiane (jours)": ["50.5 j", "76 j"],  # (91 + 10) / 2 — 76
        "Clôtures automatiques sans contact (hors durée)": [0, 0],
    }
    assert rows(tables["duration"]) == {
        "Moins d'un mois": [1, 0],
        "1 à 3 mois": [1, 1],
        "3 à 6 mois": [0, 0],
        "6 mois à 1 an": [0, 0],
        "Plus d'un an": [0, 0],
    }


def test_actes_legal_reports_anonymous_contacts(tables):
    actes = rows(tables["actes"])
    assert actes["Entretien physique"] == [2, 1]
    assert actes["Entretien téléphonique"] == [0, 1]
    assert actes["Signalement au procureur (art. 226-14 du code pénal)"] == [1, 0]
    assert actes["Information préoccupante à la CRIP"] == [1, 0]
    assert tables["actes"]["total"] == [4, 2]
    assert rows(tables["legal_reports"]) == {
        "Signalement au procureur (art. 226-14 du code pénal)": [1, 0],
        "Information préoccupante à la CRIP": [1, 0],
    }
    assert rows(tables["anonymous"]) == {"Sur place": [1, 0], "Par téléphone": [2, 1]}


def test_employer_and_unit_scopes(data):
    u1, u2 = data["units"]
    by_employer = indicators.tables_by_key(
        indicators.compute(Scope.for_employer(data["employer"]), Q1)
    )
    assert by_employer["activity"]["rows"][0]["values"] == [3, 3]
    by_unit = indicators.tables_by_key(indicators.compute(Scope.for_unit(u1), Q1))
    assert by_unit["activity"]["rows"][0]["values"] == [3, 3]
    department = indicators.tables_by_key(
        indicators.compute(Scope.for_department(data["department"].pk), Q1)
    )
    # the other post's file opened on 05/01/2026 and its referral count here
    assert department["activity"]["rows"][0]["values"] == [4, 3]
    assert department["origin"]["total"] == [5, 2]


def _count_queries(scope):
    with CaptureQueriesContext(connection) as ctx:
        indicators.compute(scope, Q1)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_volume(data):
    post = data["post"]
    scope = Scope.for_post(post)

    def add(n):
        for i in range(n):
            case = CaseFactory(
                beneficiary__post=post,
                post=post,
                opened_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=i % 80),
            )
            ReferralFactory(post=post, case=case, received_at=dataset.at(2026, 2, 1 + i % 27))
            ActionFactory(case=case, occurred_at=dataset.at(2026, 3, 1 + i % 30))

    add(5)
    few = _count_queries(scope)
    add(45)
    many = _count_queries(scope)
    assert few == many
    # The posts, the files grouped by person, the communes, the durations, the referrals,
    # the actes by kind and by site, the orientations, the anonymous contacts, the
    # counts anonymised files left (reporting.retained), and the département's code (its
    # communes told from the others, for the secrecy audit).
    assert many <= 11


def test_periods():
    assert Q1.previous() == Period(datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
    year = Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert year.previous() == Period(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    custom = Period(datetime.date(2026, 1, 10), datetime.date(2026, 1, 19))
    assert custom.previous() == Period(datetime.date(2025, 12, 31), datetime.date(2026, 1, 9))
    assert quarter_of(datetime.date(2026, 5, 5)).short_label() == "T2 2026"
    assert preset("quarter", datetime.date(2026, 11, 22)) == Period(
        datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)
    )
    with pytest.raises(ValueError):
        Period(datetime.date(2026, 2, 1), datetime.date(2026, 1, 1))


def test_median_from_histogram():
    assert median({}) is None
    assert median({10: 1}) == 10
    assert median({10: 1, 91: 1}) == 50.5
    assert median({1: 2, 5: 1, 100: 1}) == 3


def test_entries_of_one_label_are_one_row(data):
    """The shared list and a département's own entry under one label (the operator adds
    to the shared list a label a département already had; two départements' own entries
    in a national consolidation): the actes, saisines and orientations of either are one
    row of that label. Two rows of one label told the reader nothing more, and the audit
    names a row by its label: « X » and « X#2 » in one bilan, « X » alone in a bilan
    listing only the second entry, were taken for the same row
    (reporting.secrecy.layout.row_keys)."""
    from cases.models import ActionKind, Problem
    from partners.models import PartnerKind
    from tests.cases.factories import action_kind, problem
    from tests.partners.factories import PartnerFactory, partner_kind

    ain = data["department"]
    k1 = data["cases"][0]
    for model, shared, order in (
        (ActionKind, action_kind("entretien-physique"), 90),
        (Problem, problem("violences-conjugales"), 91),
        (PartnerKind, partner_kind("cidff"), 92),
    ):
        own = model.objects.create(
            label=shared.label, order=order, department=ain, code=f"{shared.code}-01"
        )
        if model is ActionKind:
            ActionFactory(case=k1, kind=own, occurred_at=dataset.at(2026, 3, 3))
        elif model is Problem:
            ReferralFactory(received_at=dataset.at(2026, 3, 4), main_problem=own, post=data["post"])
        else:
            partner = PartnerFactory(department=ain, kind=own)
            OrientationFactory(case=k1, partner=partner, oriented_on=datetime.date(2026, 3, 5))
    figures = indicators.compute(Scope.for_post(data["post"]), Q1)
    tables = indicators.tables_by_key(figures)
    for key, label, expected in (
        ("actes", "Entretien physique", [3, 1]),
        ("problem", "Violences conjugales", [3, 1]),
        ("orientation", "CIDFF", 3),
    ):
        labels = [row["label"] for row in tables[key]["rows"]]
        assert labels.count(label) == 1, (key, labels)
        values = rows(tables[key])[label]
        assert (values if key != "orientation" else values[-2]) == expected, (key, values)
