"""The read gate of case data: only the workers of the post a file belongs to.

No other role — unit, employer, préfecture, funder, admin — reads nominative case
data; they receive referral statuses, typed feedback and anonymous statistics.
"""

from iscg import access
from iscg.gate import GatedQuerySet


class PostScopedQuerySet(GatedQuerySet):
    post_path = "post"
    # Files past their active period are archived: only the DPO opens them
    # (cases.lifecycle.views.archive).
    archive_path = None

    def readable_by(self, user):
        return self.filter(**{f"{self.post_path}__in": access.worked_post_ids(user)}).live()

    def live(self):
        """Without archived files."""
        if self.archive_path is None:
            return self
        return self.filter(**{f"{self.archive_path}__isnull": True})


class CaseChildQuerySet(PostScopedQuerySet):
    """Actes and orientations: visible with the case they belong to (they carry its post)."""

    post_path = "post"
    archive_path = "case__beneficiary__archived_at"
