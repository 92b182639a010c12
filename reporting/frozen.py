"""The live statistics' perturbed answers of closed quarters, frozen.

A post's perturbed answer (reporting.secrecy.perturbation) draws the noise of each count
from the records it counts. An acte, a saisine or a contact entered late into an ended
quarter then drew a second noise for nearly the same people, and two readings of one
count, each moved by up to 2, narrow it more than one does. So perturbed answers are
given only for quarters whose entries are closed (from the 15th of the month after, when
the bilan of their last month is due: reporting.periods.entries_closed_on). Each post's
answer is computed the first time it is asked for and kept for good
(``FrozenLiveAnswer``): a quarter always reads the same, whatever is entered later. The
bilans, exact and protected by suppression, count the late entries.

A scope of several posts sums its posts' frozen answers
(reporting.secrecy.perturbation.sum_of_posts): its counts are frozen with them.
"""

from reporting import indicators
from reporting.models import FrozenLiveAnswer
from reporting.periods import Period, entries_closed_on, is_calendar_quarter
from reporting.scope import Scope
from reporting.secrecy.perturbation import perturb
from reporting.secrecy.perturbed_audit import protect_perturbed


def is_closed_quarter(period: Period, today) -> bool:
    return is_calendar_quarter(period) and entries_closed_on(period) <= today


def perturbed_answer(post, period: Period) -> dict:
    """The post's perturbed answer as of now, protected alone (perturbed_audit)."""
    true, keys = indicators.compute_with_keys(Scope.for_post(post), period)
    figures = perturb(true, keys)
    protect_perturbed(true, figures)
    return figures


def post_answers(posts, period: Period) -> dict:
    """{post id: (its frozen answer, when it was frozen)} for a closed quarter: read in
    one query, each post's computed and frozen the first time (two processes computing
    it at once keep the first one written)."""
    period_fields = {
        "period_start": period.start,
        "period_end": period.end,
        "layout": indicators.LAYOUT,
    }
    answers = {
        post_id: (figures, frozen_at)
        for post_id, figures, frozen_at in FrozenLiveAnswer.objects.filter(
            post__in=posts, **period_fields
        ).values_list("post_id", "figures", "frozen_at")
    }
    for post in posts:
        if post.pk not in answers:
            figures = perturbed_answer(post, period)
            row, created = FrozenLiveAnswer.objects.get_or_create(
                post=post, **period_fields, defaults={"figures": figures}
            )
            if created:  # read back as stored: the same JSON every later reading gets
                row.refresh_from_db(fields=["figures"])
            answers[post.pk] = (row.figures, row.frozen_at)
    return answers
