"""The partner directory: workers and admins; a count of orientations, no case data."""

import pytest
from django.urls import NoReverseMatch, reverse

from iscg.models import User
from partners.models import Partner
from tests.cases.factories import OrientationFactory
from tests.iscg.factories import DepartmentFactory, UserFactory
from tests.partners.factories import PartnerFactory, partner_kind


@pytest.fixture
def ain():
    return DepartmentFactory(code="01")


@pytest.fixture
def partner(ain):
    return PartnerFactory(department=ain, name="CIDFF de l'Ain", kind=partner_kind("cidff"))


@pytest.mark.parametrize("role", ["worker", "admin"])
def test_workers_and_admins_read_the_directory(client, ain, partner, role):
    client.force_login(UserFactory(**{role: True}, department=ain))
    content = client.get(reverse("partners:partner_list")).content.decode()
    assert "CIDFF de l&#x27;Ain" in content
    assert client.get(reverse("partners:partner_detail", args=[partner.pk])).status_code == 200


@pytest.mark.parametrize(
    "role", ["unit_agent", "unit_lead", "employer_manager", "prefecture", "funder_user"]
)
@pytest.mark.parametrize("name", ["partner_list", "partner_detail"])
def test_other_roles_get_403(client, ain, partner, role, name):
    client.force_login(UserFactory(**{role: True}, department=ain))
    args = [partner.pk] if name == "partner_detail" else []
    assert client.get(reverse(f"partners:{name}", args=args)).status_code == 403


def test_a_partner_of_another_department_is_404(client, ain):
    other = PartnerFactory(department=DepartmentFactory(code="69"))
    client.force_login(UserFactory(worker=True, department=ain))
    assert client.get(reverse("partners:partner_detail", args=[other.pk])).status_code == 404
    assert other.name not in client.get(reverse("partners:partner_list")).content.decode()


def test_filter_by_kind_commune_and_search(client, ain, partner):
    PartnerFactory(department=ain, name="115 SIAO", kind=partner_kind("hebergement-115-siao"))
    client.force_login(UserFactory(worker=True, department=ain))
    url = reverse("partners:partner_list")
    content = client.get(url, {"kind": partner_kind("cidff").pk}).content.decode()
    assert "CIDFF de l&#x27;Ain" in content and "115 SIAO" not in content
    content = client.get(url, {"q": "siao"}).content.decode()
    assert "CIDFF de l&#x27;Ain" not in content and "115 SIAO" in content
    content = client.get(url, {"kind": "nimporte"}).content.decode()
    assert "Sélectionnez un choix valide" in content


def test_detail_shows_only_a_count_of_orientations(client, ain, partner):
    OrientationFactory(partner=partner, reason="Motif très personnel")
    OrientationFactory(partner=partner, reason="Motif très personnel")
    client.force_login(UserFactory(admin=True, department=ain))
    content = client.get(reverse("partners:partner_detail", args=[partner.pk])).content.decode()
    assert '<p class="iscg-figure">2</p>' in content
    assert "Motif très personnel" not in content


def test_case_data_is_never_in_the_admin_site(client, ain, partner):
    client.force_login(UserFactory(admin=True, department=ain))
    assert client.get(reverse("admin:partners_partner_changelist")).status_code == 403
    client.force_login(User.objects.create_superuser(email="root@example.gouv.fr", password="x"))
    assert client.get(reverse("admin:partners_partner_changelist")).status_code == 200
    assert client.get(reverse("admin:cases_problem_changelist")).status_code == 200
    index = client.get(reverse("admin:index")).content.decode()
    for model in ("beneficiary", "case", "action", "referral", "orientation"):
        assert f"/admin/cases/{model}/" not in index
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:cases_{model}_changelist")
    assert Partner.objects.count() == 1
