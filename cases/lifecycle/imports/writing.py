"""Writing a checked import: people (or their existing files), cases, saisines, actes,
orientations and anonymous contacts, in bulk, each with its history row."""

import datetime

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cases.enums import ReferralStatus
from cases.lifecycle.imports.plans import ParsedImport
from cases.models import (
    Action,
    AnonymousContact,
    Beneficiary,
    Case,
    ImportBatch,
    Orientation,
    Referral,
)
from iscg.text import person_search_text

BATCH_SIZE = 1000


def _at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def write_parsed(parsed: ParsedImport, batch: ImportBatch, *, acting_user) -> dict:
    post = batch.post
    history = {"default_user": acting_user, "default_change_reason": f"Import n° {batch.pk}"}

    existing = Beneficiary.objects.filter(post=post).in_bulk(
        [person.existing_id for person in parsed.people if person.existing_id]
    )
    new_beneficiaries, beneficiaries = [], []
    for person in parsed.people:
        if person.existing_id:
            beneficiaries.append(existing[person.existing_id])
            continue
        fields = person.fields
        beneficiary = Beneficiary(
            post=post,
            created_by=acting_user,
            import_batch=batch,
            search_text=person_search_text(
                fields["last_name"], fields["first_name"], fields.get("phone", "")
            ),
            **fields,
        )
        new_beneficiaries.append(beneficiary)
        beneficiaries.append(beneficiary)
    bulk_create_with_history(new_beneficiaries, Beneficiary, batch_size=BATCH_SIZE, **history)

    existing_cases = Case.objects.filter(post=post).in_bulk(
        [
            plan.existing_case_id
            for person in parsed.people
            for plan in person.cases.values()
            if plan.existing_case_id
        ]
    )
    cases, new_cases = [], []
    for person, beneficiary in zip(parsed.people, beneficiaries, strict=True):
        for plan in person.cases.values():
            if plan.existing_case_id:
                cases.append((existing_cases[plan.existing_case_id], plan))
                continue
            case = Case(
                beneficiary=beneficiary,
                post=post,
                opened_on=plan.opened_on,
                closed_on=plan.closed_on,
                closing_reason=plan.closing_reason,
                created_by=acting_user,
                import_batch=batch,
            )
            new_cases.append((case, beneficiary, plan))
            cases.append((case, plan))
    bulk_create_with_history([c for c, _b, _p in new_cases], Case, batch_size=BATCH_SIZE, **history)

    referrals = [
        _referral(batch, number, case, beneficiary, plan, acting_user)
        for number, (case, beneficiary, plan) in enumerate(new_cases, start=1)
    ]
    actions, orientations = [], []
    for case, plan in cases:
        for _line, on, kind_id, duration, site_id in plan.actions:
            actions.append(
                Action(
                    case=case,
                    post_id=case.post_id,
                    kind_id=kind_id,
                    occurred_at=_at_noon(on),
                    duration_minutes=duration,
                    site_id=site_id,
                    author=acting_user,
                    import_batch=batch,
                )
            )
        for _line, on, partner_id, reason, status in plan.orientations:
            orientations.append(
                Orientation(
                    case=case,
                    post_id=case.post_id,
                    partner_id=partner_id,
                    oriented_on=on or case.opened_on,
                    reason=reason,
                    status=status,
                    author=acting_user,
                    import_batch=batch,
                )
            )
    bulk_create_with_history(referrals, Referral, batch_size=BATCH_SIZE, **history)
    bulk_create_with_history(actions, Action, batch_size=BATCH_SIZE, **history)
    bulk_create_with_history(orientations, Orientation, batch_size=BATCH_SIZE, **history)
    contacts = [
        AnonymousContact(post=post, author=acting_user, import_batch=batch, **contact)
        for contact in parsed.anonymous_contacts
    ]
    bulk_create_with_history(contacts, AnonymousContact, batch_size=BATCH_SIZE, **history)
    return {
        "beneficiaries": len(new_beneficiaries),
        "existing_beneficiaries": len(beneficiaries) - len(new_beneficiaries),
        "cases": len(new_cases),
        "referrals": len(referrals),
        "actions": len(actions),
        "orientations": len(orientations),
        "anonymous_contacts": len(contacts),
    }


def _referral(batch, number, case, beneficiary, plan, acting_user) -> Referral:
    """The saisine an imported case stands on: the bilans count cases by their origin."""
    received = _at_noon(plan.opened_on)
    return Referral(
        number=f"I{batch.pk}-{number:06d}",
        received_at=received,
        source_unit_id=plan.unit_id,
        origin=plan.origin,
        main_problem_id=plan.problem_id,
        consent_to_contact=True,
        status=ReferralStatus.CLOSED if plan.closed_on else ReferralStatus.TAKEN,
        person_last_name=beneficiary.last_name,
        person_first_name=beneficiary.first_name,
        person_sex=beneficiary.sex,
        person_birth_year=beneficiary.birth_year,
        person_commune_id=beneficiary.commune_id,
        post=batch.post,
        beneficiary=beneficiary,
        case=case,
        taken_by=acting_user,
        taken_at=received,
        import_batch=batch,
    )
