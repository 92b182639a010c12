"""Checks the rows of an import and turns them into a plan of objects to create.

Nothing here writes to the database. Every problem is reported with its line number,
in French, so the user can fix the file and upload it again.
"""

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils import timezone

from cases.enums import ClosingReason, ContactMode, ReferralOrigin
from cases.imports import columns as cols
from cases.imports.columns import normalise
from cases.models import ActionKind, ImportTemplate, Problem
from iscg.models import Commune, Unit

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y")
EARLIEST = datetime.date(1990, 1, 1)
SAMPLE_SIZE = 10
UNKNOWN_PROBLEM = (
    "Problématique principale : la valeur saisie ne figure pas dans la liste départementale "
    "des problématiques."
)


@dataclass
class CasePlan:
    line: int
    opened_on: datetime.date | None = None
    closed_on: datetime.date | None = None
    closing_reason: str = ""
    problem_id: int | None = None
    unit_id: int | None = None
    origin: str = ""
    # (line, date, kind id, duration in minutes)
    actions: list = field(default_factory=list)


@dataclass
class PersonPlan:
    line: int
    fields: dict
    cases: dict = field(default_factory=dict)  # key -> CasePlan


class LineError(NamedTuple):
    """An error of a line, naming its column. ``message`` may quote the cell as typed: only
    the uploader reads it; the post's other workers read ``redacted``, without any value."""

    line: int
    message: str
    redacted: str

    def text(self, *, with_value: bool) -> str:
        return self.message if with_value else self.redacted


def line_error(line: int, message: str, redacted: str | None = None) -> LineError:
    return LineError(line, message, message if redacted is None else redacted)


@dataclass
class ParsedImport:
    template: str = ""
    row_count: int = 0
    errors: list = field(default_factory=list)  # LineError
    warnings: list = field(default_factory=list)
    people: list = field(default_factory=list)
    anonymous_contacts: list = field(default_factory=list)
    sample: list = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors and self.row_count > 0

    @property
    def counts(self) -> dict:
        cases = [case for person in self.people for case in person.cases.values()]
        return {
            "beneficiaries": len(self.people),
            "cases": len(cases),
            "referrals": len(cases),
            "actions": sum(len(case.actions) for case in cases),
            "anonymous_contacts": len(self.anonymous_contacts),
        }


COUNT_LABELS = {
    "beneficiaries": "bénéficiaires",
    "cases": "accompagnements",
    "referrals": "saisines",
    "actions": "actes",
    "anonymous_contacts": "contacts anonymes",
}


class _Lookups:
    """Reference lists, read once per file."""

    def __init__(self, post):
        self.post = post
        self.problems = {}
        for pk, code, label in Problem.objects.values_list("pk", "code", "label"):
            self.problems[normalise(code)] = pk
            self.problems[normalise(label)] = pk
        self.kinds = {}
        self.kind_objects = list(ActionKind.objects.all())
        for kind in self.kind_objects:
            self.kinds[normalise(kind.code)] = kind.pk
            self.kinds[normalise(kind.label)] = kind.pk
        self.phone_kinds = {k.pk for k in self.kind_objects if "telephon" in normalise(k.code)}
        department = post.employer.department_id
        self.units = {
            normalise(name): pk
            for pk, name in Unit.objects.filter(department_id=department).values_list("pk", "name")
        }
        self.communes = dict(Commune.objects.values_list("code", "pk"))


def detect_template(header: list[str]) -> str | None:
    names = {normalise(h) for h in header}
    if normalise("Date de l'acte") in names:
        return ImportTemplate.ACTIONS
    if (
        any(n.startswith(normalise(cols.COUNT_PREFIX)) for n in names)
        or normalise("Date d'ouverture") in names
    ):
        return ImportTemplate.PEOPLE
    return None


