"""Referrals the worker enters: the person came by themselves, a partner, other."""

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.dates import check_recent
from cases.enums import ReferralOrigin
from cases.services._common import check_post
from cases.services.referrals import referral_create

WORKER_ORIGINS = [ReferralOrigin.SELF, ReferralOrigin.PARTNER, ReferralOrigin.OTHER]


@transaction.atomic
def referral_record(*, acting_user, post, origin: str, **fields):
    """A referral of another origin, routed to the worker's own post."""
    check_post(acting_user, post)
    if origin not in WORKER_ORIGINS:
        raise ValidationError({"origin": "Choisissez une origine parmi celles proposées."})
    if origin == ReferralOrigin.PARTNER and not fields.get("partner"):
        raise ValidationError({"partner": "Indiquez le partenaire à l'origine de la saisine."})
    if fields.get("received_at"):
        check_recent(fields["received_at"], field="received_on")
    return referral_create(acting_user=acting_user, post=post, origin=origin, **fields)
