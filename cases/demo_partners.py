"""The demo's reference lists (problems, kinds of actes and partners) and the Ain's partners,
upserted by name."""

from cases.demo_data import (
    AIN_PARTNERS,
)
from cases.models import (
    ActionKind,
    Problem,
)
from cases.reference_data import ACTION_KINDS, PROBLEMS
from iscg.models import Commune
from partners.models import Partner, PartnerKind
from partners.reference_data import PARTNER_KINDS


def ensure_reference_lists() -> None:
    """The data migrations load them; a flushed test database may have lost them."""
    for order, (code, label) in enumerate(PARTNER_KINDS, start=1):
        PartnerKind.objects.get_or_create(code=code, defaults={"label": label, "order": order * 10})
    for order, (code, label) in enumerate(PROBLEMS, start=1):
        Problem.objects.get_or_create(code=code, defaults={"label": label, "order": order * 10})
    for order, (code, label, legal_report, is_contact) in enumerate(ACTION_KINDS, start=1):
        ActionKind.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "legal_report": legal_report,
                "is_contact": is_contact,
                "order": order * 10,
            },
        )


def seed_partners(ain) -> dict[str, Partner]:
    kinds = {k.code: k for k in PartnerKind.objects.all()}
    communes = {c.name: c for c in Commune.objects.filter(department=ain)}
    partners = {}
    for name, kind, commune, address, phone, description in AIN_PARTNERS:
        partners[name], _ = Partner.objects.update_or_create(
            department=ain,
            name=name,
            defaults={
                "kind": kinds[kind],
                "commune": communes.get(commune),
                "address": address,
                "phone": phone,
                "description": description,
            },
        )
    return partners
