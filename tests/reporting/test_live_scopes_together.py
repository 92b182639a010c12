"""The perturbed live statistics of nested scopes read side by side
(reporting.secrecy.perturbation.sum_of_posts).

Reproduced before: an employer's answer was perturbed by its own keys and audited alone,
beside its posts' answers, each audited alone. Its commune read 0 (0 to 2 in truth)
beside a post's 3 (1 to 5) is 1 or 2 in both: the demo's employer beside its four posts
confined 2 to 16 counts a quarter, the Ain's employer of the national base beside its
four posts 87 (third quarter of 2026). A scope of several posts now shows the sums of
its posts' answers, and read with them confines nothing.
"""

import copy
import datetime

import pytest

from reporting import indicators
from reporting.indicators.base import table
from reporting.indicators.keys import MODULUS
from reporting.live import live_figures
from reporting.periods import Period, quarter_of
from reporting.scope import Scope
from reporting.secrecy import MASKED
from reporting.secrecy.layout import TOTAL, is_count, tables_of
from reporting.secrecy.perturbation import cells_by_label, perturb, sum_of_posts, withhold
from reporting.secrecy.perturbed_audit import narrowed, narrowed_together, protect_perturbed
from tests.cases.factories import CaseFactory
from tests.iscg.factories import CommuneFactory, EmployerFactory, PostFactory
from tests.reporting.synthetic import median_table
from tests.reporting.test_live_row_order import RECORDS

ARS = "Ars (01003)"
A, B = int(0.9 * MODULUS), int(0.2 * MODULUS)  # 1 reads 3 and 1 reads 0; 2 (A + B) reads 0
Q3 = quarter_of(datetime.date(2026, 9, 1))


def _figures(rows) -> dict:
    return {
        "period": Q3.as_dict(),
        "previous_period": Q3.previous().as_dict(),
        "sections": [{"tables": [table("commune", "Communes", "Commune", rows)]}],
    }


def test_an_employer_beside_its_posts_shows_their_sums_and_confines_nothing():
    """Post A: one person of Ars, read 3; post B: one, read 0. The employer's own
    perturbation read its 2 as 0: A's person is at most the employer's 2, so A's count
    and the employer's are 1 or 2, though each answer alone passes its audit. The sum of
    the posts' answers reads 3, and the three answers confine nothing."""
    posts = [({1}, [(ARS, [1, 0])], [(ARS, [A, 0])]), ({2}, [(ARS, [1, 0])], [(ARS, [B, 0])])]
    answers = []
    for _, true_rows, key_rows in posts:
        true = _figures(true_rows)
        shown = perturb(true, _figures(key_rows))
        protect_perturbed(true, shown)
        answers.append((true, shown))
    assert [tables_of(s)["commune"]["total"][0] for _, s in answers] == [3, 0]
    employer = _figures([(ARS, [2, 0])])
    own = perturb(employer, _figures([(ARS, [A + B, 0])]))
    assert tables_of(own)["commune"]["total"][0] == 0
    assert narrowed(employer, own) == set()
    scopes = [{1, 2}, {1}, {2}]
    found = narrowed_together([(employer, own), *answers], posts=scopes)
    assert {(0, ("commune", TOTAL, 0)), (1, ("commune", ARS, 0))} <= found
    summed = sum_of_posts([shown for _, shown in answers])
    assert tables_of(summed)["commune"]["total"][0] == 3
    assert narrowed_together([(employer, summed), *answers], posts=scopes) == set()


def test_a_table_one_post_withheld_is_withheld_for_the_employer():
    """Shown, the employer's table less the other posts' would be the withheld table."""
    true = _figures([(ARS, [1, 0]), ("Cras (01010)", [1, 0])])
    keys = _figures([(ARS, [A, 0]), ("Cras (01010)", [int(0.1 * MODULUS), 0])])
    tables_of(keys)["commune"]["total"] = [int(0.1 * MODULUS), 0]  # 2 reads 0 under 3
    withheld = perturb(true, keys)
    protect_perturbed(true, withheld)
    assert tables_of(withheld)["commune"]["withheld"]
    other = perturb(_figures([("Bourg (01053)", [9, 0])]), _figures([("Bourg (01053)", [0, 0])]))
    summed = sum_of_posts([withheld, other])
    communes = tables_of(summed)["commune"]
    assert communes["withheld"] and communes["rows"] == []
    assert communes["total"] == [MASKED, MASKED]


