"""One person on several lines who is not described the same way on each.

The first line's values are kept (a file is read top to bottom); each difference is said
in the preview, line against line, without the person's name, so that the worker can
correct the file before confirming rather than find a wrong sex or commune afterwards.
"""

# The person's fields compared across lines, and how the preview names them.
COMPARED = {
    "sex": "sexe",
    "birth_year": "année de naissance",
    "age_band": "tranche d'âge",
    "family_situation": "situation familiale",
    "children_count": "nombre d'enfants",
    "commune_id": "commune",
    "profile": "profil",
    "known_to_department": "connu du Département",
    "known_to_caf": "connu de la CAF",
}
# Values that say nothing: a line leaving a field unknown does not contradict another.
UNKNOWN = {None, "", "U", "unknown"}
MAX_SHOWN = 50


def report_conflicts(person, fields: dict, line: int, parsed) -> None:
    """Adds a warning per field on which ``line`` contradicts the person's first line."""
    differing = [
        label
        for name, label in COMPARED.items()
        if fields.get(name) not in UNKNOWN
        and person.fields.get(name) not in UNKNOWN
        and fields.get(name) != person.fields.get(name)
    ]
    if not differing:
        return
    parsed.conflict_count += 1
    if parsed.conflict_count <= MAX_SHOWN:
        parsed.warnings.append(
            f"Ligne {line} : la même personne qu'à la ligne {person.line} y est décrite "
            f"autrement ({', '.join(differing)}) ; les valeurs de la ligne {person.line} "
            "sont retenues. Corrigez le fichier si elles ne sont pas les bonnes."
        )
    elif parsed.conflict_count == MAX_SHOWN + 1:
        parsed.warnings.append(
            f"D'autres lignes décrivent autrement une personne déjà lue : seules les "
            f"{MAX_SHOWN} premières sont signalées."
        )
