"""Which SECRET_KEY values production refuses: published, placeholder or too weak.

The key signs sessions, password-reset links and second-factor state: a value that is
written in this repository (the development default, ``.env.example``) or too short
to resist guessing would let anyone forge them.
"""

from pathlib import Path

MIN_LENGTH = 50
MIN_UNIQUE_CHARACTERS = 5
DEV_DEFAULT = "dev-only-insecure-key-change-me-in-production-0123456789"
# Words that only a placeholder holds (".env.example", tutorials, Django's startproject).
PLACEHOLDER_MARKERS = ("change-me", "changeme", "change_me", "insecure", "example", "secret-key")


def _published_keys() -> set[str]:
    """The development default and the value ``.env.example`` gives."""
    keys = {DEV_DEFAULT}
    example = Path(__file__).resolve().parents[2] / ".env.example"
    if example.exists():
        for line in example.read_text(encoding="utf-8").splitlines():
            name, _, value = line.partition("=")
            if name.strip() == "SECRET_KEY" and value.strip():
                keys.add(value.strip().strip("\"'"))
    return keys


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` must not sign anything in production, in French; None if it may."""
    if key in _published_keys():
        return "SECRET_KEY est une valeur publiée (valeur de développement ou de .env.example)"
    lowered = key.lower()
    if any(marker in lowered for marker in PLACEHOLDER_MARKERS):
        return "SECRET_KEY ressemble à un exemple à remplacer"
    if len(key) < MIN_LENGTH or len(set(key)) < MIN_UNIQUE_CHARACTERS:
        return f"SECRET_KEY doit compter au moins {MIN_LENGTH} caractères variés"
    return None