@pytest.mark.django_db
def test_the_live_employer_is_the_sum_of_its_posts_as_they_are_shown():
    employer = EmployerFactory()
    posts = [PostFactory(employer=employer) for _ in range(3)]
    for index, post in enumerate(posts):
        for day in range(1, 2 + 4 * index):
            CaseFactory(beneficiary__post=post, opened_on=datetime.date(2026, 7, day))
    quarter = Period(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    shown = [live_figures(scope=Scope.for_post(p), period=quarter, masked=True) for p in posts]
    whole = live_figures(scope=Scope.for_employer(employer), period=quarter, masked=True)
    read = [cells_by_label(answer.figures) for answer in shown]
    for name, value in cells_by_label(whole.figures).items():
        if is_count(value) and name[0] != "duration_median":
            assert value == sum(cells.get(name, 0) for cells in read), name
    truths = [indicators.compute(Scope.for_post(p), quarter) for p in posts]
    answers = [(indicators.compute(Scope.for_employer(employer), quarter), whole.figures)]
    answers += [(t, a.figures) for t, a in zip(truths, shown, strict=True)]
    scopes = [{p.pk for p in posts}] + [{p.pk} for p in posts]
    assert narrowed_together(answers, posts=scopes) == set()


def _durations(closed, median) -> dict:
    figures = _figures([])
    figures["sections"][0]["tables"] = [median_table([closed, 0], [median, "—"], [0, 0])]
    return figures


def test_a_scope_of_several_posts_shows_no_median_duration():
    """Computed from the scope's own files, the median moved with a file its post's
    answer masked: two posts of one closed file each read 3 closed files and « s » each,
    and the employer's « ≈ 105 j » or « ≈ 15 j » gave the second file's duration from
    the first's. No sum of the posts' answers gives a median: « s »."""
    posts = [_durations(3, MASKED), _durations(3, "≈ 105 j")]
    rows = tables_of(sum_of_posts(posts))["duration_median"]["rows"]
    assert rows[0]["values"][0] == 6
    assert rows[1]["values"][0] == MASKED
    nobody = sum_of_posts([_durations(0, "—"), _durations(0, "—")])
    assert tables_of(nobody)["duration_median"]["rows"][1]["values"][0] == "—"


def test_a_row_a_post_lists_is_listed_for_its_scope_though_the_scope_no_longer_counts_it():
    """A post's answer is frozen; its scope's rows were read from its records when the
    scope was computed. A commune the post's frozen answer lists, emptied since, was left
    out of the scope while its people stayed in the scope's total (the sum of the
    posts'). The scope lists its posts' rows."""
    post = perturb(_figures([(ARS, [4, 0])]), _figures([(ARS, [0, 0])]))
    assert [row["label"] for row in tables_of(post)["commune"]["rows"]] == [ARS]
    summed = sum_of_posts([post])
    communes = tables_of(summed)["commune"]
    assert [(row["label"], row["values"][0]) for row in communes["rows"]] == [
        (ARS, communes["total"][0])
    ]


@pytest.mark.django_db
def test_the_live_employer_lists_the_rows_of_its_posts_kept_answers():
    employer = EmployerFactory()
    post = PostFactory(employer=employer)
    ars, cras = CommuneFactory(name="Ars"), CommuneFactory(name="Cras")
    cases = [
        CaseFactory(
            beneficiary__post=post,
            beneficiary__commune=ars,
            opened_on=datetime.date(2026, 7, day),
        )
        for day in range(1, 10)
    ]
    quarter = Period(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    kept = live_figures(scope=Scope.for_post(post), period=quarter, masked=True)
    listed = [row["label"] for row in tables_of(kept.figures)["commune"]["rows"]]
    assert len(listed) == 1 and listed[0].startswith("Ars")
    for case in cases:  # they move within the hour: the post's answer is kept
        case.beneficiary.commune = cras
        case.beneficiary.save()
    whole = live_figures(scope=Scope.for_employer(employer), period=quarter, masked=True)
    communes = tables_of(whole.figures)["commune"]
    assert [row["label"] for row in communes["rows"]] == listed
    assert communes["total"] == tables_of(kept.figures)["commune"]["total"]


def _problems(rows) -> dict:
    figures = _figures([])
    figures["sections"][0]["tables"] = [table("problem", "Problématiques", "Problématique", rows)]
    return figures


def test_the_scope_lists_its_posts_rows_in_their_order_whatever_its_records_say():
    """Reproduced before: the scope's rows were placed in the order of its own rows,
    read from its records each time its answer was computed. A row that a post's frozen
    answer lists and that the scope no longer counted was placed otherwise (appended
    after the scope's own rows, then placed after the one its post lists before it): its
    place said that the scope's records had changed. The answer is now made of the
    posts' answers alone, in the order they list their rows."""
    keys = [("Violences", [0, 0]), ("Logement", [0, 0]), ("Santé", [0, 0])]
    first = perturb(_problems([("Violences", [4, 0]), ("Logement", [6, 0])]), _problems(keys[:2]))
    second = perturb(_problems([("Logement", [5, 0]), ("Santé", [7, 0])]), _problems(keys[1:]))
    answer = sum_of_posts([first, second])
    assert answer == sum_of_posts([copy.deepcopy(first), copy.deepcopy(second)])
    rows = tables_of(answer)["problem"]["rows"]
    assert [row["label"] for row in rows] == ["Violences", "Logement", "Santé"]
    published = [cells_by_label(first), cells_by_label(second)]
    for row in rows:
        name = ("problem", row["label"], 0)
        assert row["values"] == [sum(c.get(name, 0) for c in published), 0]


def _listing(labels) -> dict:
    return perturb(
        _problems([(label, [5, 0]) for label in labels]),
        _problems([(label, [0, 0]) for label in labels]),
    )


def test_a_scope_lists_its_posts_rows_in_their_common_order():
    """Each post lists its units by kind then name; the scope lists them all in an order
    that keeps every post's, not one post's after the other's; two rows that no post
    lists together, by label."""
    rows = tables_of(sum_of_posts([_listing("AC"), _listing("BD")]))["problem"]["rows"]
    assert [row["label"] for row in rows] == ["A", "B", "C", "D"]
    # Commissariat Z before Brigade B (by kind): a post listing both orders the scope.
    answer = sum_of_posts([_listing(["Z", "B"]), _listing(["Z", "A"]), _listing(["B", "Y"])])
    assert [row["label"] for row in tables_of(answer)["problem"]["rows"]] == ["Z", "A", "B", "Y"]
    # Two answers frozen on either side of a renaming, in opposite orders: every row
    # listed once.
    answer = sum_of_posts([_listing(["A", "B"]), _listing(["B", "A"]), _listing(["C"])])
    assert sorted(row["label"] for row in tables_of(answer)["problem"]["rows"]) == ["A", "B", "C"]


def test_posts_answers_of_different_columns_still_sum():
    """Every row of the scope has the columns of the first post's table (a row short of
    one broke its chart), whatever the columns of the others."""
    older = _figures([])
    older["sections"][0]["tables"] = [
        table("problem", "Problématiques", "Problématique", [("Logement", [6])], columns=["P"])
    ]
    post = perturb(older, older | {"sections": [{"tables": [dict(tables_of(older)["problem"])]}]})
    current = perturb(_problems([("Santé", [6, 2])]), _problems([("Santé", [0, 0])]))
    summed = sum_of_posts([current, post])
    rows = tables_of(summed)["problem"]["rows"]
    assert [len(row["values"]) for row in rows] == [2, 2]
    logement = next(row for row in rows if row["label"] == "Logement")
    assert logement["values"] == [tables_of(post)["problem"]["rows"][0]["values"][0], 0]


@pytest.mark.django_db
def test_the_live_employer_reads_its_posts_frozen_answers_and_no_record():
    """Reproduced before: the employer's perturbed answer computed every indicator of the
    employer from its records (ten queries over its files, referrals and actes; seconds
    for an employer of the national base) only to take the order of its rows, which its
    posts' answers give."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    employer = EmployerFactory()
    posts = [PostFactory(employer=employer) for _ in range(2)]
    for index, post in enumerate(posts):
        for day in range(1, 5 + index):
            CaseFactory(beneficiary__post=post, opened_on=datetime.date(2026, 7, day))
    quarter = Period(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    for post in posts:  # their answers frozen
        live_figures(scope=Scope.for_post(post), period=quarter, masked=True)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        whole = live_figures(scope=Scope.for_employer(employer), period=quarter, masked=True)
    read = [q["sql"] for q in queries.captured_queries]
    assert not [sql for sql in read if RECORDS.search(sql)], read
    # The posts, their frozen answers, the four reference lists that order the rows.
    assert len(read) <= 6, read
    assert tables_of(whole.figures)["commune"]["total"][0] == sum(
        tables_of(live_figures(scope=Scope.for_post(p), period=quarter, masked=True).figures)[
            "commune"
        ]["total"][0]
        for p in posts
    )


def test_the_first_posts_withheld_table_is_summed_and_withheld():
    """Reproduced before (on PostgreSQL, whose keys drew it): the first post's answer
    withheld its residence table; taken as the scope's skeleton, its « s » were added to
    the other posts' counts to recompute the shares, and the page failed (500)."""
    residence = [("Dans le département", [1, 0, 50.0]), ("Hors du département", [1, 0, 50.0])]

    def answer(rows, withheld=False):
        figures = _figures([])
        figures["sections"][0]["tables"] = [
            table(
                "residence",
                "Résidence",
                "Résidence",
                rows,
                columns=["Période", "Période précédente", "Part (période, %)"],
                shares={"2": 0},
            )
        ]
        if withheld:
            withhold(tables_of(figures)["residence"])
        return figures

    first = answer(residence, withheld=True)
    second = answer([("Dans le département", [6, 0, 60.0]), ("Hors du département", [4, 0, 40.0])])
    summed = tables_of(sum_of_posts([first, second]))["residence"]
    assert summed["withheld"]
    assert {v for row in summed["rows"] for v in row["values"]} == {MASKED}
    alone = tables_of(sum_of_posts([second, second]))["residence"]
    assert [row["values"] for row in alone["rows"]] == [[12, 0, 60.0], [8, 0, 40.0]]


def test_communes_listed_in_opposite_orders_are_each_listed_once_ranked_by_their_sums():
    """Each post ranks its communes by its own published counts: two posts list them in
    opposite orders. The scope ranks them by their sums (no merge of the two orders, which
    broke one tie at a time, once per commune)."""
    keys = [(ARS, [0, 0]), ("Cras (01010)", [0, 0])]
    first = perturb(_figures([(ARS, [9, 0]), ("Cras (01010)", [5, 0])]), _figures(keys))
    second = perturb(_figures([("Cras (01010)", [12, 0]), (ARS, [5, 0])]), _figures(keys))
    assert [row["label"] for row in tables_of(first)["commune"]["rows"]][0] == ARS
    assert [row["label"] for row in tables_of(second)["commune"]["rows"]][0] == "Cras (01010)"
    rows = tables_of(sum_of_posts([first, second]))["commune"]["rows"]
    published = [cells_by_label(first), cells_by_label(second)]
    sums = {
        label: sum(c.get(("commune", label, 0), 0) for c in published)
        for label in (ARS, "Cras (01010)")
    }
    assert [row["label"] for row in rows] == sorted(sums, key=lambda label: (-sums[label], label))
    assert [row["values"][0] for row in rows] == sorted(sums.values(), reverse=True)
