"""Actes: logged as they happen, from the case page."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.dates import check_within_case
from cases.files.services.cases import check_case
from cases.models import Action, Case


@transaction.atomic
def action_log(
    *,
    case: Case,
    kind,
    acting_user,
    occurred_at=None,
    duration_minutes: int = 30,
    site=None,
    confidential_note: str = "",
) -> Action:
    check_case(acting_user, case)
    if not case.is_open:
        raise ValidationError("Cet accompagnement est clôturé : rouvrez-le pour y ajouter un acte.")
    occurred_at = occurred_at or timezone.now()
    # A few minutes' grace: a clock slightly ahead of the server's is not "the future".
    if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"occurred_at": "Un acte ne peut pas être daté dans le futur."})
    check_within_case(case, min(occurred_at, timezone.now()), field="occurred_at", what="Un acte")
    if site is not None and not case.post.sites.filter(pk=site.pk).exists():
        raise ValidationError({"site": "Choisissez un lieu d'accueil de ce poste."})
    action = Action(
        case=case,
        kind=kind,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        site=site,
        author=acting_user,
        confidential_note=confidential_note,
    )
    action.full_clean()
    action.save()
    return action


CORRECTABLE_FIELDS = ("kind", "occurred_at", "duration_minutes", "site", "confidential_note")


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise ValidationError({"reason": f"Indiquez le motif {what}."})
    return reason


@transaction.atomic
def action_correct(*, action: Action, acting_user, reason: str, **fields) -> Action:
    """Corrects an acte (a wrong type, date, duration, place or note); the reason is kept
    in its history with the values before and after. Bilans already computed keep their
    frozen figures; the next computation reads the corrected acte."""
    unknown = set(fields) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise TypeError(f"Champs non modifiables : {sorted(unknown)}")
    action = Action.objects.select_for_update().select_related("case__post").get(pk=action.pk)
    check_case(acting_user, action.case)
    reason = _reason(reason, "de la correction")
    for name, value in fields.items():
        setattr(action, name, value)
    if action.occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"occurred_at": "Un acte ne peut pas être daté dans le futur."})
    check_within_case(
        action.case, min(action.occurred_at, timezone.now()), field="occurred_at", what="Un acte"
    )
    if action.site_id is not None and not action.case.post.sites.filter(pk=action.site_id).exists():
        raise ValidationError({"site": "Choisissez un lieu d'accueil de ce poste."})
    action.full_clean()
    action._change_reason = reason
    action.save()
    return action


@transaction.atomic
def action_withdraw(*, action: Action, acting_user, reason: str) -> None:
    """Withdraws an acte recorded by mistake (in the wrong file, twice): it leaves the case
    and the next bilans; its history keeps what it was, who withdrew it, when and why."""
    action = Action.objects.select_for_update().select_related("case__post").get(pk=action.pk)
    check_case(acting_user, action.case)
    action._change_reason = _reason(reason, "du retrait")
    action.delete()
