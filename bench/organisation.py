"""The organisation of the benchmark: the Ain demo, plus generated départements at national scale.

Small volumes (a few thousand rows): built with the ORM and the project's services, so that
grants and role groups are exactly what the application would have given.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction

from iscg import services
from iscg.demo import seed_demo
from iscg.enums import EmployerKind, FunderKind, HoldingKind, Role, SiteKind, UnitKind
from iscg.models import Commune, Department, Employer, Funder, Membership, Post, Site, Unit, User
from partners.models import Partner, PartnerKind

BENCH_PASSWORD = "Bench-ISCG-2026-mesure"  # noqa: S105 - loopback-only benchmark accounts


def _user(email: str, first: str, last: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=BENCH_PASSWORD, first_name=first, last_name=last
        )
    return user


def _partners(department, communes, rng) -> None:
    for kind in PartnerKind.objects.all():
        Partner.objects.get_or_create(
            department=department,
            kind=kind,
            name=f"{kind.label} ({department.code})",
            defaults={"commune": rng.choice(communes)},
        )


def _unit_agents(department, units) -> None:
    for unit in units:
        agent = _user(f"agent.{unit.pk}@bench.iscg.fr", "Agent", unit.name[:40])
        if not Membership.objects.filter(user=agent).exists():
            services.membership_create(
                user=agent,
                role=Role.UNIT_AGENT,
                department=department,
                unit=unit,
                acting_user=None,
            )


def _department_org(department: Department, rng: random.Random, posts_count: int) -> None:
    communes = list(Commune.objects.filter(department=department).order_by("code"))
    if not communes:
        return
    pick = rng.choice
    employer, _ = Employer.objects.get_or_create(
        department=department,
        name=f"Association d'intervention sociale ({department.code})",
        defaults={"kind": EmployerKind.ASSOCIATION},
    )
    for kind, name in (
        (FunderKind.FIPD, "État – FIPD"),
        (FunderKind.CAF, "CAF"),
        (FunderKind.DEPARTMENT, "Conseil départemental"),
    ):
        Funder.objects.get_or_create(
            department=department, name=f"{name} ({department.code})", defaults={"kind": kind}
        )
    ddpn, _ = Unit.objects.get_or_create(
        department=department,
        name=f"DDPN {department.code}",
        defaults={"kind": UnitKind.DDPN, "commune": communes[0]},
    )
    ggd, _ = Unit.objects.get_or_create(
        department=department,
        name=f"GGD {department.code}",
        defaults={"kind": UnitKind.GROUPEMENT, "commune": communes[0]},
    )
    served = []
    for i in range(2):
        commune = pick(communes)
        unit, _ = Unit.objects.get_or_create(
            department=department,
            name=f"Commissariat de {commune.name} ({department.code}-{i})",
            defaults={"kind": UnitKind.COMMISSARIAT, "parent": ddpn, "commune": commune},
        )
        served.append(unit)
    for i in range(3):
        company, _ = Unit.objects.get_or_create(
            department=department,
            name=f"Compagnie {i + 1} ({department.code})",
            defaults={"kind": UnitKind.COMPAGNIE, "parent": ggd, "commune": pick(communes)},
        )
        for j in range(2):
            commune = pick(communes)
            unit, _ = Unit.objects.get_or_create(
                department=department,
                name=f"Brigade de {commune.name} ({department.code}-{i}{j})",
                defaults={"kind": UnitKind.BRIGADE, "parent": company, "commune": commune},
            )
            served.append(unit)
    _partners(department, communes, rng)
    for index in range(posts_count):
        units = served[index::posts_count] or served[:1]
        post, created = Post.objects.get_or_create(
            employer=employer,
            label=f"Poste {index + 1} ({department.code})",
            defaults={"etp": Decimal("1.00")},
        )
        if created:
            site = Site.objects.create(
                department=department,
                name=f"Bureau ISCG {department.code}-{index + 1}",
                kind=SiteKind.UNIT_PREMISES,
                unit=units[0],
                commune=units[0].commune,
            )
            post.units.set(units)
            post.sites.set([site])
            post.main_site = site
            post.save(update_fields=["main_site"])
        worker = _user(
            f"iscg{index + 1}.{department.code}@bench.iscg.fr",
            "Intervenant",
            f"{department.code}-{index + 1}",
        )
        if not Membership.objects.filter(user=worker, role=Role.WORKER).exists():
            services.membership_create(
                user=worker,
                role=Role.WORKER,
                department=department,
                employer=employer,
                acting_user=None,
            )
            services.post_holding_start(
                post=post,
                worker=worker,
                start=datetime.date(2015, 1, 1),
                kind=HoldingKind.HOLDER,
                acting_user=None,
            )
    _unit_agents(department, served)
    for role, target in ((Role.PREFECTURE, {}), (Role.EMPLOYER_MANAGER, {"employer": employer})):
        user = _user(f"{role}.{department.code}@bench.iscg.fr", role, department.code)
        if not Membership.objects.filter(user=user, role=role).exists():
            services.membership_create(
                user=user, role=role, department=department, acting_user=None, **target
            )


@transaction.atomic
def build_organisation(scale) -> list[Department]:
    # The whole Ain demo (cases, conventions, bilans): the département a user measures from.
    seed_demo()
    ain = Department.objects.get(code="01")
    _partners(ain, list(Commune.objects.filter(department=ain)), random.Random(1))
    _unit_agents(ain, Unit.objects.filter(department=ain).receiving_referrals())
    departments = [ain]
    if scale.departments > 1:
        others = [
            d
            for d in Department.objects.exclude(code="01").order_by("code")
            if len(d.code) == 2 or d.code in {"971", "972", "973", "974", "976"}
        ][: scale.departments - 1]
        for department in others:
            _department_org(department, random.Random(department.code), scale.posts_per_department)
            departments.append(department)
    return departments
