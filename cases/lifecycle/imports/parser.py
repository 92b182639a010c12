"""Checks the rows of an import and turns them into a plan of objects to create.

Nothing here writes to the database. Every problem is reported with its line number,
in French, so the user can fix the file and upload it again.
"""

import datetime

from cases.enums import ClosingReason, ContactMode
from cases.lifecycle.imports import columns as cols
from cases.lifecycle.imports.conflicts import report_conflicts
from cases.lifecycle.imports.existing import match_existing_people
from cases.lifecycle.imports.plans import (
    UNKNOWN_PROBLEM,
    CasePlan,
    ParsedImport,
    PersonPlan,
    line_error,
)
from cases.lifecycle.imports.rows import (
    Lookups,
    Row,
    detect_template,
    person_key,
    read_case_fields,
    read_orientation,
    read_person_fields,
    sample_of,
)
from cases.models import ImportTemplate
from iscg.text import normalize


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
    lookups = Lookups(post)
    columns = cols.template_columns(template, lookups.kind_objects)
    by_header = {normalize(c.header): c for c in columns}
    if template == ImportTemplate.PEOPLE:
        for kind in lookups.kind_objects:
            by_header.setdefault(
                normalize(f"{cols.COUNT_PREFIX}{kind.code}"),
                cols.Column(f"count:{kind.pk}", kind.code, ""),
            )
    positions = {}
    for index, name in enumerate(header):
        column = by_header.get(normalize(name))
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
        row = Row(line, values, parsed)
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
    parsed.people = list(people.values())
    if not parsed.errors:
        match_existing_people(parsed, post)
    for person in parsed.people:
        for case in person.cases.values():
            if case.opened_on is None:
                continue
            _check_orientation_dates(case, parsed)
            for action_line, on, _kind, _duration, _site in case.actions:
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
    parsed.errors.sort(key=lambda e: e.line)
    return parsed


def _check_orientation_dates(case, parsed) -> None:
    for line, on, _partner, _reason, _status in case.orientations:
        if on is None:
            on = case.opened_on
        if on < case.opened_on or (case.closed_on and on > case.closed_on):
            parsed.errors.append(
                line_error(
                    line,
                    f"Orientation : date : le {on:%d/%m/%Y} est en dehors de l'accompagnement "
                    f"(ouvert le {case.opened_on:%d/%m/%Y}"
                    + (f", clôturé le {case.closed_on:%d/%m/%Y}" if case.closed_on else "")
                    + ").",
                    "Orientation : date : la date saisie est en dehors de l'accompagnement.",
                )
            )


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


def _site(row, lookups) -> int | None:
    """The post's site the row names, or None (lieu non renseigné) when it names none."""
    raw = row.text("site")
    if not raw:
        return None
    site_id = lookups.sites.get(normalize(raw))
    if site_id is None:
        known = lookups.site_names
        row.error(
            f"Lieu d'accueil : « {raw} » n'est pas un lieu d'accueil du poste"
            + (f" (lieux : {known})." if known else "."),
            "Lieu d'accueil : la valeur saisie n'est pas un lieu d'accueil du poste.",
        )
    return site_id


def _person(people, key, fields, line, parsed) -> PersonPlan:
    person = people.get(key)
    if person is None:
        person = people[key] = PersonPlan(line=line, fields=fields)
    else:
        report_conflicts(person, fields, line, parsed)
    return person


