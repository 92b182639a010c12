"""The secrecy of a stored bilan, decided jointly with the bilans its recipients also get.

A bilan's recipients (its employer, the préfecture, funders, unit leads) may also hold the
bilans of nested or overlapping scopes (the employer and each of its posts, the units
they serve, the département) for the same period, and the bilans of the period before
(whose figures are this bilan's previous-period column). The mask of a new bilan is
chosen so that the audit passes over all of them together, their masks kept as they are:
masks only grow with each new bilan, never uncover what an earlier one hid.

The posts' bilans not made yet are anticipated: each post of the bilans so joined that
has no bilan of its own for the period counts as one masked whole, its rows listed (what
its bilan will show at the least). A bilan made later can then always be masked enough:
the employer's bilan made first no longer leaves its posts' bilans to be refused.
"""

import datetime

from django.utils import timezone

from iscg.dates import add_months
from iscg.models import Department, Post
from reporting import indicators
from reporting.models import Report
from reporting.periods import Period, is_calendar_quarter, month_of
from reporting.scope import Scope, ScopeKind
from reporting.secrecy import cells_of, mask_figures
from reporting.secrecy.ahead import refused_bilan
from reporting.secrecy.audit import GROUP, INCONSISTENT, Publication
from reporting.secrecy.changes import as_stored
from reporting.secrecy.continuity import carry_previous, previous_column_note, sealed
from reporting.secrecy.deadline import OutOfTime, request_deadline
from reporting.secrecy.layout import DATA_ROWS, THRESHOLD, layout, tables_of
from reporting.secrecy.protect import protect
from reporting.secrecy.related import previous_bilan, related_publications
from reporting.secrecy.withholding import withheld_tables


def carry_from_previous(report) -> None:
    """The bilan's figures (just computed) with the previous-period column of the previous
    bilan of its scope, if any, and its rows of its own period (continuity.carry_previous)."""
    source = previous_bilan(report)
    carry_previous(
        report.figures,
        source.figures if source else None,
        cells_of(source.masked_cells) if source else set(),
        report=source,
        withheld=withheld_tables(source) if source else frozenset(),
    )


def posts_ahead(own: frozenset, joined: list[frozenset]) -> list[int]:
    """The posts of this bilan's scope or of the bilans of its period joined to it (their
    posts' sets) that have no bilan of their own: no bilan covers them alone."""
    reach = set(own).union(*joined)
    alone = set().union(*(posts for posts in [own, *joined] if len(posts) == 1))
    return sorted(reach - alone)


def months_inside(period: Period, today) -> list[Period]:
    """The calendar months of a calendar quarter that have begun. Each post owes its unit
    lead a monthly bilan (reporting.obligations), due by the 15th of the next month,
    while its employer's quarterly bilan is due by the end of that month: the months may
    come after their quarter. Not a year's: its months are due before it (the annual
    bilan by 31 March), and anticipating twelve months of each post joined an
    employer's annual bilan to more than 40 others (``INLINE_JOINED``)."""
    if not is_calendar_quarter(period):
        return []
    months = [month_of(add_months(period.start, i)) for i in range(3)]
    return [month for month in months if month.start <= today]


def bilans_ahead(report, own: frozenset, related) -> list[tuple[int, Period]]:
    """(post id, period) of each post's bilan to anticipate (``posts_ahead``): of this
    bilan's period; if its previous-period column is not carried from the previous
    bilan of its scope (continuity), of the previous period, for its posts and those of
    the bilans of its period joined to it: that column, computed afresh, is what the
    posts' bilans of that period will be subtracted from; and of
    each month (``months_inside``) of the quarter of this bilan or of a bilan joined to
    it whose quarter holds this one's period, for the posts of the bilans that hold the
    month: a quarter is the sum of its posts' months, and a month shown now would leave
    one made later nothing to mask."""
    today = timezone.localdate()
    spans = [(_span(p.figures["period"]), p.posts) for _, p in related]
    own_span = (report.period.start, report.period.end)
    alongside = [p for s, p in spans if s == own_span]
    ahead = [(post, report.period) for post in posts_ahead(own, alongside)]
    if not sealed(report.figures):
        # This bilan covers its posts for its own period only: a post's bilan of the
        # previous period is anticipated too (its month before, for a post's month), for
        # the posts of the bilans of this period as well: their previous-period columns
        # and this one's tie those posts' counts together, and each post's bilan of that
        # period will list the rows it counts (one person at least). Its own alone left
        # the last posts of an employer's first quarter refused (bench year_nested).
        previous = report.period.previous()
        joined = [p for s, p in spans if s == (previous.start, previous.end)]
        made = set().union(*(p for p in joined if len(p) == 1))
        reach = set(own).union(*alongside, *joined)
        ahead += [(post, previous) for post in sorted(reach - made)]
    # The quarters that hold this bilan's period (its own, or a month's quarter).
    quarters = {
        q for q in {own_span, *(s for s, _ in spans)} if q[0] <= own_span[0] and own_span[1] <= q[1]
    }
    months = {m for q in quarters for m in months_inside(Period(*q), today)}
    for month in sorted(months, key=lambda m: m.start):
        span = (month.start, month.end)
        holding = [
            p for s, p in [(own_span, own), *spans] if s[0] <= month.start and month.end <= s[1]
        ]
        made = set().union(*(p for s, p in [(own_span, own), *spans] if s == span and len(p) == 1))
        ahead += [(post, month) for post in sorted(set().union(*holding) - made)]
    return list(dict.fromkeys(ahead))


