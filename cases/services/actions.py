"""Actes: logged as they happen, from the case page."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.dates import check_within_case
from cases.models import Action, Case
from cases.services.cases import check_case


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
