"""Writes on conventions. The rules that keep the money reconciled live here.

- a payment never takes the total paid above the amount granted;
- the amount granted never exceeds the amount requested, nor falls below what was paid;
- the total granted for a year never exceeds that year's budget, when one is set;
- a funding line's funder is a party to the convention (added if missing).
Each service that changes who is party recomputes the grants of the users concerned.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from conventions.enums import PartyRole
from conventions.lifecycle import check_editor, check_status
from conventions.models import (
    Amendment,
    BudgetLine,
    Convention,
    ConventionDocument,
    ConventionParty,
    ConventionPost,
    FundingLine,
    Payment,
)
from iscg import access
from iscg.enums import Role
from iscg.grants import refresh_user_grants
from iscg.models import Membership, User

ZERO = Decimal("0")
NBSP = "\xa0"


def euros(amount: Decimal) -> str:
    whole, _, cents = f"{amount:,.2f}".partition(".")
    return f"{whole.replace(',', NBSP)},{cents} €"


def refresh_convention_readers(convention: Convention) -> None:
    """Recompute the grants of everyone who may gain or lose this convention."""
    funder_ids = convention.parties.exclude(funder=None).values("funder_id")
    user_ids = set(
        Membership.objects.filter(role=Role.FUNDER, funder_id__in=funder_ids).values_list(
            "user_id", flat=True
        )
    )
    user_ids |= set(
        Membership.objects.filter(
            role=Role.EMPLOYER_MANAGER, employer_id=convention.employer_id
        ).values_list("user_id", flat=True)
    )
    user_ids |= access.convention_grantee_ids(convention)
    users = list(User.objects.filter(pk__in=user_ids))
    if users:
        refresh_user_grants(*users)


def _check_year(convention: Convention, year: int, field: str = "year") -> None:
    if year not in convention.years:
        raise ValidationError(
            {
                field: f"L'année {year} est hors de la période de la convention "
                f"({convention.start.year}–{convention.end.year})."
            }
        )


@transaction.atomic
def convention_save(*, convention: Convention, acting_user) -> Convention:
    """Creates or updates a convention; a new one gets its employer as a party."""
    check_editor(acting_user, convention)
    is_new = convention.pk is None
    previous_employer_id = None
    if not is_new:
        previous_employer_id = (
            Convention.objects.filter(pk=convention.pk)
            .values_list("employer_id", flat=True)
            .first()
        )
    check_status(convention)
    convention.notice_deadline = convention.compute_notice_deadline()
    if convention.initial_end and convention.end <= convention.initial_end:
        convention.initial_end = None  # brought back within its initial term: no renewal left
    convention.full_clean()
    if not is_new:
        outside = sorted(
            set(convention.funding.values_list("year", flat=True))
            | set(convention.budget.values_list("year", flat=True))
        )
        outside = [year for year in outside if year not in convention.years]
        if outside:
            raise ValidationError(
                {
                    "end": "Des lignes de budget ou de cofinancement existent pour "
                    + ", ".join(str(y) for y in outside)
                    + " : ajustez-les avant de raccourcir la convention."
                }
            )
    convention.save()
    if is_new or previous_employer_id != convention.employer_id:
        ConventionParty.objects.filter(
            convention=convention, role=PartyRole.EMPLOYER, employer_id=previous_employer_id
        ).delete()
        ConventionParty.objects.get_or_create(
            convention=convention,
            role=PartyRole.EMPLOYER,
            employer=convention.employer,
            defaults={"signed_on": convention.signed_on},
        )
        if previous_employer_id is not None:
            convention.covered.exclude(post__employer_id=convention.employer_id).delete()
    refresh_convention_readers(convention)
    return convention


@transaction.atomic
def party_add(*, party: ConventionParty, acting_user) -> ConventionParty:
    check_editor(acting_user, party.convention)
    convention = party.convention
    department_id = convention.employer.department_id
    target = {
        PartyRole.FUNDER: party.funder,
        PartyRole.EMPLOYER: party.employer,
        PartyRole.DDPN: party.unit,
        PartyRole.GGD: party.unit,
    }.get(party.role)
    if party.role == PartyRole.FUNDER and party.funder is None:
        raise ValidationError({"funder": "Choisissez le financeur partie à la convention."})
    if party.role == PartyRole.EMPLOYER and party.employer is None:
        raise ValidationError({"employer": "Choisissez l'employeur partie à la convention."})
    if target is not None and target.department_id != department_id:
        raise ValidationError(
            "Cette organisation n'appartient pas au département de la convention."
        )
    if party.role != PartyRole.FUNDER:
        party.funder = None
    if party.role != PartyRole.EMPLOYER:
        party.employer = None
    if party.role not in (PartyRole.DDPN, PartyRole.GGD):
        party.unit = None
    party.full_clean()
    party.save()
    refresh_convention_readers(convention)
    return party


@transaction.atomic
def party_remove(*, party: ConventionParty, acting_user) -> None:
    check_editor(acting_user, party.convention)
    convention = party.convention
    if party.funder_id and convention.funding.filter(funder_id=party.funder_id).exists():
        raise ValidationError(
            "Ce financeur a des lignes de cofinancement : supprimez-les avant de le retirer."
        )
    if party.role == PartyRole.EMPLOYER and party.employer_id == convention.employer_id:
        raise ValidationError("L'employeur de la convention ne peut pas être retiré des parties.")
    party.delete()
    refresh_convention_readers(convention)


@transaction.atomic
def post_cover(*, covered: ConventionPost, acting_user) -> ConventionPost:
    check_editor(acting_user, covered.convention)
    convention, post = covered.convention, covered.post
    if post.employer_id != convention.employer_id:
        raise ValidationError({"post": "Ce poste ne relève pas de l'employeur de la convention."})
    if covered.etp is not None and covered.etp > post.etp:
        raise ValidationError(
            {"etp": f"Le poste ne compte que {post.etp} ETP : réduisez les ETP financés."}
        )
    covered.full_clean()
    covered.save()
    return covered


@transaction.atomic
def post_uncover(*, covered: ConventionPost, acting_user) -> None:
    check_editor(acting_user, covered.convention)
    covered.delete()


@transaction.atomic
def budget_line_set(
    *, convention: Convention, year: int, category: str, amount: Decimal, acting_user
) -> BudgetLine:
    """Sets (creates or replaces) the amount of one category of expense for one year."""
    check_editor(acting_user, convention)
    _check_year(convention, year)
    line = BudgetLine.objects.filter(convention=convention, year=year, category=category).first()
    line = line or BudgetLine(convention=convention, year=year, category=category)
    line.amount = amount
    line.full_clean()
    other = (
        BudgetLine.objects.filter(convention=convention, year=year)
        .exclude(pk=line.pk)
        .aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    granted = (
        FundingLine.objects.filter(convention=convention, year=year).aggregate(
            total=Sum("granted")
        )["total"]
        or ZERO
    )
    if granted > other + amount:
        raise ValidationError(
            {
                "amount": f"Les financements accordés pour {year} ({euros(granted)}) dépasseraient "
                f"le budget de l'année ({euros(other + amount)})."
            }
        )
    line.save()
    return line


@transaction.atomic
def budget_line_remove(*, line: BudgetLine, acting_user) -> None:
    check_editor(acting_user, line.convention)
    line.delete()


@transaction.atomic
def funding_line_save(*, line: FundingLine, acting_user) -> FundingLine:
    check_editor(acting_user, line.convention)
    convention = line.convention
    _check_year(convention, line.year)
    if line.funder.department_id != convention.employer.department_id:
        raise ValidationError({"funder": "Ce financeur n'appartient pas au département."})
    errors = {}
    if line.granted > line.requested:
        errors["granted"] = (
            f"Le montant accordé ({euros(line.granted)}) dépasse le montant demandé "
            f"({euros(line.requested)}) : corrigez la demande d'abord."
        )
    if line.pk:
        paid = line.payments.aggregate(total=Sum("amount"))["total"] or ZERO
        if line.granted < paid:
            errors["granted"] = (
                f"Le montant accordé ne peut pas être inférieur aux versements déjà reçus "
                f"({euros(paid)})."
            )
    budget = BudgetLine.objects.filter(convention=convention, year=line.year).aggregate(
        total=Sum("amount")
    )["total"]
    if budget is not None:
        others = (
            FundingLine.objects.filter(convention=convention, year=line.year)
            .exclude(pk=line.pk)
            .aggregate(total=Sum("granted"))["total"]
            or ZERO
        )
        if others + line.granted > budget:
            errors.setdefault(
                "granted",
                f"Le total accordé pour {line.year} ({euros(others + line.granted)}) dépasserait "
                f"le budget de l'année ({euros(budget)}).",
            )
    if line.decision_date is None and line.decision_reference:
        errors["decision_date"] = "Indiquez la date de la décision."
    if line.due_date is not None and line.due_date < datetime.date(line.year, 1, 1):
        # An earlier deadline put the whole grant "en retard" on the day it was typed.
        errors["due_date"] = (
            f"L'échéance d'un financement {line.year} ne peut pas précéder le 01/01/{line.year}."
        )
    if errors:
        raise ValidationError(errors)
    line.full_clean()
    line.save()
    party, created = ConventionParty.objects.get_or_create(
        convention=convention, funder=line.funder, defaults={"role": PartyRole.FUNDER}
    )
    if created:
        refresh_convention_readers(convention)
    return line


@transaction.atomic
def funding_line_remove(*, line: FundingLine, acting_user) -> None:
    check_editor(acting_user, line.convention)
    if line.payments.exists():
        raise ValidationError("Cette ligne a des versements : elle ne peut pas être supprimée.")
    line.delete()


@transaction.atomic
def payment_record(
    *,
    funding_line: FundingLine,
    date: datetime.date,
    amount: Decimal,
    reference: str = "",
    acting_user,
) -> Payment:
    """Records a payment; the total paid never exceeds the amount granted."""
    check_editor(acting_user, funding_line.convention)
    line = FundingLine.objects.select_for_update().get(pk=funding_line.pk)
    if amount is None or amount <= ZERO:
        raise ValidationError({"amount": "Le montant versé doit être positif."})
    paid = line.payments.aggregate(total=Sum("amount"))["total"] or ZERO
    if paid + amount > line.granted:
        raise ValidationError(
            {
                "amount": f"Ce versement porterait le total versé à {euros(paid + amount)}, "
                f"au-delà du montant accordé ({euros(line.granted)}). "
                f"Reste à verser : {euros(line.granted - paid)}."
            }
        )
    if date is not None and date > timezone.localdate():
        # A payment to come is not paid: it would count in "versé" from today.
        raise ValidationError(
            {
                "date": "Un versement ne peut pas être daté après aujourd'hui : saisissez-le une "
                "fois reçu."
            }
        )
    payment = Payment(funding_line=line, date=date, amount=amount, reference=reference)
    payment.full_clean()
    payment.save()
    return payment


@transaction.atomic
def payment_remove(*, payment: Payment, acting_user) -> None:
    check_editor(acting_user, payment.funding_line.convention)
    payment.delete()


@transaction.atomic
def amendment_add(*, amendment: Amendment, acting_user) -> Amendment:
    check_editor(acting_user, amendment.convention)
    convention = amendment.convention
    if amendment.date < convention.start:
        raise ValidationError({"date": "L'avenant ne peut pas précéder le début de la convention."})
    if not amendment.number or amendment.number < 1:
        amendment.number = (convention.amendments.aggregate(n=Max("number"))["n"] or 0) + 1
    elif convention.amendments.filter(number=amendment.number).exclude(pk=amendment.pk).exists():
        raise ValidationError(
            {"number": f"L'avenant n° {amendment.number} existe déjà pour cette convention."}
        )
    amendment.full_clean()
    amendment.save()
    return amendment


@transaction.atomic
def document_add(*, document: ConventionDocument, acting_user) -> ConventionDocument:
    check_editor(acting_user, document.convention)
    document.uploaded_by = acting_user
    document.full_clean()
    document.save()
    return document
