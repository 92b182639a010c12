"""Shared checks of the case-management services."""

from django.core.exceptions import PermissionDenied

from iscg import access
from iscg.models import Post


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
