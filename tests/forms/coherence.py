"""The coherence rules of the data, read from the database: what no form may leave behind.

Each rule is a queryset of the rows breaking it; ``violations()`` gives them as
(rule, primary key) pairs, so that a test compares before and after one submission.
"""

import datetime

from django.db.models import Count, F, Q
from django.utils import timezone

from cases.models import Action, AnonymousContact, Beneficiary, Case, Orientation, Referral
from conventions.models import Amendment, BudgetLine, Convention, FundingLine, Payment


def _rules():
    today = timezone.localdate()
    return {
        "acte avant l'ouverture": Action.objects.filter(occurred_at__date__lt=F("case__opened_on")),
        "acte après la clôture": Action.objects.filter(
            case__closed_on__isnull=False, occurred_at__date__gt=F("case__closed_on")
        ),
        "acte dans le futur": Action.objects.filter(occurred_at__date__gt=today),
        "orientation hors de l'accompagnement": Orientation.objects.filter(
            Q(oriented_on__lt=F("case__opened_on"))
            | Q(case__closed_on__isnull=False, oriented_on__gt=F("case__closed_on"))
            | Q(oriented_on__gt=today)
        ),
        "clôture avant l'ouverture": Case.objects.filter(closed_on__lt=F("opened_on")),
        "ouverture dans le futur": Case.objects.filter(opened_on__gt=today),
        "contact anonyme hors d'une année": AnonymousContact.objects.filter(
            Q(occurred_on__gt=today) | Q(occurred_on__lt=today - datetime.timedelta(days=366))
        ),
        "naissance impossible": Beneficiary.objects.filter(
            Q(birth_year__lt=1900)
            | Q(birth_year__gt=today.year)
            | Q(birth_date__gt=today)
            | Q(birth_date__lt=datetime.date(1900, 1, 1))
        ),
        "saisine dans le futur": Referral.objects.filter(
            received_at__gt=timezone.now() + datetime.timedelta(minutes=5)
        ),
        "convention finissant avant de commencer": Convention.objects.filter(end__lt=F("start")),
        "échéance avant l'année du financement": FundingLine.objects.filter(
            due_date__year__lt=F("year")
        ),
        "montant négatif": FundingLine.objects.filter(Q(requested__lt=0) | Q(granted__lt=0)),
        "budget négatif": BudgetLine.objects.filter(amount__lt=0),
        "versement futur ou négatif": Payment.objects.filter(Q(date__gt=today) | Q(amount__lt=0)),
        "avenant en double": Amendment.objects.filter(
            convention__in=Amendment.objects.values("convention")
            .annotate(n=Count("pk"))
            .filter(n__gt=Count("number", distinct=True))
            .values("convention")
        ),
    }


def violations() -> set[tuple[str, int]]:
    found = set()
    for rule, queryset in _rules().items():
        found.update((rule, pk) for pk in queryset.values_list("pk", flat=True))
    return found
