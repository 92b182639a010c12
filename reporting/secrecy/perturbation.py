"""The live statistics' secrecy: the cell-key method (consistent perturbation).

Cell suppression protects a fixed set of tables (a bilan and the bilans it is published
beside); the statistics page answers any of the viewer's scopes and any ended quarter,
so that two answers can be subtracted (an employer and one of its posts; two quarters)
where neither masks what the other shows. For such table builders statistical offices
perturb instead (the Australian Bureau of Statistics' TableBuilder; Eurostat's
recommendation for the 2021 census tables):

- every record has a secret key (reporting.indicators.keys); a count's *cell key* is the
  sum of its records' keys, modulo M, read as a number in [0, 1);
- the published count is the true count moved by at most ``MAX_DEVIATION``, the move
  drawn from ``TRANSITIONS`` by the cell key: the same records always give the same
  figure, whichever page, table or period shows them, so asking again tells nothing new;
- 0 stays 0, and neither 1 nor 2 is ever published (a true 1 or 2 reads 0, 3 or 4); the
  moves average to nothing for every count but 3 (which may only go up), so sums over
  many cells stay right on average;
- shares are recomputed from the published counts (over the published rows); the median
  duration is shown, rounded to 5 days, only when at least 5 closed files are published
  (so 3 at least), « — » when 0 are; tables ranked by count are ranked by the published
  counts;
- a published table need not add up: its total is perturbed as a count of its own;
- a table that lists only the rows with a count (communes, sites, units, partners,
  actes, problems) leaves out a row whose every count reads 0: listed, it would say that
  one or two were counted there.

A difference of two published counts of one post is the true difference give or take
4: a count of 1 read by subtraction is indistinguishable from 0 to 5. A scope of several
posts publishes the sums of its posts' published counts (``sum_of_posts``).
"""

import copy
import heapq
import itertools

from reporting.indicators.keys import MODULUS

# The package is loaded before this module: its MASKED is the one every page shows.
from reporting.secrecy import MASKED
from reporting.secrecy.layout import (
    DATA_ROWS,
    RANKED,
    TOTAL,
    WITHHELD,
    is_count,
    rank_by_published,
    row_keys,
    tables_of,
)

MAX_DEVIATION = 2
MEDIAN_SHOWN_FROM = 5
MEDIAN_ROUNDING = 5

# {true count: [(published count, probability)...]}; counts from 5 up move by
# ``SPREAD``. Each row is centred on the true count where the bounds allow (from 1 up,
# 3 and 4 lean upwards: 1 and 2 may not be published).
TRANSITIONS = {
    0: [(0, 1.0)],
    1: [(0, 2 / 3), (3, 1 / 3)],
    2: [(0, 0.4), (3, 0.4), (4, 0.2)],
    3: [(3, 0.75), (4, 0.25)],
    4: [(3, 0.25), (4, 0.5), (5, 0.25)],
}
SPREAD = [(-2, 0.05), (-1, 0.2), (0, 0.5), (1, 0.2), (2, 0.05)]

LEGEND = (
    "Statistiques en direct perturbées (secret statistique) : chaque effectif d'un poste "
    "est décalé d'au plus 2, toujours du même écart pour les mêmes personnes et les mêmes "
    "dossiers (0 peut valoir 0, 1 ou 2 ; 3, de 1 à 5) ; celui d'une unité, d'un employeur "
    "ou d'un département est la somme des effectifs affichés de ses postes (une personne "
    "suivie par deux postes y compte deux fois ; la durée médiane n'y est pas affichée), et "
    "un tableau masqué pour l'un d'eux l'est aussi ; aucun effectif de 1 ou 2 n'est "
    "affiché ; "
    "un tableau dont les chiffres affichés permettraient d'encadrer un effectif entre 1 et "
    "2 est masqué en entier (« s »), et les totaux peuvent différer de la somme des lignes. "
    "Les bilans diffusés, eux, publient les effectifs exacts et masquent les autres (« s »)."
)


def transitions(value: int) -> list[tuple[int, float]]:
    if value in TRANSITIONS:
        return TRANSITIONS[value]
    return [(value + move, probability) for move, probability in SPREAD]


def perturbed(value: int, key: float) -> int:
    """The published count of a true ``value`` whose cell key is ``key`` ∈ [0, 1)."""
    if value < 0:  # never a count; left as computed
        return value
    cumulative = 0.0
    steps = transitions(value)
    for published, probability in steps:
        cumulative += probability
        if key < cumulative:
            return published
    return steps[-1][0]


def cell_key(key_sum) -> float:
    return (int(key_sum) % MODULUS) / MODULUS


def cells_by_label(figures: dict) -> dict:
    """{(table key, row label or TOTAL, column): value} of figures (of the keyed twin
    figures: each count's key sum), rows named by label: a perturbed table drops and
    ranks rows, its cells are found by name."""
    cells = {}
    for key, table in tables_of(figures).items():
        for label, row in zip(row_keys(table), table["rows"], strict=True):
            for col, value in enumerate(row["values"]):
                cells[(key, label, col)] = value
        for col, value in enumerate(table.get("total") or []):
            cells[(key, TOTAL, col)] = value
    return cells


