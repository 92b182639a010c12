"""People of an import already in the post: their files are completed, never doubled.

A worker often enters a person by hand before the post's spreadsheet is imported. The
file's person is the post's beneficiary when both names and the birth year are the same
(accents, case and hyphens aside) and only one beneficiary matches: the import then adds
its actes and orientations to that person's file instead of creating a second one. A
case opened the same day is the same case, and an acte of the same day and type already
recorded on it is not recorded twice. Weaker resemblances (same names but another or no
birth year) are only reported: the worker decides, the import creates a new file.

The preview says so line by line, without the person's name (the post's other workers
read the messages too).
"""

from collections import defaultdict

from django.utils import timezone

from cases.models import Action, Beneficiary, Case
from iscg.text import normalize

MAX_SHOWN = 50


def _name_key(last_name: str, first_name: str) -> tuple[str, str] | None:
    last, first = normalize(last_name), normalize(first_name)
    return (last, first) if last and first else None


def _post_people(post, keys: set) -> dict:
    """The post's beneficiaries by name key, read once for the file."""
    found = defaultdict(list)
    last_names = {last for last, _first in keys}
    rows = (
        Beneficiary.objects.filter(post=post, anonymised_at__isnull=True)
        .only("pk", "last_name", "first_name", "birth_year", "birth_date")
        .iterator(chunk_size=2000)
    )
    for beneficiary in rows:
        if normalize(beneficiary.last_name) not in last_names:
            continue
        key = _name_key(beneficiary.last_name, beneficiary.first_name)
        if key in keys:
            found[key].append(beneficiary)
    return found


def _year(beneficiary) -> int | None:
    if beneficiary.birth_date:
        return beneficiary.birth_date.year
    return beneficiary.birth_year


class _Report:
    def __init__(self, parsed):
        self.parsed, self.shown = parsed, 0

    def say(self, message: str) -> None:
        self.shown += 1
        if self.shown <= MAX_SHOWN:
            self.parsed.warnings.append(message)
        elif self.shown == MAX_SHOWN + 1:
            self.parsed.warnings.append(
                f"D'autres lignes concernent des personnes déjà présentes : seules les "
                f"{MAX_SHOWN} premières sont signalées."
            )


def match_existing_people(parsed, post) -> None:
    """Links each person of ``parsed`` to the post's beneficiary they already are."""
    keys = {
        key
        for person in parsed.people
        if (key := _name_key(person.fields["last_name"], person.fields["first_name"]))
    }
    if not keys:
        return
    existing = _post_people(post, keys)
    report = _Report(parsed)
    linked = {}
    for person in parsed.people:
        key = _name_key(person.fields["last_name"], person.fields["first_name"])
        namesakes = existing.get(key, []) if key else []
        if not namesakes:
            continue
        year = person.fields.get("birth_year")
        same = [b for b in namesakes if year and _year(b) == year]
        if len(same) == 1:
            person.existing_id = same[0].pk
            linked[person.existing_id] = person
            report.say(
                f"Ligne {person.line} : personne déjà présente dans le poste (mêmes nom, "
                "prénom et année de naissance) : ses accompagnements et actes sont ajoutés à "
                "sa fiche existante, sans nouvelle fiche."
            )
        else:
            report.say(
                f"Ligne {person.line} : une personne du même nom et prénom figure déjà dans le "
                "poste, avec une autre année de naissance ou sans année commune : une nouvelle "
                "fiche sera créée. Si c'est la même personne, indiquez son année de naissance "
                "dans le fichier, telle qu'elle figure dans sa fiche."
            )
    if linked:
        _match_cases(linked, report)


def _match_cases(linked: dict, report: _Report) -> None:
    """A case of a linked person opened the same day as the file's is that case."""
    cases = Case.objects.filter(beneficiary_id__in=linked).only(
        "pk", "beneficiary_id", "opened_on", "closed_on"
    )
    by_day = {(case.beneficiary_id, case.opened_on): case for case in cases}
    reused = {}
    for beneficiary_id, person in linked.items():
        for plan in person.cases.values():
            case = by_day.get((beneficiary_id, plan.opened_on))
            if case is None:
                continue
            plan.existing_case_id = case.pk
            # The file completes the case; its dates stay those recorded in ISCG.
            plan.closed_on = case.closed_on
            reused[case.pk] = plan
    if not reused:
        return
    recorded = {
        (action.case_id, timezone.localdate(action.occurred_at), action.kind_id)
        for action in Action.objects.filter(case_id__in=reused).only(
            "case_id", "occurred_at", "kind_id"
        )
    }
    for case_id, plan in reused.items():
        kept = []
        for action in plan.actions:
            line, on, kind_id = action[0], action[1], action[2]
            if (case_id, on, kind_id) in recorded:
                report.say(
                    f"Ligne {line} : acte déjà enregistré dans ISCG (même accompagnement, même "
                    "date, même type) : il n'est pas importé une seconde fois."
                )
            else:
                kept.append(action)
        plan.actions = kept
