"""The DPO's register: one call per import, archive, anonymisation, access, export, change.

``iscg.AccessLog`` (who opened which file) is another register, purged after its period;
this one is kept, and holds counts and field names, never the personal data itself.
"""

from cases.models import DataProtectionEvent


def log_event(*, action, acting_user=None, obj=None, post=None, reason="", details=None):
    """Records one event of the register and returns it."""
    object_type = obj._meta.model_name if obj is not None else ""
    if post is None and obj is not None:
        post = getattr(obj, "post", None)
    return DataProtectionEvent.objects.create(
        actor=acting_user if acting_user is not None and acting_user.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=obj.pk if obj is not None else None,
        post=post,
        reason=reason,
        details=details or {},
    )
