"""Home page blocks per role: each app registers what its users do first.

A block is a function (request) -> dict with a ``template`` and its context, or None.
"""

from collections.abc import Callable

_BLOCKS: list[tuple[int, str, Callable]] = []


def register(role: str, order: int = 50):
    def decorator(func):
        _BLOCKS.append((order, role, func))
        return func

    return decorator


def blocks_for(request, roles: list[str]) -> list[dict]:
    rendered, seen = [], set()
    for _order, role, func in sorted(_BLOCKS, key=lambda b: b[0]):
        if role not in roles or func in seen:
            continue
        seen.add(func)
        block = func(request)
        if block:
            rendered.append(block)
    return rendered
