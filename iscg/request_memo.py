"""Values read once per request, kept on the request's user object.

Django builds one user object per request (``request.user``, lazy), so what is kept on it
lives as long as the request: iscg.access keeps the user's grants there. This module keeps
a figure that two parts of one page show, so that the second reads it from the first: the
home page's block of referrals to take counts them with its rows, the menu's badge
« Saisines » shows that count.
"""

from django.utils.functional import LazyObject, empty


def unwrapped(user):
    """The user itself, not ``request.user``'s lazy wrapper: the model's own methods
    (``User.roles``) and the modules that keep values on it must share one object."""
    while isinstance(user, LazyObject):  # django-otp wraps the lazy user of auth again
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


def _memo(user, store: str) -> dict:
    return unwrapped(user).__dict__.setdefault(store, {})


def keep(user, key: str, value, *, store: str = "_request_memo") -> None:
    _memo(user, store)[key] = value


def once(user, key: str, compute, *, store: str = "_request_memo"):
    """``compute()``, or what was kept under ``key`` earlier in this request. ``store``:
    a memo of its own, which its owner can drop (iscg.access, when grants change)."""
    memo = _memo(user, store)
    if key not in memo:
        memo[key] = compute()
    return memo[key]
