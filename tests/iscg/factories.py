"""Factories of the organisation model, with a trait per role."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from iscg import services
from iscg.enums import EmployerKind, FunderKind, HoldingKind, Role, SiteKind, UnitKind
from iscg.models import Commune, Department, Employer, Funder, Post, Site, Unit, User

PASSWORD = "Un-mot-de-passe-solide-42"


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = "01"
    name = factory.LazyAttribute(
        lambda o: {"01": "Ain", "69": "Rhône", "38": "Isère"}.get(o.code, f"Département {o.code}")
    )


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("code",)

    department = factory.SubFactory(DepartmentFactory)
    code = factory.Sequence(lambda n: f"{n % 90 + 1:02d}{n:03d}"[:5])
    name = factory.Sequence(lambda n: f"Commune {n}")
    postcodes = "01000"


class EmployerFactory(DjangoModelFactory):
    class Meta:
        model = Employer

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Association employeuse {n}")
    kind = EmployerKind.ASSOCIATION


class FunderFactory(DjangoModelFactory):
    class Meta:
        model = Funder

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Financeur {n}")
    kind = FunderKind.CAF


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    department = factory.SubFactory(DepartmentFactory)
    kind = UnitKind.BRIGADE
    name = factory.Sequence(lambda n: f"Brigade {n}")
    email = factory.Sequence(lambda n: f"brigade{n}@gendarmerie.interieur.gouv.fr")


class SiteFactory(DjangoModelFactory):
    class Meta:
        model = Site

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Lieu d'accueil {n}")
    kind = SiteKind.UNIT_PREMISES
    schedule = "Tous les lundis"


class PostFactory(DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    employer = factory.SubFactory(EmployerFactory)
    label = factory.Sequence(lambda n: f"Poste {n}")
    etp = Decimal("1.00")

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        if create:
            self.units.set(extracted or [UnitFactory(department=self.employer.department)])

    @factory.post_generation
    def sites(self, create, extracted, **kwargs):
        if create and extracted:
            self.sites.set(extracted)


class UserFactory(DjangoModelFactory):
    """``UserFactory(worker=True)`` gives a worker holding a new post, and so on per role."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"utilisateur{n}@example.gouv.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")

    role = None
    department = None
    post = None
    unit = None
    employer = None
    funder = None

    class Params:
        worker = factory.Trait(role=Role.WORKER)
        unit_agent = factory.Trait(role=Role.UNIT_AGENT)
        unit_lead = factory.Trait(role=Role.UNIT_LEAD)
        employer_manager = factory.Trait(role=Role.EMPLOYER_MANAGER)
        prefecture = factory.Trait(role=Role.PREFECTURE)
        funder_user = factory.Trait(role=Role.FUNDER)
        admin = factory.Trait(role=Role.ADMIN)

    @classmethod
    def _create(
        cls,
        model_class,
        *args,
        role=None,
        department=None,
        post=None,
        unit=None,
        employer=None,
        funder=None,
        **kwargs,
    ):
        kwargs.setdefault("password", PASSWORD)
        user = model_class.objects.create_user(*args, **kwargs)
        if role is None:
            return user
        department = department or DepartmentFactory()
        target = {}
        if role == Role.WORKER:
            post = post or PostFactory(employer__department=department)
            target["employer"] = post.employer
        elif role in (Role.UNIT_AGENT, Role.UNIT_LEAD):
            target["unit"] = unit or UnitFactory(department=department)
        elif role == Role.EMPLOYER_MANAGER:
            target["employer"] = employer or EmployerFactory(department=department)
        elif role == Role.FUNDER:
            target["funder"] = funder or FunderFactory(department=department)
        services.membership_create(
            user=user, role=role, department=department, acting_user=None, **target
        )
        if role == Role.WORKER:
            # A post has one titulaire at a time: a second worker on it stands in.
            has_holder = post.postholding_set.filter(kind=HoldingKind.HOLDER).exists()
            services.post_holding_start(
                post=post,
                worker=user,
                start=datetime.date(2020, 1, 1),
                kind=HoldingKind.STAND_IN if has_holder else HoldingKind.HOLDER,
                acting_user=None,
            )
        return user
