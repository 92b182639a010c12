"""The part of every read gate that no model decides: who reads nothing, who reads all.

Every model's queryset derives from ``GatedQuerySet``: ``visible_to(user)`` is the one
read gate. An anonymous or deactivated user reads nothing; the technical operator
(superuser) reads every row of the models that say so (``SUPERUSER_READS_ALL``: the
organisation, conventions and bilans, for the technical console) and no case data; any
other user reads what the model's ``readable_by`` gives, from iscg.access.
"""

from django.db import models


def signed_in(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


class GatedQuerySet(models.QuerySet):
    SUPERUSER_READS_ALL = False

    def visible_to(self, user, **options):
        return self.gated(user, lambda user: self.readable_by(user, **options))

    def readable_by(self, user, **options):
        """The rows an active, signed-in user reaches by their roles and grants."""
        raise NotImplementedError(f"{type(self).__name__} declares no read gate")

    def gated(self, user, rows):
        """The gate around ``rows(user)``, for ``visible_to`` and the named reads next to
        it (``for_workers_of``, ``editable_by``…)."""
        if not signed_in(user):
            return self.none()
        if self.SUPERUSER_READS_ALL and user.is_superuser:
            return self
        return rows(user)
