"""A generic, permission-checked history page for any model with django-simple-history."""

from django.apps import apps
from django.http import Http404
from django.shortcuts import render

from iscg.audit import audited
from iscg.history import hidden_fields
from iscg.history_timeline import history_entries
from iscg.models import AccessAction

HISTORY_APPS = {"iscg", "cases", "partners", "conventions", "reporting"}


def _model_or_404(app_label: str, model_name: str):
    if app_label not in HISTORY_APPS:
        raise Http404
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    manager = model._default_manager
    if not hasattr(model, "history") or not hasattr(manager, "visible_to"):
        raise Http404
    return model


@audited
def object_history(request, app_label: str, model_name: str, pk: int):
    model = _model_or_404(app_label, model_name)
    obj = model._default_manager.visible_to(request.user).filter(pk=pk).first()
    if obj is None:
        raise Http404
    request.audit = (AccessAction.HISTORY_VIEW, obj)
    hidden = hidden_fields(request.user, obj)
    return render(
        request,
        "iscg/history.html",
        {
            "object_kind": model._meta.verbose_name,
            "object_pk": obj.pk,
            # Its name where the reader may read every value (a person's name otherwise
            # stays behind "n°").
            "object_name": "" if hidden else str(obj),
            "entries": history_entries(model, obj, hidden),
            "has_hidden": bool(hidden),
        },
    )