def given_away_before(related) -> set[tuple]:
    """(post id, (start, end)) of the posts' bilans not made yet that the bilans sent give
    away (``given_away_ahead`` of a bilan sent: the bilans sent before it gave them away;
    ``left_out_ahead``: anticipated as refused for that reason by an earlier one). Made as
    they stand, they will be refused: anticipated with their rows listed, they would bound
    the cells they give away and refuse every later bilan for cells no reader holds. They
    are anticipated as refused (``ahead.as_refused``): no row listed, their counts
    protected but for those the bilans sent give away (a post's November is its quarter
    minus its October and December). Made, such a bilan is audited with every bilan
    sent, as any other, and refused if they give it away."""
    reports = Report.objects.filter(pk__in=[pk for pk, _ in related])
    found = set()
    for given, left in reports.values_list(
        "audit_report__given_away_ahead", "audit_report__left_out_ahead"
    ):
        for post, start, end in [w[1:4] for w in given or ()] + list(left or ()):
            found.add(
                (post, (datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)))
            )
    return found


def _span(period: dict) -> tuple:
    return (
        datetime.date.fromisoformat(period["start"]),
        datetime.date.fromisoformat(period["end"]),
    )


def anticipated_publications(report, ahead, refused=()) -> list[tuple[int, Publication]]:
    """(post id, its bilan masked whole) for each of ``bilans_ahead``, its figures
    computed for its period as its own bilan would freeze them today; as refused
    (``ahead.refused_bilan``) for those of ``refused``."""
    posts = Post.objects.filter(pk__in={pk for pk, _ in ahead}).select_related("employer")
    by_id = {post.pk: post for post in posts}
    found = []
    for pk, period in ahead:
        figures = _figures_ahead(report, by_id[pk], period)
        if (pk, period) in refused:
            found.append((pk, refused_bilan(figures, frozenset({pk}))))
        else:
            found.append((pk, Publication(figures, set(), posts=frozenset({pk}), anticipated=True)))
    return found


def _figures_ahead(report, post, period) -> dict:
    """The figures the post's own bilan of ``period`` would freeze today."""
    return as_post_bilan(report, post, period, indicators.compute(Scope.for_post(post), period))


def as_post_bilan(report, post, period, figures: dict) -> dict:
    """``figures`` (the post's, computed today) as the post's own bilan of ``period``
    in the bilan's département would freeze them: its previous-period column carried."""
    bilan = Report(
        department_id=report.department_id,
        period_start=period.start,
        period_end=period.end,
        scope_kind=ScopeKind.POST,
        employer_id=post.employer_id,
        scope_post_id=post.pk,
        figures=figures,
    )
    carry_from_previous(bilan)
    return bilan.figures


def _where(finding, related, ahead=()) -> list:
    """[bilan id (None: this one), table, row, column] of a cell a reader can narrow;
    ["poste sans bilan", post id, period start, period end, table, row, column] of a
    post's bilan not made yet; or
    ["postes sans bilan", period start, period end, table, row label, measure] of a count
    of posts that no bilan covers alone (found by subtraction)."""
    if finding.publication == GROUP:
        (start, end), key, label, measure = finding.cell
        return ["postes sans bilan", start, end, key, label, measure]
    if finding.publication > len(related):
        post, period = ahead[finding.publication - len(related) - 1]
        return [
            "poste sans bilan",
            post,
            period.start.isoformat(),
            period.end.isoformat(),
            *finding.cell,
        ]
    pk = related[finding.publication - 1][0] if finding.publication else None
    return [pk, *finding.cell]


def _withheld(figures: dict) -> dict:
    """Every count masked, and no row of the tables that list only rows with a count (a
    listed commune says that someone of the bilan's scope lives there)."""
    shown = mask_figures(figures, set(layout(figures).cells))
    for table in tables_of(shown).values():
        if table["key"] in DATA_ROWS:
            table["rows"] = []
    return shown


def report_masked_figures(report) -> dict:
    """The figures as the bilan's recipients see them (a bilan frozen before its mask
    was recorded is protected alone; one whose audit failed shows no count at all)."""
    if report.audit_passed is False or secrecy_pending(report):
        shown = _withheld(report.figures)
    else:
        hidden = report.masked_cells if report.audit_passed is not None else None
        shown = mask_figures(report.figures, hidden, withheld_tables(report))
    shown["previous_note"] = previous_column_note(report.figures)
    return shown