def _shares(table: dict) -> None:
    """Share columns recomputed from the published counts, over the published rows they
    share (a perturbed total need not be their sum: the shares still add up to 100 %)."""
    shares = {int(col): of for col, of in (table.get("shares") or {}).items()}
    # The residence's share is of the people whose commune is known (its first two rows).
    base = table["rows"][:2] if table["key"] == "residence" else table["rows"]
    for col, of in shares.items():
        whole = sum(row["values"][of] for row in base)
        for row in table["rows"]:
            if row["values"][col] is not None:
                row["values"][col] = round(100.0 * row["values"][of] / whole, 1) if whole else None
        if table.get("total"):
            table["total"][col] = 100.0 if whole else None


def _median_shown(published_closed: int, median):
    """The median as the published count of closed files allows: « — » for 0 (whatever
    the true count: « — » for 0 and « s » for 1 or 2 told them apart), « s » below
    ``MEDIAN_SHOWN_FROM``, else rounded to ``MEDIAN_ROUNDING`` days (with 3 files closed
    the exact median is one file's duration)."""
    if not is_count(published_closed) or published_closed == 0:
        return "—"
    if published_closed < MEDIAN_SHOWN_FROM or not isinstance(median, str):
        return MASKED
    try:
        days = float(median.split()[0])
    except ValueError:
        return MASKED
    return f"≈ {MEDIAN_ROUNDING * round(days / MEDIAN_ROUNDING):g} j"


def perturb(figures: dict, keys: dict) -> dict:
    """A copy of the figures with every count perturbed by its cell key (``keys``: the
    same tables holding each count's key sum, from ``indicators.compute_with_keys``)."""
    cells = cells_by_label(keys)

    def published(name, value):
        key_sum = cells.get(name)
        return perturbed(value, cell_key(key_sum if is_count(key_sum) else 0))

    return _published(figures, published)


def sum_of_posts(posts: list[dict], orders: dict | None = None) -> dict:
    """The answer of a scope of several posts (unit, employer, département), made of its
    posts' answers only (``posts``: each post's answer, perturbed and protected alone,
    at least one): every count the sum of its posts' published counts, every table that
    one of them withheld, withheld. The scope's answer tells nothing its posts' answers
    do not, and reads nothing else: no record of the scope is read to make it.
    ``orders``: {table key: row labels} of the tables listed in a reference order
    (``indicators.row_orders``), for the rows that no answer lists together.

    Perturbed by its own keys, an employer's answer beside its posts' confined counts
    that none confined alone: its commune read 0 (0 to 2) beside a post's 3 (1 to 5) is
    1 or 2 in both (the demo's employer beside its four posts, one quarter: 2 to 16
    counts; the Ain's employer of the national base beside its four posts, third quarter
    of 2026: 87). A person's files belong to one post: the scope's true count is the sum
    of its posts', each bounded by its own answer, and a sum of bounds that each reach 0
    or 3 reaches 0 or 3. A count is its posts' truth give or take 2 per post (a person
    followed by two posts counts in both). The median duration, which no sum of the
    posts' answers gives, is « s »: computed from the scope's files, it moved with a post's
    files that the post's own answer masked (two posts reading 3 closed files each may
    hold one each)."""
    read = [cells_by_label(post) for post in posts]
    withheld = {key for post in posts for key, t in tables_of(post).items() if t.get(WITHHELD)}

    def published(name, value):
        return sum(cells[name] for cells in read if is_count(cells.get(name)))

    figures = _published(_with_rows_of(posts, orders or {}), published)
    for key, table in tables_of(figures).items():
        if key in withheld:
            withhold(table)
        elif key == "duration_median" and len(table["rows"]) > 1:
            closed, median = table["rows"][0]["values"], table["rows"][1]["values"]
            for col, n in enumerate(closed):
                median[col] = "—" if n == 0 else MASKED
    return figures


def _with_rows_of(posts: list[dict], orders: dict) -> dict:
    """A copy of the first post's answer whose tables of rows list exactly the rows the
    posts' answers list, their counts to be summed (every other table has the same rows
    in each answer), in the order the answers list them (``_merged``), and for rows that
    no answer lists together, in the table's reference order (``orders``).

    Each answer lists its rows in the order of the indicators (reference order or name;
    communes and sites are ranked afterwards by their published counts). The rows were
    once placed in the order of the scope's own rows, read from its records each time
    its answer was computed: a row that the scope no longer counted, since a post's
    answer was frozen, showed out of that order, and said that its people had moved."""
    # Tables copied, not their rows: the rows are replaced, and _published copies all.
    figures = {
        **posts[0],
        "sections": [
            {**section, "tables": [_unmasked(t) for t in section["tables"]]}
            for section in posts[0].get("sections", [])
        ],
    }
    for key, table in tables_of(figures).items():
        if key not in DATA_ROWS:
            continue
        shares = set(table.get("shares") or {})
        listings = [
            [(k, row["label"]) for k, row in zip(row_keys(t), t["rows"], strict=True)]
            for t in (tables_of(post).get(key) for post in posts)
            if t
        ]
        # Counts summed from the posts' cells by label; shares recomputed from them.
        table["rows"] = [
            {
                "label": label,
                "values": [
                    0.0 if str(col) in shares else 0 for col in range(len(table["columns"]))
                ],
            }
            for _, label in (
                # Ranked by their published counts afterwards (_published): any order.
                sorted(set().union(*listings))
                if key in RANKED
                else _merged(listings, orders.get(key, ()))
            )
        ]
    return figures


