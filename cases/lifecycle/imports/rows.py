"""Reading one line of an import: its cells, the reference lists, the person and file."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.enums import ReferralOrigin
from cases.lifecycle.imports import columns as cols
from cases.lifecycle.imports.plans import (
    DATE_FORMATS,
    EARLIEST,
    SAMPLE_SIZE,
    UNKNOWN_PROBLEM,
    ParsedImport,
    line_error,
)
from cases.models import ActionKind, ImportTemplate, Problem
from iscg.commune_input import resolve_commune
from iscg.dates import EARLIEST_BIRTH_YEAR
from iscg.geography import commune_code_of
from iscg.models import Commune, Unit
from iscg.text import normalize
from partners.models import Partner

COMMUNE_HINT = (
    "(attendu : le code INSEE à 5 chiffres de la commune, 01053 pour Bourg-en-Bresse, à "
    "défaut son code postal ou son nom ; pour Paris, Lyon et Marseille, le code de la ville "
    "ou de l'arrondissement)"
)
REDACTED = f"la valeur saisie ne désigne pas une commune et une seule {COMMUNE_HINT}."


class Lookups:
    """Reference lists, read once per file."""

    def __init__(self, post):
        self.post = post
        department = post.employer.department_id
        # Past activity may name entries since switched off: the département's whole list.
        problems = Problem.objects.known_in([department])
        self.problems = {}
        for pk, code, label in problems.values_list("pk", "code", "label"):
            self.problems[normalize(code)] = pk
            self.problems[normalize(label)] = pk
        self.kinds = {}
        self.kind_objects = list(ActionKind.objects.known_in([department]))
        for kind in self.kind_objects:
            self.kinds[normalize(kind.code)] = kind.pk
            self.kinds[normalize(kind.label)] = kind.pk
        self.phone_kinds = {k.pk for k in self.kind_objects if "telephon" in normalize(k.code)}
        self.units = {
            normalize(name): pk
            for pk, name in Unit.objects.filter(department_id=department).values_list("pk", "name")
        }
        self.communes = dict(Commune.objects.values_list("code", "pk"))
        self.resolved: dict[str, tuple] = {}
        sites = list(post.sites.values_list("pk", "name"))
        self.sites = {normalize(name): pk for pk, name in sites}
        self.site_names = ", ".join(sorted(name for _pk, name in sites))
        # Past orientations may name a partner since switched off: every one of the
        # département's, by name (two partners of one name make the name ambiguous).
        self.partners: dict[str, list[int]] = {}
        for pk, name in Partner.objects.filter(department_id=department).values_list("pk", "name"):
            self.partners.setdefault(normalize(name), []).append(pk)

    def commune(self, text: str) -> tuple[int | None, str]:
        """The commune a cell names (INSEE code, else postcode or name, as in every form:
        the post's département first among namesakes), or an error to show."""
        code = text.zfill(5) if text.isdigit() else text.upper()
        found = self.communes.get(commune_code_of(code))
        if found is not None:
            return found, ""
        if text not in self.resolved:
            try:
                commune = resolve_commune(text, department_ids=[self.post.employer.department_id])
                self.resolved[text] = (commune.pk, "")
            except ValidationError as error:
                if error.code == "ambiguous":
                    message = error.messages[0]
                else:
                    message = f"« {text} » ne correspond à aucune commune {COMMUNE_HINT}."
                self.resolved[text] = (None, message)
        return self.resolved[text]


def detect_template(header: list[str]) -> str | None:
    names = {normalize(h) for h in header}
    if normalize("Date de l'acte") in names:
        return ImportTemplate.ACTIONS
    if (
        any(n.startswith(normalize(cols.COUNT_PREFIX)) for n in names)
        or normalize("Date d'ouverture") in names
    ):
        return ImportTemplate.PEOPLE
    return None


class Row:
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
        value = table.get(normalize(raw))
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


def read_person_fields(row: Row, lookups: Lookups, profile_required=True) -> dict:
    commune_text = row.text("commune")
    commune_id = None
    if commune_text:
        commune_id, error = lookups.commune(commune_text)
        if error:
            row.error(f"Code commune (INSEE) : {error}", f"Code commune (INSEE) : {REDACTED}")
    this_year = timezone.localdate().year
    return {
        "last_name": row.text("last_name")[:150],
        "first_name": row.text("first_name")[:150],
        "sex": row.choice("sex", cols.SEX, "Sexe", default="U"),
        "birth_year": row.integer(
            "birth_year", "Année de naissance", EARLIEST_BIRTH_YEAR, this_year
        ),
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


def read_case_fields(row: Row, lookups: Lookups) -> dict:
    problem_raw = row.text("problem")
    problem_id = lookups.problems.get(normalize(problem_raw)) if problem_raw else None
    if problem_raw and problem_id is None:
        row.error(
            f"Problématique principale : « {problem_raw} » ne figure pas dans la liste "
            "départementale des problématiques.",
            UNKNOWN_PROBLEM,
        )
    unit_raw = row.text("unit")
    unit_id = lookups.units.get(normalize(unit_raw)) if unit_raw else None
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


def person_key(row: Row, fields: dict):
    if row.text("person_id"):
        return ("id", normalize(row.text("person_id")))
    if fields["last_name"] or fields["first_name"]:
        return (
            "name",
            normalize(fields["last_name"]),
            normalize(fields["first_name"]),
            fields["birth_year"],
        )
    return ("line", row.line)


def sample_of(row: Row, parsed: ParsedImport, **extra):
    """First rows for the preview, without names: what the bilans will count."""
    if len(parsed.sample) < SAMPLE_SIZE:
        parsed.sample.append({"line": row.line, **extra})


def read_orientation(row: Row, lookups: Lookups, default_on) -> tuple | None:
    """The row's orientation (line, date, partner id, reason, status), or None without one."""
    raw = row.text("partner")
    others = [row.text(key) for key in ("oriented_on", "orientation_reason", "orientation_status")]
    if not raw:
        if any(others):
            row.error(
                "Orientation : le partenaire est manquant alors que la date, le motif ou la "
                "suite de l'orientation sont renseignés."
            )
        return None
    partners = lookups.partners.get(normalize(raw), [])
    if not partners:
        row.error(
            f"Orientation : partenaire « {raw} » absent de l'annuaire des partenaires du "
            "département (le nom doit y figurer tel quel, accents et majuscules mis à part).",
            "Orientation : le partenaire saisi est absent de l'annuaire des partenaires du "
            "département.",
        )
        return None
    if len(partners) > 1:
        row.error(
            f"Orientation : partenaire « {raw} » ambigu : plusieurs partenaires de l'annuaire "
            "portent ce nom ; renommez-les dans l'annuaire pour les distinguer.",
            "Orientation : le partenaire saisi est ambigu : plusieurs partenaires de l'annuaire "
            "portent ce nom.",
        )
        return None
    on = row.date("oriented_on", "Orientation : date") or default_on
    reason = row.text("orientation_reason") or "Motif non précisé"
    if len(reason) > 300:
        row.error("Orientation : motif : 300 caractères au plus.")
        return None
    status = row.choice(
        "orientation_status", cols.ORIENTATION_STATUS, "Orientation : suite", default="proposed"
    )
    return (row.line, on, partners[0], reason, status)
