"""Which historical values a reader may see: one registry of sensitive fields per model.

A sensitive field's value is shown in a history page only to the workers of the post the
object belongs to (``post_path``) and, where a policy says so, to the managers of its
employer (``employer_path``); everyone else reads "contenu confidentiel". Apps add
their models with ``register_sensitive(...)`` in their AppConfig.ready.
"""

from dataclasses import dataclass

from django.db.models import Q

from iscg import access
from iscg.gate import signed_in

CONFIDENTIAL = "contenu confidentiel"


@dataclass(frozen=True)
class SensitivePolicy:
    fields: frozenset[str]
    # Path from the object to its post, e.g. "post" or "case__post": the post's workers
    # read the values. None: no post's workers do.
    post_path: str | None = "post"
    # Path from the object to its employer, whose managers read the values too (a bilan's
    # evaluations are written by its workers and its employer). None: no manager does.
    employer_path: str | None = None


# Several policies per model: one model may hold values for different readers.
SENSITIVE_FIELDS: dict[str, tuple[SensitivePolicy, ...]] = {}


def register_sensitive(
    model_label: str, fields, *, post_path: str | None = "post", employer_path: str | None = None
) -> None:
    """``model_label`` is "app_label.modelname" in lower case."""
    label = model_label.lower()
    policy = SensitivePolicy(frozenset(fields), post_path, employer_path)
    SENSITIVE_FIELDS[label] = (*SENSITIVE_FIELDS.get(label, ()), policy)


def sensitive_fields(model) -> frozenset[str]:
    policies = SENSITIVE_FIELDS.get(model._meta.label_lower, ())
    return frozenset().union(*(policy.fields for policy in policies))


def _reads(user, obj, policy: SensitivePolicy) -> bool:
    condition = Q()
    if policy.post_path is not None:
        condition |= Q(**{f"{policy.post_path}__in": access.worked_post_ids(user)})
    if policy.employer_path is not None:
        condition |= Q(**{f"{policy.employer_path}__in": access.managed_employer_ids(user)})
    if not condition:
        return False
    return type(obj)._default_manager.filter(condition, pk=obj.pk).exists()


def hidden_fields(user, obj) -> frozenset[str]:
    """The sensitive fields of ``obj`` whose values ``user`` may not read."""
    policies = SENSITIVE_FIELDS.get(obj._meta.label_lower, ())
    if not policies:
        return frozenset()
    if not signed_in(user):
        return sensitive_fields(type(obj))
    hidden = set()
    for policy in policies:
        if not _reads(user, obj, policy):
            hidden |= policy.fields
    return frozenset(hidden)


def can_read_sensitive(user, obj) -> bool:
    """Whether ``user`` reads every sensitive value of ``obj``."""
    return not hidden_fields(user, obj)


# Case data: identity of the people, confidential notes, what the unit must not learn.
register_sensitive(
    "cases.beneficiary",
    {
        "last_name",
        "first_name",
        "search_text",
        "birth_date",
        "birth_year",
        "phone",
        "email",
        "commune",
        "family_situation",
        "children_count",
        "profile",
        "known_to_department",
        "known_to_caf",
    },
)
register_sensitive("cases.action", {"confidential_note", "site"})
register_sensitive("cases.orientation", {"reason", "partner_answer"})
register_sensitive("cases.case", {"beneficiary", "closing_reason"})
# A unit reads back what it entered (Referral.UNIT_FIELDS), never how the worker handled it.
register_sensitive("cases.referral", {"beneficiary", "case", "taken_by", "taken_at", "partner"})
# Models added by the other apps, reviewed when they were merged together:
# - reporting.Report: ``figures`` is the stored snapshot BEFORE statistical-secrecy masking
#   (masking happens at display); only the workers of a post-scoped bilan read it unmasked,
#   so its history shows the raw values to them alone; so too the secrecy's mask and
#   audit (how many counts are 1 or 2, the rows of a withheld table, the communes a
#   correction changed), which its figures shown with « s » do not tell. Its free texts
#   (the evaluations, whose drafts may have named someone before they were rewritten,
#   and the generation error) are read in history by the bilan's workers and employer
#   managers only: the recipients read the sent text in the PDF, never its drafts.
# - conventions.*: parties, money, documents — nothing personal or under secrecy.
# - partners.Partner: a public directory of organisations.
# - cases.AnonymousContact: visible to the workers of its post only, who read everything.
# - cases.Referral's lifecycle fields (import_batch, archived_at, anonymised_at): dates and
#   an import number, no content; an archived referral leaves ``visible_to`` altogether.
# - cases.UnitFeedback (its message is written for the unit), cases.ImportBatch (the file
#   name may hold a name) and cases.Notification have no history page (no ``visible_to``
#   manager or no simple-history): the history view answers 404 for them.
register_sensitive(
    "reporting.report", {"figures", "masked_cells", "audit_report"}, post_path="scope_post"
)
register_sensitive(
    "reporting.report",
    {"worker_evaluation", "employer_evaluation", "generation_error"},
    post_path="scope_post",
    employer_path="employer",
)
