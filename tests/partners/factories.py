import factory
from factory.django import DjangoModelFactory

from partners.models import Partner, PartnerKind
from tests.iscg.factories import DepartmentFactory


def partner_kind(code: str) -> PartnerKind:
    """One of the default kinds loaded by the data migration (e.g. "cidff")."""
    return PartnerKind.objects.get(code=code)


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Partenaire {n}")
    kind = factory.LazyFunction(lambda: partner_kind("cidff"))
    phone = "04 74 00 00 00"
