"""The Ain demo, as described in its cahier des charges. Idempotent.

Apps append their own seeders to ``SEEDERS`` (cases, conventions, bilans), run in order.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from iscg import services
from iscg.enums import EmployerKind, FunderKind, HoldingKind, Role, SiteKind, UnitKind
from iscg.geography import load_geography
from iscg.models import (
    Commune,
    Department,
    Employer,
    Funder,
    Membership,
    Post,
    PostHolding,
    Site,
    Unit,
    User,
)
from iscg.models.schedules import parse_schedule

DEMO_PASSWORD = "Demo-ISCG-Ain-2026"  # noqa: S105 - printed on purpose for the demo


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    role: str
    label: str


DEMO_ACCOUNTS = [
    DemoAccount(
        "intervenante@demo.iscg.fr",
        "Camille",
        "Morel",
        Role.WORKER,
        "Intervenante sociale, poste de Bourg-en-Bresse",
    ),
    DemoAccount(
        "policier@demo.iscg.fr",
        "Julien",
        "Perrin",
        Role.UNIT_AGENT,
        "Policier, commissariat de Bourg-en-Bresse",
    ),
    DemoAccount(
        "gendarme@demo.iscg.fr",
        "Sarah",
        "Lambert",
        Role.UNIT_AGENT,
        "Gendarme, brigade de Châtillon-sur-Chalaronne",
    ),
    DemoAccount(
        "chef.unite@demo.iscg.fr",
        "Marc",
        "Fontaine",
        Role.UNIT_LEAD,
        "Commandant de la compagnie de Bourg-en-Bresse",
    ),
    DemoAccount(
        "employeur@demo.iscg.fr",
        "Nadia",
        "Benali",
        Role.EMPLOYER_MANAGER,
        "Directrice de l'association employeuse",
    ),
    DemoAccount(
        "prefecture@demo.iscg.fr",
        "Hélène",
        "Girard",
        Role.PREFECTURE,
        "Bureau de la sécurité intérieure, préfecture",
    ),
    DemoAccount(
        "financeur@demo.iscg.fr",
        "Olivier",
        "Rousseau",
        Role.FUNDER,
        "Caisse d'allocations familiales de l'Ain",
    ),
    DemoAccount(
        "admin@demo.iscg.fr", "Isabelle", "Marchand", Role.ADMIN, "Administratrice départementale"
    ),
]

# (unit name, kind, commune code, parent name)
AIN_UNITS = [
    ("Direction départementale de la police nationale de l'Ain", UnitKind.DDPN, "01053", None),
    (
        "Commissariat de Bourg-en-Bresse",
        UnitKind.COMMISSARIAT,
        "01053",
        "Direction départementale de la police nationale de l'Ain",
    ),
    (
        "Commissariat d'Oyonnax",
        UnitKind.COMMISSARIAT,
        "01283",
        "Direction départementale de la police nationale de l'Ain",
    ),
    ("Groupement de gendarmerie départementale de l'Ain", UnitKind.GROUPEMENT, "01053", None),
    (
        "Compagnie de Belley",
        UnitKind.COMPAGNIE,
        "01034",
        "Groupement de gendarmerie départementale de l'Ain",
    ),
    (
        "Compagnie de Bourg-en-Bresse",
        UnitKind.COMPAGNIE,
        "01053",
        "Groupement de gendarmerie départementale de l'Ain",
    ),
    (
        "Compagnie de Gex",
        UnitKind.COMPAGNIE,
        "01173",
        "Groupement de gendarmerie départementale de l'Ain",
    ),
    (
        "Compagnie de Trévoux",
        UnitKind.COMPAGNIE,
        "01427",
        "Groupement de gendarmerie départementale de l'Ain",
    ),
    ("Brigade d'Ambérieu-en-Bugey", UnitKind.BRIGADE, "01004", "Compagnie de Belley"),
    ("Brigade de Belley", UnitKind.BRIGADE, "01034", "Compagnie de Belley"),
    (
        "Brigade de Châtillon-sur-Chalaronne",
        UnitKind.BRIGADE,
        "01093",
        "Compagnie de Bourg-en-Bresse",
    ),
    (
        "Brigade de Saint-Laurent-sur-Saône",
        UnitKind.BRIGADE,
        "01370",
        "Compagnie de Bourg-en-Bresse",
    ),
    ("Brigade de Gex", UnitKind.BRIGADE, "01173", "Compagnie de Gex"),
    ("Brigade de Nantua", UnitKind.BRIGADE, "01269", "Compagnie de Gex"),
    ("Brigade de Trévoux", UnitKind.BRIGADE, "01427", "Compagnie de Trévoux"),
    ("Brigade de Montluel", UnitKind.BRIGADE, "01262", "Compagnie de Trévoux"),
    ("Brigade de Meximieux", UnitKind.BRIGADE, "01244", "Compagnie de Trévoux"),
    ("Brigade de Miribel", UnitKind.BRIGADE, "01249", "Compagnie de Trévoux"),
]

# The cahier des charges' other places of permanence: (name, kind, commune, schedule)
AIN_EXTERNAL_SITES = [
    ("Caisse d'allocations familiales de l'Ain", SiteKind.SOCIAL_SERVICE, "01053", "À préciser"),
    (
        "Centre hospitalier Fleyriat – Bourg-en-Bresse",
        SiteKind.HOSPITAL,
        "01053",
        "Tous les mardis après-midi",
    ),
    ("Centre hospitalier Bugey Sud", SiteKind.HOSPITAL, "01034", "Un mardi après-midi par mois"),
    (
        "CC Miribel Plateau – France services",
        SiteKind.FRANCE_SERVICES,
        "01249",
        "Tous les mardis matin",
    ),
    (
        "CC de la Côtière à Montluel – France services",
        SiteKind.FRANCE_SERVICES,
        "01262",
        "Trois jeudis matin par mois",
    ),
    ("CC Plaine de l'Ain – France services", SiteKind.FRANCE_SERVICES, "01004", "À préciser"),
    ("Mairie de Villars-les-Dombes", SiteKind.TOWN_HALL, "01443", "Un jeudi par mois"),
    ("CA Pays de Gex – France services", SiteKind.FRANCE_SERVICES, "01173", "À préciser"),
]

EMPLOYER_NAME = "Association Ain Accès aux Droits (opérateur ISCG)"

# (post label, units served, external sites, worker)
AIN_POSTS = [
    (
        "Poste Bourg-en-Bresse et Bresse",
        [
            "Commissariat de Bourg-en-Bresse",
            "Brigade de Châtillon-sur-Chalaronne",
            "Brigade de Saint-Laurent-sur-Saône",
        ],
        [
            "Centre hospitalier Fleyriat – Bourg-en-Bresse",
            "Caisse d'allocations familiales de l'Ain",
            "Mairie de Villars-les-Dombes",
        ],
        ("intervenante@demo.iscg.fr", "Camille", "Morel"),
    ),
    (
        "Poste Haut-Bugey et Pays de Gex",
        ["Commissariat d'Oyonnax", "Brigade de Gex", "Brigade de Nantua"],
        ["CA Pays de Gex – France services"],
        ("intervenant.oyonnax@demo.iscg.fr", "Thomas", "Bernard"),
    ),
    (
        "Poste Bugey Sud et Plaine de l'Ain",
        ["Brigade de Belley", "Brigade d'Ambérieu-en-Bugey"],
        ["Centre hospitalier Bugey Sud", "CC Plaine de l'Ain – France services"],
        ("intervenante.belley@demo.iscg.fr", "Léa", "Dubois"),
    ),
    (
        "Poste Dombes et Côtière",
        ["Brigade de Trévoux", "Brigade de Montluel", "Brigade de Meximieux", "Brigade de Miribel"],
        ["CC Miribel Plateau – France services", "CC de la Côtière à Montluel – France services"],
        ("intervenante.trevoux@demo.iscg.fr", "Inès", "Garnier"),
    ),
]

AIN_FUNDERS = [
    ("État – FIPDR (préfecture de l'Ain)", FunderKind.FIPD),
    ("Caisse d'allocations familiales de l'Ain", FunderKind.CAF),
    ("Conseil départemental de l'Ain", FunderKind.DEPARTMENT),
    ("Communauté d'agglomération du Bassin de Bourg-en-Bresse", FunderKind.EPCI),
    ("Communauté de communes de Miribel et du Plateau", FunderKind.EPCI),
]

SEEDERS: list[tuple[int, Callable[[], None]]] = []


def register_seeder(order: int):
    def decorator(func):
        SEEDERS.append((order, func))
        return func

    return decorator


def _user(email, first_name, last_name) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = services.user_create(
            email=email,
            first_name=first_name,
            last_name=last_name,
            password=DEMO_PASSWORD,
            acting_user=None,
        )
    return user


def _membership(user, role, department, **target):
    if not Membership.objects.filter(user=user, role=role, **target).exists():
        services.membership_create(
            user=user, role=role, department=department, acting_user=None, **target
        )


@register_seeder(order=10)
def seed_organisation() -> None:
    load_geography()
    ain = Department.objects.get(code="01")
    communes = {c.code: c for c in Commune.objects.filter(department=ain)}

    units: dict[str, Unit] = {}
    for name, kind, commune_code, parent_name in AIN_UNITS:
        units[name], _ = Unit.objects.update_or_create(
            department=ain,
            name=name,
            defaults={
                "kind": kind,
                "commune": communes[commune_code],
                "parent": units.get(parent_name),
            },
        )
    sites: dict[str, Site] = {}
    for name, unit in units.items():
        if unit.kind in (UnitKind.COMMISSARIAT, UnitKind.BRIGADE):
            sites[name], _ = Site.objects.update_or_create(
                department=ain,
                name=f"Bureau de l'intervenant·e – {name}",
                defaults={
                    "kind": SiteKind.UNIT_PREMISES,
                    "unit": unit,
                    "commune": unit.commune,
                    "schedule": "du lundi au vendredi, aux heures de bureau",
                },
            )
    for name, kind, commune_code, schedule in AIN_EXTERNAL_SITES:
        sites[name], _ = Site.objects.update_or_create(
            department=ain,
            name=name,
            defaults={"kind": kind, "commune": communes[commune_code], "schedule": ""},
        )
        sites[name].openings.all().delete()
        for weekday, part, times in parse_schedule(schedule) or []:
            sites[name].openings.create(weekday=weekday, part_of_day=part, times_per_month=times)

    employer, _ = Employer.objects.get_or_create(
        department=ain,
        name=EMPLOYER_NAME,
        defaults={
            "kind": EmployerKind.ASSOCIATION,
            "email": "direction@ain-acces-droits.example.org",
        },
    )
    funders = {}
    for name, kind in AIN_FUNDERS:
        funders[kind if kind != FunderKind.EPCI else name], _ = Funder.objects.get_or_create(
            department=ain, name=name, defaults={"kind": kind}
        )

    accounts = {account.email: account for account in DEMO_ACCOUNTS}
    for label, unit_names, site_names, (email, first, last) in AIN_POSTS:
        post, _ = Post.objects.get_or_create(
            employer=employer, label=label, defaults={"etp": Decimal("1.00")}
        )
        post.units.set([units[n] for n in unit_names])
        premises = [sites[n] for n in unit_names]
        post.sites.set(premises + [sites[n] for n in site_names])
        if post.main_site_id is None:
            post.main_site = premises[0]
            post.save(update_fields=["main_site"])
        worker = _user(email, first, last)
        _membership(worker, Role.WORKER, ain, employer=employer)
        if not PostHolding.objects.filter(post=post, worker=worker).exists():
            services.post_holding_start(
                post=post,
                worker=worker,
                start=datetime.date(2024, 1, 1),
                kind=HoldingKind.HOLDER,
                acting_user=None,
            )
        accounts.pop(email, None)

    targets = {
        "policier@demo.iscg.fr": {"unit": units["Commissariat de Bourg-en-Bresse"]},
        "gendarme@demo.iscg.fr": {"unit": units["Brigade de Châtillon-sur-Chalaronne"]},
        "chef.unite@demo.iscg.fr": {"unit": units["Compagnie de Bourg-en-Bresse"]},
        "employeur@demo.iscg.fr": {"employer": employer},
        "financeur@demo.iscg.fr": {"funder": funders[FunderKind.CAF]},
        "prefecture@demo.iscg.fr": {},
        "admin@demo.iscg.fr": {},
    }
    for email, account in accounts.items():
        user = _user(email, account.first_name, account.last_name)
        _membership(user, account.role, ain, **targets[email])


@transaction.atomic
def seed_demo() -> None:
    for _order, seeder in sorted(SEEDERS, key=lambda s: s[0]):
        seeder()