class _Row:
    """One line: reads its cells and collects its errors."""

    def __init__(self, line, values, parsed):
        self.line = line
        self.values = values
        self.parsed = parsed

    def error(self, message, redacted=None):
        """``redacted``: the message without the cell's value, when ``message`` quotes it."""
        self.parsed.errors.append(line_error(self.line, message, redacted))

    def text(self, key) -> str:
        value = self.values.get(key)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def choice(self, key, table, label, default=None):
        raw = self.text(key)
        if not raw and default is not None:
            return default
        value = table.get(normalise(raw))
        if value is None:
            if not raw:
                self.error(f"{label} : valeur manquante.")
            else:
                self.error(
                    f"{label} : « {raw} » n'est pas une valeur reconnue.",
                    f"{label} : la valeur saisie n'est pas une valeur reconnue.",
                )
        return value

    def date(self, key, label, required=False):
        value = self.values.get(key)
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            parsed = value
        else:
            raw = self.text(key)
            if not raw:
                if required:
                    self.error(f"{label} : date manquante.")
                return None
            raw = raw.split(" ")[0]
            parsed = None
            for fmt in DATE_FORMATS:
                try:
                    parsed = datetime.datetime.strptime(raw, fmt).date()  # noqa: DTZ007 - a date
                    break
                except ValueError:
                    continue
            if parsed is None:
                self.error(
                    f"{label} : « {raw} » n'est pas une date valide (attendu : JJ/MM/AAAA).",
                    f"{label} : la valeur saisie n'est pas une date valide (attendu : JJ/MM/AAAA).",
                )
                return None
        if parsed > timezone.localdate():
            self.error(
                f"{label} : le {parsed:%d/%m/%Y} est dans le futur.",
                f"{label} : la date saisie est dans le futur.",
            )
            return None
        if parsed < EARLIEST:
            self.error(
                f"{label} : le {parsed:%d/%m/%Y} est antérieur à 1990.",
                f"{label} : la date saisie est antérieure à 1990.",
            )
            return None
        return parsed

    def integer(self, key, label, minimum, maximum, default=None):
        raw = self.text(key)
        if not raw:
            return default
        try:
            number = int(raw)
        except ValueError:
            self.error(
                f"{label} : « {raw} » n'est pas un nombre entier.",
                f"{label} : la valeur saisie n'est pas un nombre entier.",
            )
            return default
        if not minimum <= number <= maximum:
            self.error(
                f"{label} : {number} doit être compris entre {minimum} et {maximum}.",
                f"{label} : la valeur saisie doit être comprise entre {minimum} et {maximum}.",
            )
            return default
        return number


def _person_fields(row: _Row, lookups: _Lookups, profile_required=True) -> dict:
    commune_code = row.text("commune")
    commune_id = None
    if commune_code:
        code = commune_code.zfill(5) if commune_code.isdigit() else commune_code.upper()
        commune_id = lookups.communes.get(code)
        if commune_id is None:
            row.error(
                f"Code commune (INSEE) : « {commune_code} » ne correspond à aucune commune.",
                "Code commune (INSEE) : la valeur saisie ne correspond à aucune commune.",
            )
    this_year = timezone.localdate().year
    return {
        "last_name": row.text("last_name")[:150],
        "first_name": row.text("first_name")[:150],
        "sex": row.choice("sex", cols.SEX, "Sexe", default="U"),
        "birth_year": row.integer("birth_year", "Année de naissance", 1900, this_year),
        "age_band": row.choice("age_band", cols.AGE_BAND, "Tranche d'âge", default="unknown"),
        "family_situation": row.choice(
            "family_situation", cols.FAMILY, "Situation familiale", default="unknown"
        ),
        "children_count": row.integer("children_count", "Nombre d'enfants", 0, 30),
        "commune_id": commune_id,
        "profile": row.choice(
            "profile", cols.PROFILE, "Profil", default=None if profile_required else ""
        ),
        "known_to_department": row.choice(
            "known_to_department", cols.YES_NO, "Connu du Département", default="unknown"
        ),
        "known_to_caf": row.choice(
            "known_to_caf", cols.YES_NO, "Connu de la CAF", default="unknown"
        ),
    }


def _case_fields(row: _Row, lookups: _Lookups) -> dict:
    problem_raw = row.text("problem")
    problem_id = lookups.problems.get(normalise(problem_raw)) if problem_raw else None
    if problem_raw and problem_id is None:
        row.error(
            f"Problématique principale : « {problem_raw} » ne figure pas dans la liste "
            "départementale des problématiques.",
            UNKNOWN_PROBLEM,
        )
    unit_raw = row.text("unit")
    unit_id = lookups.units.get(normalise(unit_raw)) if unit_raw else None
    if unit_raw and unit_id is None:
        row.error(
            f"Unité à l'origine : « {unit_raw} » n'est pas une unité du département.",
            "Unité à l'origine : la valeur saisie n'est pas une unité du département.",
        )
    default_origin = ReferralOrigin.FSI_DIRECT if unit_raw else ReferralOrigin.OTHER
    origin = row.choice("origin", cols.ORIGIN, "Origine de la saisine", default=default_origin)
    if origin in ReferralOrigin.from_units() and not unit_raw:
        row.error("Origine de la saisine : indiquez l'unité à l'origine de cette saisine.")
    opened_on = row.date("opened_on", "Date d'ouverture")
    closed_on = row.date("closed_on", "Date de clôture")
    closing_reason = row.choice("closing_reason", cols.CLOSING, "Motif de clôture", default="")
    if opened_on and closed_on and closed_on < opened_on:
        row.error(
            f"Date de clôture : le {closed_on:%d/%m/%Y} précède la date d'ouverture "
            f"({opened_on:%d/%m/%Y}).",
            "Date de clôture : la date saisie précède la date d'ouverture.",
        )
    if closed_on and not closing_reason:
        row.error("Motif de clôture : indiquez le motif, l'accompagnement est clôturé.")
    if closing_reason and not closed_on and row.text("closing_reason"):
        row.error("Date de clôture : un motif de clôture est indiqué sans date de clôture.")
    return {
        "problem_id": problem_id,
        "unit_id": unit_id,
        "origin": origin or ReferralOrigin.OTHER,
        "opened_on": opened_on,
        "closed_on": closed_on,
        "closing_reason": closing_reason or "",
    }


