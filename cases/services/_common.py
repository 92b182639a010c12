"""Shared checks and text normalisation of the case-management services."""

import re
import unicodedata

from django.core.exceptions import PermissionDenied

from iscg import access
from iscg.models import Post


def normalize(text: str) -> str:
    """Lower-case, unaccented, single-spaced text: "HÉLÈNE  Lefèvre" → "helene lefevre"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = re.sub(r"[^\w\s-]", " ", stripped.lower())
    return " ".join(stripped.replace("-", " ").split())


def phone_digits(phone: str) -> str:
    """Digits of a French phone number, "+33 6 12…" and "06 12…" giving the same string."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0033"):
        digits = "0" + digits[4:]
    elif digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def check_post(acting_user, post: Post) -> None:
    """The user works on this post today, or the action is refused."""
    if (
        post is None
        or not Post.objects.filter(pk=post.pk, pk__in=access.worked_post_ids(acting_user)).exists()
    ):
        raise PermissionDenied("Vous ne travaillez pas sur ce poste.")


def check_visible(acting_user, model, obj, message: str) -> None:
    if not model.objects.visible_to(acting_user).filter(pk=obj.pk).exists():
        raise PermissionDenied(message)
