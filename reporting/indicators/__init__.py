"""The nine indicators of the cahier des charges, computed by the database.

``compute(scope, period)`` returns the sections of a bilan (JSON-serialisable); every
table carries the figure of the period and of the previous period of equal length.
The number of queries is fixed (about twenty) whatever the volume of data.
"""

from reporting.indicators import (
    activity,
    beneficiaries,
    demographics,
    known,
    orientations,
    problems,
    referrals,
    territory,
)
from reporting.indicators.base import Context, pack
from reporting.indicators.keys import as_keys
from reporting.indicators.states import post_states
from reporting.periods import Period
from reporting.scope import Scope

SECTIONS = [
    (1, "Nombre de bénéficiaires et profils", beneficiaries.tables),
    (2, "Profil socio-démographique", demographics.tables),
    (3, "Origine territoriale et lieux d'accueil", territory.tables),
    (4, "Problématique principale", problems.tables),
    (5, "Saisines par commissariat et unité de gendarmerie", lambda ctx: [referrals.by_unit(ctx)]),
    (6, "Origine de l'orientation vers l'intervenant·e", lambda ctx: [referrals.by_origin(ctx)]),
    (7, "Dossiers déjà connus du Département et de la CAF", known.tables),
    (8, "Orientations vers les partenaires", orientations.tables),
    (9, "Durée d'accompagnement, actes et signalements", activity.tables),
]

# The version of the tables' layout (their keys, rows and columns). The live statistics'
# answers of closed quarters are frozen with it (reporting.frozen): one frozen with
# another layout is computed again, once. tests/reporting/test_live_frozen.py holds the
# layout's fingerprint, so that changing a table without raising this fails there.
LAYOUT = 1

# (label, table key, row index or None for the total row, columns of current and previous)
KEY_FIGURES = [
    ("Personnes accompagnées", "activity", 0, (0, 1)),
    ("Accompagnements ouverts", "activity", 2, (0, 1)),
    ("Accompagnements clôturés", "activity", 3, (0, 1)),
    ("Saisines reçues", "origin", None, (0, 1)),
    ("Actes réalisés", "actes", None, (0, 1)),
    ("Orientations vers des partenaires", "orientation", None, (-2, -1)),
    ("Contacts anonymes", "anonymous", None, (0, 1)),
    ("Signalements légaux", "legal_reports", None, (0, 1)),
    ("Durée médiane d'accompagnement", "duration_median", 1, (0, 1)),
]


def compute(scope: Scope, period: Period) -> dict:
    return _figures(Context(scope=scope, period=period))


def compute_with_sources(scope: Scope, period: Period) -> tuple[dict, dict, dict]:
    """The figures, the grouped rows they were built from, packed (frozen with a bilan,
    for a later consolidation), and each post's data state (``states.post_states``)."""
    ctx = Context(scope=scope, period=period)
    figures = _figures(ctx)
    sources = {name: pack(rows) for name, rows in ctx.sources().items()}
    return figures, sources, post_states(scope, period, ctx)


def compute_from_sources(period: Period, sources: dict) -> dict:
    """The figures built from grouped rows read before (several bilans' rows
    concatenated: see reporting.consolidation). No query is run."""
    return _figures(Context(scope=None, period=period, given=sources))


def compute_with_keys(scope: Scope, period: Period) -> tuple[dict, dict]:
    """The figures, and the same tables with each count replaced by the sum of the keys
    of the records it counts (reporting.secrecy.perturbation), from one read."""
    # Cycle: reporting.retained reads the sources' grouped rows through this package.
    from reporting.retained import count_fields

    ctx = Context(scope=scope, period=period, keyed=True)
    figures = _figures(ctx)
    twin = Context(scope=scope, period=period)
    twin.__dict__["department_code"] = ctx.department_code  # read once
    twin.__dict__["_sources"] = {
        name: as_keys(rows, count_fields(name)) for name, rows in ctx.sources().items()
    }
    return figures, _figures(twin)


def _figures(ctx: Context) -> dict:
    sections = [
        {"number": number, "title": title, "tables": build(ctx)}
        for number, title, build in SECTIONS
    ]
    return {
        "period": ctx.period.as_dict(),
        "previous_period": ctx.previous.as_dict(),
        "sections": sections,
    }


def row_orders(department_id: int) -> dict[str, list[str]]:
    """{table key: row labels in the order the indicators list them} of the tables of
    rows whose order comes from a reference list (problems, kinds of actes and of
    partners, the département's units), read from those lists, not from any record:
    the order of rows summed from several posts' answers (reporting.live)."""
    return {
        "problem": problems.row_order(department_id),
        "actes": activity.acte_order(department_id),
        "orientation": orientations.row_order(department_id),
        "referral_unit": referrals.row_order(department_id),
    }


def tables_by_key(figures: dict) -> dict[str, dict]:
    return {t["key"]: t for s in figures.get("sections", []) for t in s["tables"]}


def key_figures(figures: dict) -> list[dict]:
    """The summary page: a few figures read from the (possibly masked) tables."""
    found = tables_by_key(figures)
    result = []
    for label, key, row, (current, previous) in KEY_FIGURES:
        t = found.get(key)
        if t is None:
            continue
        values = t["total"] if row is None else t["rows"][row]["values"]
        if not values:
            continue
        result.append({"label": label, "current": values[current], "previous": values[previous]})
    return result
