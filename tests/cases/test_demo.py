"""The case-management demo: realistic, deterministic, idempotent."""

import time

from django.core.management import call_command

from cases.enums import ReferralStatus
from cases.models import Action, AnonymousContact, Beneficiary, Case, Orientation, Referral
from partners.models import Partner


def _counts():
    return tuple(
        model.objects.count()
        for model in (Beneficiary, Case, Action, Orientation, Referral, AnonymousContact, Partner)
    )


def test_demo_cases_are_realistic_and_idempotent():
    call_command("seed_demo", "--quiet-accounts", "--i-know-this-is-not-production")
    bourg = "Poste Bourg-en-Bresse et Bresse"
    assert Beneficiary.objects.filter(post__label=bourg).count() >= 30
    assert Case.objects.filter(post__label=bourg, closed_on__isnull=True).exists()
    assert Case.objects.filter(post__label=bourg, closed_on__isnull=False).exists()
    # The cases seeder leaves 3 referrals to take; the referrals seeder adds its own
    # (their context starts with "Démo").
    waiting = Referral.objects.filter(post__label=bourg, status=ReferralStatus.RECEIVED).exclude(
        context__startswith="Démo"
    )
    assert waiting.count() == 3
    assert waiting.filter(urgency="urgent").count() == 1
    assert Partner.objects.filter(name="CIDFF de l'Ain", kind__code="cidff").exists()
    assert Orientation.objects.filter(partner__name="CIDFF de l'Ain").exists()
    assert AnonymousContact.objects.filter(post__label=bourg).exists()
    for other in Beneficiary.objects.exclude(post__label=bourg).values("post").distinct():
        assert Beneficiary.objects.filter(post=other["post"]).count() >= 10
    first = _counts()
    start = time.monotonic()
    call_command("seed_demo", "--quiet-accounts", "--i-know-this-is-not-production")
    assert time.monotonic() - start < 20
    assert _counts() == first
