"""Recording accesses: the service, a view decorator and mixin, refused accesses, logins.

Rules: the row designates an object by content type, id and a neutral label; it never
carries case content (no ``str()`` of a case object, no query string, no form data).
A view that reads case data records its row in the same transaction as the read, before
the response is rendered: if the row cannot be written, nothing is shown.
"""

import logging
from functools import wraps

from axes.helpers import get_client_ip_address
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.dispatch import receiver
from django.template.response import SimpleTemplateResponse

from iscg.models import AccessAction, AccessLog

logger = logging.getLogger("iscg.audit")

REQUEST_LOGGED_ATTR = "_iscg_access_logged"


def audit_label(obj) -> str:
    """A neutral designation of an object: its kind and number, never its ``str()``."""
    return f"{obj._meta.verbose_name} n° {obj.pk}"[:200]


def _storable(text: str) -> str:
    """Without NUL bytes, which PostgreSQL refuses in text (a refused address may hold one)."""
    return str(text).replace("\x00", "")


def _client_ip(request):
    if request is None:
        return None
    try:
        return get_client_ip_address(request) or None
    except Exception:  # noqa: BLE001 - an unparsable address must not block the request
        return request.META.get("REMOTE_ADDR") or None


def access_log_record(
    *,
    user,
    action: str,
    obj=None,
    request=None,
    detail: str = "",
    status_code: int | None = None,
    username: str | None = None,
) -> AccessLog:
    """Write one access-log row. ``detail`` is a short technical note, never case content."""
    if action not in AccessAction.values:
        raise ValueError(f"Unknown access-log action: {action}")
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    entry = AccessLog(
        user=user,
        username=_storable(
            username if username is not None else user.get_username() if user else ""
        )[:254],
        status_code=status_code,
        action=action,
        path=_storable(request.path if request is not None else "")[:300],
        ip_address=_client_ip(request),
        detail=_storable(detail)[:200],
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
        entry.object_id = str(obj.pk)
        entry.object_label = audit_label(obj)
    entry.save()
    if request is not None:
        setattr(request, REQUEST_LOGGED_ATTR, True)
    logger.info(
        "access action=%s user=%s object=%s:%s",
        action,
        user.pk if user is not None else "-",
        entry.content_type_id or "-",
        entry.object_id or "-",
    )
    return entry


def audited(view):
    """Run a function view in one transaction and render it inside that transaction.

    The view reads its object and calls ``access_log_record`` (or sets
    ``request.audit = (action, obj)``); the row is written before the page is rendered
    and commits with the read, or not at all.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with transaction.atomic():
            response = view(request, *args, **kwargs)
            pending = getattr(request, "audit", None)
            if pending is not None and 200 <= response.status_code < 300:
                action, obj = pending
                access_log_record(user=request.user, action=action, obj=obj, request=request)
            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.render()
        return response

    return wrapper


class AuditedObjectMixin:
    """For detail-like class-based views: the object read is logged in the same transaction.

    Set ``audit_action`` (default "view"). ``get_object`` records the row once fetched
    through the view's queryset (which must go through ``visible_to``).
    """

    audit_action = AccessAction.VIEW

    def dispatch(self, request, *args, **kwargs):
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.render()
        return response

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not getattr(self, "_access_logged", False):
            access_log_record(
                user=self.request.user, action=self.audit_action, obj=obj, request=self.request
            )
            self._access_logged = True
        return obj


class RefusedAccessLogMiddleware:
    """Logs every 403 and 404 answered by a resolved view (PermissionDenied, Http404…)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code in (403, 404)
            and getattr(request, "resolver_match", None) is not None
            and not getattr(request, REQUEST_LOGGED_ATTR, False)
        ):
            user = getattr(request, "user", None)
            match = request.resolver_match
            access_log_record(
                user=user if user is not None and user.is_authenticated else None,
                action=AccessAction.ACCESS_REFUSED,
                request=request,
                detail=match.view_name[:200],
                status_code=response.status_code,
            )
        return response


@receiver(user_login_failed, dispatch_uid="iscg_audit_login_failed")
def _log_login_failed(sender, credentials, request=None, **kwargs):
    typed = (credentials or {}).get("username") or (credentials or {}).get("email") or ""
    access_log_record(
        user=None, action=AccessAction.LOGIN_FAILED, request=request, username=str(typed)
    )


@receiver(user_logged_in, dispatch_uid="iscg_audit_logged_in")
def _log_logged_in(sender, request, user, **kwargs):
    if request is not None and getattr(request, "META", None) is not None:
        access_log_record(user=user, action=AccessAction.LOGIN, request=request)


@receiver(user_logged_out, dispatch_uid="iscg_audit_logged_out")
def _log_logged_out(sender, request, user, **kwargs):
    if user is not None:
        access_log_record(user=user, action=AccessAction.LOGOUT, request=request)
