"""SQL expressions for the generators: values drawn by weight, reference ids, arrays."""


def weighted_case(random_expr: str, choices: list[tuple[object, float]], quote=True) -> str:
    """A CASE expression picking a value by cumulative weight from ``random_expr``."""
    total = sum(w for _, w in choices)
    parts, cumulative = [], 0.0
    for value, weight in choices[:-1]:
        cumulative += weight / total
        literal = f"'{value}'" if quote else str(value)
        parts.append(f"WHEN {random_expr} < {cumulative:.6f} THEN {literal}")
    last = choices[-1][0]
    return f"(CASE {' '.join(parts)} ELSE {repr(last) if quote else last} END)".replace('"', "'")


def ids_by_code(model, codes_weights):
    """(id, weight) of the reference rows with these codes (those present)."""
    ids = dict(model.objects.values_list("code", "id"))
    return [(ids[code], weight) for code, weight in codes_weights if code in ids]


def array_literal(values) -> str:
    """A PostgreSQL ARRAY of quoted text literals."""
    escaped = ",".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"ARRAY[{escaped}]"