# A bilan joined to more bilans than this is protected by the task that makes its PDF,
# not in the request that makes it (2026-12-05, departmental base, a year of bilans:
# 7 s with 21 bilans, 10 s with 35, 55 s for an annual bilan with 77, over the 30 s of a
# gunicorn request). Until then it is « en cours » and shows no count.
INLINE_JOINED = 40


def _leave_pending(report, related, told) -> None:
    report.masked_cells = []
    report.audit_passed = None
    report.audit_report = {
        "pending": True,
        "queued_at": timezone.now().isoformat(),
        "with_reports": [pk for pk, _ in related],
        # What the posts' corrections changed, read now: by the time the task protects
        # the bilan, a post's rows may have changed again (reporting.secrecy.changes).
        "state_changes": as_stored(told),
    }


def secrecy_pending(report) -> bool:
    return bool((report.audit_report or {}).get("pending"))


def report_protect(report, *, in_request: bool = True, lock: bool = True) -> None:
    """Sets the bilan's mask and the audit's result (the bilan is not saved here); in a
    request, leaves them pending for the PDF task if the bilan joins more than
    ``INLINE_JOINED`` bilans or its protection goes past ``deadline.INLINE_SECONDS``.

    Called inside the transaction that saves the bilan: the département's row is locked
    until it commits, so that two bilans made at once (two tabs, two managers) are
    protected one after the other, the second with the first (each alone would take the
    other's posts as masked whole, and both shown could give a third post away).
    ``lock``: False for a caller that checks itself, before saving, that no bilan was
    audited meanwhile (the PDF task)."""
    # From the start: the bilans to come are computed before the protection begins.
    deadline = request_deadline() if in_request else None
    if lock:
        Department.objects.select_for_update().filter(pk=report.department_id).first()
    told = []  # what the posts' corrections changed (reporting.secrecy.changes)
    related = related_publications(report, changes=told)
    posts = frozenset(report.scope.post_ids().values_list("pk", flat=True))
    doomed = given_away_before(related)
    wanted, left_out = [], []
    for post, period in bilans_ahead(report, posts, related):
        kept = (post, (period.start, period.end)) not in doomed
        (wanted if kept else left_out).append((post, period))
    if in_request and len(related) + len(wanted) + len(left_out) > INLINE_JOINED:
        _leave_pending(report, related, told)
        return
    ahead = anticipated_publications(report, wanted + left_out, refused=set(left_out))
    published = [p for _, p in related] + [p for _, p in ahead]
    foregone, withheld, refused = [], [], []
    try:
        hidden, findings = protect(
            report.figures,
            published=published,
            posts=posts if published else None,
            foregone=foregone,
            refused=refused,
            leave_out=not in_request,
            withheld=withheld,
            deadline=deadline,
        )
    except OutOfTime:
        _leave_pending(report, related, told)
        return
    if in_request and findings and findings[0].blockers != INCONSISTENT:
        # Found with this bilan masked whole: whether the bilans made give the bilans to
        # come away without this one, this one's protection without those bilans, and
        # which tables it or they would withhold took up to a minute (bench year_late,
        # the département's fourth quarter): decided by the PDF task.
        _leave_pending(report, related, told)
        return
    cells = layout(report.figures).cells
    report.masked_cells = sorted([list(cell) for cell in hidden])
    report.audit_passed = not findings
    report.audit_report = {
        "audited_at": timezone.now().isoformat(),
        "masked": len(hidden),
        "primary": sum(1 for _, v in cells.values() if 0 < v < THRESHOLD),
        "with_reports": [pk for pk, _ in related],
        "anticipated": [[pk, p.start.isoformat(), p.end.isoformat()] for pk, p in wanted],
        # Which cells could still be narrowed (never their values).
        "unprotected": [_where(f, related, wanted + left_out) for f in findings],
        # Cells of posts' bilans not made yet that the bilans sent give away without
        # this one: those bilans will be refused if made as they stand.
        "given_away_ahead": [_where(f, related, wanted + left_out) for f in foregone],
        # Bilans not made yet that the bilans sent give away (given_away_before):
        # anticipated as refused here (no row listed, the counts given away foregone),
        # and passed on to the bilans made after this one.
        "left_out_ahead": [
            [pk, p.start.isoformat(), p.end.isoformat()]
            for pk, p in dict.fromkeys(
                [*left_out, *((wanted + left_out)[i - len(related)] for i in refused)]
            )
        ],
        # Tables masked whole, their rows not listed: listed, they gave cells away.
        "withheld": withheld,
        # The counts that corrections of a post's rows changed since its own bilan.
        "state_changes": as_stored(told),
    }