def _person_key(row: _Row, fields: dict):
    if row.text("person_id"):
        return ("id", normalise(row.text("person_id")))
    if fields["last_name"] or fields["first_name"]:
        return (
            "name",
            normalise(fields["last_name"]),
            normalise(fields["first_name"]),
            fields["birth_year"],
        )
    return ("line", row.line)


def _sample(row: _Row, parsed: ParsedImport, **extra):
    """First rows for the preview, without names: what the bilans will count."""
    if len(parsed.sample) < SAMPLE_SIZE:
        parsed.sample.append({"line": row.line, **extra})


def parse_rows(header, rows, *, post, template=None) -> ParsedImport:
    parsed = ParsedImport(row_count=len(rows))
    template = template or detect_template(header)
    if template is None:
        parsed.errors.append(
            line_error(
                1,
                "Modèle non reconnu : la première ligne doit reprendre les intitulés de colonnes "
                "de l'un des deux modèles à télécharger.",
            )
        )
        return parsed
    parsed.template = template
    lookups = _Lookups(post)
    columns = cols.template_columns(template, lookups.kind_objects)
    by_header = {normalise(c.header): c for c in columns}
    if template == ImportTemplate.PEOPLE:
        for kind in lookups.kind_objects:
            by_header.setdefault(
                normalise(f"{cols.COUNT_PREFIX}{kind.code}"),
                cols.Column(f"count:{kind.pk}", kind.code, ""),
            )
    positions = {}
    for index, name in enumerate(header):
        column = by_header.get(normalise(name))
        if column is None:
            if name:
                parsed.warnings.append(f"Colonne « {name} » inconnue : elle est ignorée.")
            continue
        positions[column.key] = index
    missing = [c.header for c in columns if c.required and c.key not in positions]
    if missing:
        parsed.errors.append(
            line_error(
                1,
                "Colonne(s) obligatoire(s) absente(s) : " + ", ".join(f"« {m} »" for m in missing),
            )
        )
        return parsed

    people: dict = {}
    for line, cells in rows:
        values = {key: cells[i] if i < len(cells) else None for key, i in positions.items()}
        row = _Row(line, values, parsed)
        errors_before = len(parsed.errors)
        if template == ImportTemplate.ACTIONS:
            _parse_action_row(row, lookups, parsed, people)
        else:
            _parse_person_row(row, lookups, parsed, people)
        if len(parsed.errors) > errors_before:
            continue

    for person in people.values():
        for case in person.cases.values():
            if case.problem_id is None:
                parsed.errors.append(
                    line_error(case.line, "Problématique principale : valeur manquante.")
                )
            dates = [a[1] for a in case.actions]
            if case.opened_on is None:
                case.opened_on = min(dates) if dates else None
            if case.opened_on is None:
                parsed.errors.append(
                    line_error(case.line, "Date d'ouverture : date manquante (et aucun acte daté).")
                )
                continue
            for action_line, on, _kind, _duration in case.actions:
                if on < case.opened_on:
                    parsed.errors.append(
                        line_error(
                            action_line,
                            f"Date de l'acte : le {on:%d/%m/%Y} précède l'ouverture de "
                            f"l'accompagnement ({case.opened_on:%d/%m/%Y}).",
                            "Date de l'acte : la date saisie précède l'ouverture de "
                            "l'accompagnement.",
                        )
                    )
                elif case.closed_on and on > case.closed_on:
                    parsed.errors.append(
                        line_error(
                            action_line,
                            f"Date de l'acte : le {on:%d/%m/%Y} suit la clôture de "
                            f"l'accompagnement ({case.closed_on:%d/%m/%Y}).",
                            "Date de l'acte : la date saisie suit la clôture de l'accompagnement.",
                        )
                    )
    parsed.people = list(people.values())
    parsed.errors.sort(key=lambda e: e.line)
    return parsed


