"""What an import will create: plans of people, files and actes, and the line errors."""

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

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
    # (line, date, kind id, duration in minutes, site id)
    actions: list = field(default_factory=list)
    # (line, date or None, partner id, reason, status)
    orientations: list = field(default_factory=list)
    # The post's case of this person opened the same day, completed rather than doubled.
    existing_case_id: int | None = None


@dataclass
class PersonPlan:
    line: int
    fields: dict
    cases: dict = field(default_factory=dict)  # key -> CasePlan
    # The post's beneficiary this person already is (same names and birth year).
    existing_id: int | None = None


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
    conflict_count: int = 0
    people: list = field(default_factory=list)
    anonymous_contacts: list = field(default_factory=list)
    sample: list = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors and self.row_count > 0

    @property
    def counts(self) -> dict:
        cases = [case for person in self.people for case in person.cases.values()]
        new_cases = [case for case in cases if case.existing_case_id is None]
        return {
            "beneficiaries": sum(1 for person in self.people if person.existing_id is None),
            "existing_beneficiaries": sum(1 for p in self.people if p.existing_id is not None),
            "cases": len(new_cases),
            "referrals": len(new_cases),
            "actions": sum(len(case.actions) for case in cases),
            "orientations": sum(len(case.orientations) for case in cases),
            "anonymous_contacts": len(self.anonymous_contacts),
        }


COUNT_LABELS = {
    "beneficiaries": "bénéficiaires",
    "existing_beneficiaries": "bénéficiaires déjà présent·es (fiche complétée)",
    "cases": "accompagnements",
    "referrals": "saisines",
    "actions": "actes",
    "orientations": "orientations",
    "anonymous_contacts": "contacts anonymes",
}
