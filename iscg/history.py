"""Which historical values a reader may see: one registry of sensitive fields per model.

A sensitive field's value is shown in a history page only to the workers of the post the
object belongs to (``post_path``); everyone else reads "contenu confidentiel". Apps add
their models with ``register_sensitive(...)`` in their AppConfig.ready.
"""

from dataclasses import dataclass, field

from iscg import access

CONFIDENTIAL = "contenu confidentiel"


@dataclass(frozen=True)
class SensitivePolicy:
    fields: frozenset[str]
    # Path from the object to its post, e.g. "post" or "case__post"; None: nobody reads them.
    post_path: str | None = "post"
    extra: dict = field(default_factory=dict)


SENSITIVE_FIELDS: dict[str, SensitivePolicy] = {}


def register_sensitive(model_label: str, fields, *, post_path: str | None = "post") -> None:
    """``model_label`` is "app_label.modelname" in lower case."""
    SENSITIVE_FIELDS[model_label.lower()] = SensitivePolicy(frozenset(fields), post_path)


def sensitive_fields(model) -> frozenset[str]:
    policy = SENSITIVE_FIELDS.get(model._meta.label_lower)
    return policy.fields if policy else frozenset()


def can_read_sensitive(user, obj) -> bool:
    """Only the workers of the post the object belongs to read its sensitive values."""
    policy = SENSITIVE_FIELDS.get(obj._meta.label_lower)
    if policy is None:
        return True
    if policy.post_path is None or not user.is_authenticated or not user.is_active:
        return False
    return (
        type(obj)
        ._default_manager.filter(
            pk=obj.pk, **{f"{policy.post_path}__in": access.worked_post_ids(user)}
        )
        .exists()
    )


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
#   so its history shows the raw values to them alone. Evaluations are sent to the
#   recipients anyway.
# - conventions.*: parties, money, documents — nothing personal or under secrecy.
# - partners.Partner: a public directory of organisations.
# - cases.AnonymousContact: visible to the workers of its post only, who read everything.
# - cases.Referral's lifecycle fields (import_batch, archived_at, anonymised_at): dates and
#   an import number, no content; an archived referral leaves ``visible_to`` altogether.
# - cases.UnitFeedback (its message is written for the unit), cases.ImportBatch (the file
#   name may hold a name) and cases.Notification have no history page (no ``visible_to``
#   manager or no simple-history): the history view answers 404 for them.
register_sensitive("reporting.report", {"figures"}, post_path="scope_post")
