"""Anonymous contacts: counted in the statistics, no file opened."""

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.dates import check_recent
from cases.models import AnonymousContact
from cases.service_checks import check_post

FIELDS = ("occurred_on", "site", "mode", "source_unit", "problem", "sex", "age_band")


@transaction.atomic
def anonymous_contact_log(*, acting_user, post, **fields) -> AnonymousContact:
    check_post(acting_user, post)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"Champs inconnus : {sorted(unknown)}")
    contact = AnonymousContact(post=post, author=acting_user, **fields)
    if contact.occurred_on:
        check_recent(contact.occurred_on, field="occurred_on")
    if contact.site_id and not post.sites.filter(pk=contact.site_id).exists():
        raise ValidationError({"site": "Choisissez un lieu d'accueil de ce poste."})
    contact.full_clean()
    contact.save()
    return contact