def _add_to_case(person: PersonPlan, case_fields: dict, line: int) -> CasePlan:
    key = case_fields["opened_on"]
    case = person.cases.get(key)
    if case is None:
        case = CasePlan(line=line, **case_fields)
        person.cases[key] = case
    else:
        for name in ("problem_id", "unit_id", "closed_on", "closing_reason"):
            if not getattr(case, name) and case_fields[name]:
                setattr(case, name, case_fields[name])
    return case


def _parse_action_row(row, lookups, parsed, people):
    occurred_on = row.date("occurred_on", "Date de l'acte", required=True)
    kind_raw = row.text("kind")
    kind_id = lookups.kinds.get(normalise(kind_raw)) if kind_raw else None
    if kind_id is None:
        if kind_raw:
            row.error(
                f"Type d'acte : « {kind_raw} » ne figure pas dans la liste des types d'actes.",
                "Type d'acte : la valeur saisie ne figure pas dans la liste des types d'actes.",
            )
        else:
            row.error("Type d'acte : valeur manquante.")
    duration = row.integer("duration", "Durée (minutes)", 1, 1440, default=30)
    anonymous = row.choice("anonymous_contact", cols.YES_NO, "Contact anonyme", default="no")
    if anonymous == "yes":
        person = _person_fields(row, lookups, profile_required=False)
        problem_raw = row.text("problem")
        problem_id = lookups.problems.get(normalise(problem_raw)) if problem_raw else None
        if problem_id is None and problem_raw:
            row.error(
                f"Problématique principale : « {problem_raw} » ne figure pas dans la liste "
                "départementale des problématiques.",
                UNKNOWN_PROBLEM,
            )
        elif problem_id is None:
            row.error("Problématique principale : valeur manquante.")
        unit_raw = row.text("unit")
        unit_id = lookups.units.get(normalise(unit_raw)) if unit_raw else None
        if unit_raw and unit_id is None:
            row.error(
                f"Unité à l'origine : « {unit_raw} » n'est pas une unité du département.",
                "Unité à l'origine : la valeur saisie n'est pas une unité du département.",
            )
        if occurred_on and problem_id and kind_id:
            parsed.anonymous_contacts.append(
                {
                    "occurred_on": occurred_on,
                    "mode": ContactMode.PHONE
                    if kind_id in lookups.phone_kinds
                    else ContactMode.IN_PERSON,
                    "source_unit_id": unit_id,
                    "problem_id": problem_id,
                    "sex": person["sex"] or "U",
                    "age_band": person["age_band"] or "unknown",
                }
            )
            _sample(row, parsed, date=occurred_on, kind=kind_raw, profile="Contact anonyme")
        return
    person_fields = _person_fields(row, lookups)
    case_fields = _case_fields(row, lookups)
    if any(error.line == row.line for error in parsed.errors):
        return
    key = _person_key(row, person_fields)
    person = people.setdefault(key, PersonPlan(line=row.line, fields=person_fields))
    case = _add_to_case(person, case_fields, row.line)
    case.actions.append((row.line, occurred_on, kind_id, duration))
    _sample(
        row,
        parsed,
        date=occurred_on,
        kind=kind_raw,
        profile=row.text("profile"),
        problem=row.text("problem"),
    )


def _parse_person_row(row, lookups, parsed, people):
    person_fields = _person_fields(row, lookups)
    case_fields = _case_fields(row, lookups)
    if case_fields["opened_on"] is None and not row.text("opened_on"):
        row.error("Date d'ouverture : date manquante.")
    counts = {}
    for key in row.values:
        if key.startswith("count:"):
            kind_id = int(key.split(":")[1])
            label = next(k.label for k in lookups.kind_objects if k.pk == kind_id)
            counts[kind_id] = row.integer(key, f"{cols.COUNT_PREFIX}{label}", 0, 1000, default=0)
    if any(error.line == row.line for error in parsed.errors):
        return
    key = _person_key(row, person_fields)
    person = people.setdefault(key, PersonPlan(line=row.line, fields=person_fields))
    case = _add_to_case(person, case_fields, row.line)
    start = case_fields["opened_on"]
    end = case_fields["closed_on"] or start
    total = sum(counts.values())
    index = 0
    for kind_id, count in counts.items():
        for _ in range(count):
            # Spread evenly from the opening to the closing: the bilans count them by period.
            offset = (end - start).days * index // max(total - 1, 1) if total > 1 else 0
            case.actions.append((row.line, start + datetime.timedelta(days=offset), kind_id, 30))
            index += 1
    if case.closing_reason == "" and case.closed_on:
        case.closing_reason = ClosingReason.OTHER
    _sample(
        row,
        parsed,
        date=start,
        kind=f"{total} acte(s)",
        profile=row.text("profile"),
        problem=row.text("problem"),
    )
