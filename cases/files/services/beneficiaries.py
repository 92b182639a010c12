"""Beneficiaries: creation and update, with the derived search and age fields."""

from django.db import transaction
from django.utils import timezone

from cases.enums import AgeBand
from cases.models import Beneficiary
from cases.service_checks import check_post, check_visible
from iscg.dates import age_on
from iscg.text import person_search_text

EDITABLE_FIELDS = (
    "last_name",
    "first_name",
    "sex",
    "birth_date",
    "birth_year",
    "age_band",
    "family_situation",
    "children_count",
    "commune",
    "phone",
    "email",
    "profile",
    "known_to_department",
    "known_to_caf",
)


def _derive(beneficiary: Beneficiary) -> None:
    if beneficiary.birth_date:
        beneficiary.birth_year = beneficiary.birth_date.year
    if beneficiary.birth_year:
        age = age_on(
            timezone.localdate(),
            birth_date=beneficiary.birth_date,
            birth_year=beneficiary.birth_year,
        )
        beneficiary.age_band = AgeBand.for_age(age)
    beneficiary.last_name = (beneficiary.last_name or "").strip()
    beneficiary.first_name = (beneficiary.first_name or "").strip()
    beneficiary.search_text = person_search_text(
        beneficiary.last_name, beneficiary.first_name, beneficiary.phone
    )


@transaction.atomic
def beneficiary_create(*, acting_user, post, **fields) -> Beneficiary:
    """Records a person on one of the user's posts (anonymous if no name is given)."""
    check_post(acting_user, post)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Champs inconnus : {sorted(unknown)}")
    beneficiary = Beneficiary(post=post, created_by=acting_user, **fields)
    _derive(beneficiary)
    beneficiary.full_clean()
    beneficiary.save()
    return beneficiary


@transaction.atomic
def beneficiary_update(*, beneficiary: Beneficiary, acting_user, **fields) -> Beneficiary:
    check_visible(
        acting_user,
        Beneficiary,
        beneficiary,
        "Ce ou cette bénéficiaire n'est pas suivi·e sur vos postes.",
    )
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise TypeError(f"Champ non modifiable : {name}")
        setattr(beneficiary, name, value)
    _derive(beneficiary)
    beneficiary.full_clean()
    beneficiary.save()
    return beneficiary