def _parse_action_row(row, lookups, parsed, people):
    occurred_on = row.date("occurred_on", "Date de l'acte", required=True)
    kind_raw = row.text("kind")
    kind_id = lookups.kinds.get(normalize(kind_raw)) if kind_raw else None
    if kind_id is None:
        if kind_raw:
            row.error(
                f"Type d'acte : « {kind_raw} » ne figure pas dans la liste des types d'actes.",
                "Type d'acte : la valeur saisie ne figure pas dans la liste des types d'actes.",
            )
        else:
            row.error("Type d'acte : valeur manquante.")
    duration = row.integer("duration", "Durée (minutes)", 1, 1440, default=30)
    site_id = _site(row, lookups)
    anonymous = row.choice("anonymous_contact", cols.YES_NO, "Contact anonyme", default="no")
    if anonymous == "yes":
        if row.text("partner"):
            row.error(
                "Orientation : un contact anonyme n'a pas de dossier où enregistrer une "
                "orientation ; ouvrez un accompagnement pour orienter la personne."
            )
        person = read_person_fields(row, lookups, profile_required=False)
        problem_raw = row.text("problem")
        problem_id = lookups.problems.get(normalize(problem_raw)) if problem_raw else None
        if problem_id is None and problem_raw:
            row.error(
                f"Problématique principale : « {problem_raw} » ne figure pas dans la liste "
                "départementale des problématiques.",
                UNKNOWN_PROBLEM,
            )
        elif problem_id is None:
            row.error("Problématique principale : valeur manquante.")
        unit_raw = row.text("unit")
        unit_id = lookups.units.get(normalize(unit_raw)) if unit_raw else None
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
                    "site_id": site_id,
                    "problem_id": problem_id,
                    "sex": person["sex"] or "U",
                    "age_band": person["age_band"] or "unknown",
                }
            )
            sample_of(row, parsed, date=occurred_on, kind=kind_raw, profile="Contact anonyme")
        return
    person_fields = read_person_fields(row, lookups)
    case_fields = read_case_fields(row, lookups)
    orientation = read_orientation(row, lookups, occurred_on)
    if any(error.line == row.line for error in parsed.errors):
        return
    key = person_key(row, person_fields)
    person = _person(people, key, person_fields, row.line, parsed)
    case = _add_to_case(person, case_fields, row.line)
    case.actions.append((row.line, occurred_on, kind_id, duration, site_id))
    if orientation:
        case.orientations.append(orientation)
    sample_of(
        row,
        parsed,
        date=occurred_on,
        kind=kind_raw,
        profile=row.text("profile"),
        problem=row.text("problem"),
    )


def _parse_person_row(row, lookups, parsed, people):
    person_fields = read_person_fields(row, lookups)
    case_fields = read_case_fields(row, lookups)
    if case_fields["opened_on"] is None and not row.text("opened_on"):
        row.error("Date d'ouverture : date manquante.")
    counts = {}
    for key in row.values:
        if key.startswith("count:"):
            kind_id = int(key.split(":")[1])
            label = next(k.label for k in lookups.kind_objects if k.pk == kind_id)
            counts[kind_id] = row.integer(key, f"{cols.COUNT_PREFIX}{label}", 0, 1000, default=0)
    orientation = read_orientation(row, lookups, case_fields["opened_on"])
    if any(error.line == row.line for error in parsed.errors):
        return
    key = person_key(row, person_fields)
    person = _person(people, key, person_fields, row.line, parsed)
    case = _add_to_case(person, case_fields, row.line)
    if orientation:
        case.orientations.append(orientation)
    start = case_fields["opened_on"]
    end = case_fields["closed_on"] or start
    total = sum(counts.values())
    index = 0
    for kind_id, count in counts.items():
        for _ in range(count):
            # Spread evenly from the opening to the closing: the bilans count them by period.
            offset = (end - start).days * index // max(total - 1, 1) if total > 1 else 0
            day = start + datetime.timedelta(days=offset)
            # Counts name no place: "lieu non renseigné", never a place nobody recorded.
            case.actions.append((row.line, day, kind_id, 30, None))
            index += 1
    if case.closing_reason == "" and case.closed_on:
        case.closing_reason = ClosingReason.OTHER
    sample_of(
        row,
        parsed,
        date=start,
        kind=f"{total} acte(s)",
        profile=row.text("profile"),
        problem=row.text("problem"),
    )
