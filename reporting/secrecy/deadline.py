"""How long a request may protect a bilan before leaving it to the task that makes its PDF.

A gunicorn worker is killed after 30 s: a request still protecting then would lose the
bilan and show the user an error page, the département's lock held until then. On the
departmental base, in the adversarial order of bench year_late (2026-12-07), a post's
monthly bilan took up to 70.6 s to protect."""

import time

from django.conf import settings

# Seconds of protection a request allows itself (setting SECRECY_INLINE_SECONDS), from
# the bilans to come computed to the last audit, checked between two audits: one audit
# of a monthly bilan with forty bilans takes 1 to 5 s there; the rest of the request
# (figures, the previous bilan, saving) takes 1 to 3 s.
INLINE_SECONDS = 15.0


class OutOfTime(Exception):
    """The protection went past its deadline: left pending for the PDF task."""


def request_deadline() -> float:
    return time.monotonic() + getattr(settings, "SECRECY_INLINE_SECONDS", INLINE_SECONDS)


def check(deadline: float | None) -> None:
    """Raises ``OutOfTime`` once ``deadline`` (a ``time.monotonic()``) has passed."""
    if deadline is not None and time.monotonic() > deadline:
        raise OutOfTime
