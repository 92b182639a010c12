"""The conventions' services check who writes and what a status may become.

Reproduced before: every service took ``acting_user`` and never looked at it, so any
caller could write another département's convention through them (only the views
checked); and a convention's status could be set to anything, an active one back to
"Projet", a terminated one to "En cours".
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conventions import services
from conventions.enums import ConventionStatus, PartyRole
from conventions.models import Convention, ConventionDocument, ConventionParty
from tests.conventions.factories import make_convention, make_line
from tests.forms.form_pages import as_displayed, post_forms
from tests.iscg.factories import DepartmentFactory, EmployerFactory, FunderFactory, UserFactory


@pytest.fixture
def ain():
    department = DepartmentFactory(code="01")
    convention = make_convention(employer=EmployerFactory(department=department))
    return {
        "convention": convention,
        "line": make_line(convention, year=2025),
        "admin": UserFactory(admin=True, department=department),
        "prefecture": UserFactory(prefecture=True, department=department),
        "elsewhere": UserFactory(prefecture=True, department=DepartmentFactory(code="69")),
        "manager": UserFactory(
            employer_manager=True, employer=convention.employer, department=department
        ),
        "funder": FunderFactory(department=department),
    }


def _writes(w):
    convention, line = w["convention"], w["line"]
    return {
        "convention_save": lambda user: services.convention_save(
            convention=Convention.objects.get(pk=convention.pk), acting_user=user
        ),
        "party_add": lambda user: services.party_add(
            party=ConventionParty(convention=convention, role=PartyRole.FUNDER, funder=w["funder"]),
            acting_user=user,
        ),
        "funding_line_save": lambda user: services.funding_line_save(line=line, acting_user=user),
        "payment_record": lambda user: services.payment_record(
            funding_line=line,
            date=datetime.date(2025, 6, 1),
            amount=Decimal("10"),
            acting_user=user,
        ),
        "budget_line_set": lambda user: services.budget_line_set(
            convention=convention,
            year=2025,
            category="salary",
            amount=Decimal("90000"),
            acting_user=user,
        ),
        "document_add": lambda user: services.document_add(
            document=ConventionDocument(convention=convention, title="Avenant"), acting_user=user
        ),
    }


@pytest.mark.parametrize(
    "service",
    [
        "convention_save",
        "party_add",
        "funding_line_save",
        "payment_record",
        "budget_line_set",
        "document_add",
    ],
)
def test_the_services_refuse_a_writer_of_another_departement_or_role(ain, service):
    write = _writes(ain)[service]
    for outsider in ("elsewhere", "manager"):
        with pytest.raises(PermissionDenied):
            write(ain[outsider])


def test_the_admin_and_the_prefecture_of_the_departement_write(ain):
    services.convention_save(convention=ain["convention"], acting_user=ain["admin"])
    services.funding_line_save(line=ain["line"], acting_user=ain["prefecture"])


def _set_status(convention, status, user=None):
    convention = Convention.objects.get(pk=convention.pk)
    convention.status = status
    return services.convention_save(convention=convention, acting_user=user)


def test_a_status_follows_the_life_of_a_convention(ain):
    convention = make_convention(employer=ain["convention"].employer, status=ConventionStatus.DRAFT)
    for status in (
        ConventionStatus.SIGNED,
        ConventionStatus.ACTIVE,
        ConventionStatus.EXPIRED,
        ConventionStatus.ACTIVE,
        ConventionStatus.TERMINATED,
    ):
        assert _set_status(convention, status).status == status
    for refused in (ConventionStatus.ACTIVE, ConventionStatus.DRAFT, ConventionStatus.SIGNED):
        with pytest.raises(ValidationError) as error:
            _set_status(convention, refused)
        assert "« Résiliée » ne peut pas devenir" in error.value.message_dict["status"][0]
    active = make_convention(employer=ain["convention"].employer)
    with pytest.raises(ValidationError):
        _set_status(active, ConventionStatus.DRAFT)


def test_the_form_says_why_on_the_status_field_and_saves_nothing(client, ain):
    convention = ain["convention"]
    url = reverse("conventions:edit", args=[convention.pk])
    client.force_login(ain["admin"])
    form = next(
        f
        for f in post_forms(client.get(url).content.decode(), url)
        if "status" in {field.name for field in f.fields}
    )
    data = {**as_displayed(form), "status": ConventionStatus.DRAFT}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "ne peut pas devenir « Projet »" in " ".join(response.context["form"].errors["status"])
    assert Convention.objects.get(pk=convention.pk).status == ConventionStatus.ACTIVE