def _unmasked(table: dict) -> dict:
    """A copy of a post's table whose masked figures (a table it withheld, its median)
    read 0, to be summed: the first post's table is the scope's skeleton, and its shares
    are recomputed from the sums (a table one post withheld is withheld after)."""
    shares = set(table.get("shares") or {})

    def line(values):
        return [
            (0.0 if str(col) in shares else 0) if value == MASKED else value
            for col, value in enumerate(values)
        ]

    copied = {**table, "rows": [{**row, "values": line(row["values"])} for row in table["rows"]]}
    if table.get("total"):
        copied["total"] = line(table["total"])
    return copied


def _merged(listings, order=()) -> list:
    """The (row key, label) pairs of several listings of one table, in an order that
    keeps each listing's (they all follow the indicators' order): a pair comes after
    every pair a listing gives before it; among the pairs that may come next (two rows
    that no listing gives together), the first in ``order`` (the table's labels in their
    reference order), then by label."""
    rank = {label: i for i, label in enumerate(order)}

    def place(pair):
        return (rank.get(pair[1], len(rank)), pair[1], pair)

    following: dict = {}  # pair -> the pairs listed right after it
    waiting: dict = {}  # pair -> how many pairs are listed right before it
    for listing in listings:
        for pair in listing:
            waiting.setdefault(pair, 0)
            following.setdefault(pair, set())
        for before, after in itertools.pairwise(listing):
            if after not in following[before]:
                following[before].add(after)
                waiting[after] += 1
    ready = [place(pair) for pair, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    # Every pair by its place, for the rows of listings in opposite orders (a unit renamed
    # between the days two answers were frozen): read once, not once per such row.
    unplaced = sorted(place(pair) for pair in waiting)
    order, placed, next_unplaced = [], set(), 0
    while len(order) < len(waiting):
        if not ready:
            # The first unplaced row in the reference order goes next.
            while unplaced[next_unplaced][-1] in placed:
                next_unplaced += 1
            heapq.heappush(ready, unplaced[next_unplaced])
        *_, pair = heapq.heappop(ready)
        if pair in placed:
            continue
        placed.add(pair)
        order.append(pair)
        for after in following[pair]:
            waiting[after] -= 1
            if waiting[after] == 0 and after not in placed:
                heapq.heappush(ready, place(after))
    return order


def _published(figures: dict, published) -> dict:
    """A copy of the figures with every count replaced by ``published((table key, row
    label or TOTAL, column), count)``; rows of nobody left out, the shares and the
    median following the published counts, communes and sites ranked by them."""
    figures = copy.deepcopy(figures)
    for key, table in tables_of(figures).items():
        shares = {int(col) for col in (table.get("shares") or {})}
        lines = list(zip(row_keys(table), (row["values"] for row in table["rows"]), strict=True))
        if table.get("total"):
            lines.append((TOTAL, table["total"]))
        for label, values in lines:
            for col, value in enumerate(values):
                if col in shares or not is_count(value):
                    continue
                values[col] = published((key, label, col), value)
        if key in DATA_ROWS:
            # Listed, a row says someone was counted there: every count read 0, it would
            # say that one or two were. Left out, it reads as a row of nobody.
            table["rows"] = [
                row
                for row in table["rows"]
                if any(
                    is_count(value) and value
                    for col, value in enumerate(row["values"])
                    if col not in shares
                )
            ]
        _shares(table)
        if key == "duration_median" and len(table["rows"]) > 1:
            closed, median = table["rows"][0]["values"], table["rows"][1]["values"]
            for col, n in enumerate(closed):
                median[col] = _median_shown(n, median[col])
        if key in RANKED:
            rank_by_published(table)
        table["perturbed"] = True
    figures["perturbed"] = True
    return figures


def withhold(table: dict) -> None:
    """Every figure of the table masked, and a table of rows lists none: masking only the
    cells found would say which were 1 or 2 (each cell found is one), and a row listed
    alone, masked, would say the same."""
    table[WITHHELD] = True
    if table["key"] in DATA_ROWS:
        table["rows"] = []
    for line in [row["values"] for row in table["rows"]] + [table.get("total") or []]:
        for col, value in enumerate(line):
            if value is not None:
                line[col] = MASKED
