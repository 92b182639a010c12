"""The departmental administrator maintains her département's partner directory in the
application: corrects a partner or retires it, through the service; never another
département's."""

from django.urls import reverse

from partners.models import Partner, PartnerKind
from tests.cases.factories import PartnerFactory
from tests.iscg.factories import DepartmentFactory, UserFactory


def test_the_admin_corrects_and_retires_a_partner_of_her_departement(client):
    ain, rhone = DepartmentFactory(code="01"), DepartmentFactory(code="69")
    admin = UserFactory(admin=True, department=ain)
    partner = PartnerFactory(department=ain, name="CIDFF de l'Ain")
    theirs = PartnerFactory(department=rhone, name="CIDFF du Rhône")
    client.force_login(admin)
    detail = client.get(reverse("partners:partner_detail", args=[partner.pk])).content.decode()
    edit = reverse("partners:partner_edit", args=[partner.pk])
    assert edit in detail
    kind = PartnerKind.objects.filter(department__isnull=True).first()
    data = {"name": "", "kind": kind.pk, "email": "pas-une-adresse", "is_active": "oui"}
    content = client.post(edit, data).content.decode()
    assert "Indiquez le nom du partenaire." in content
    assert 'value="pas-une-adresse"' in content
    data = {"name": "CIDFF Ain", "kind": kind.pk, "phone": "04 74 00 00 00", "is_active": "non"}
    assert client.post(edit, data).status_code == 302
    partner.refresh_from_db()
    assert partner.name == "CIDFF Ain" and not partner.is_active and partner.kind == kind
    listed = client.get(reverse("partners:partner_list")).context["page_obj"]
    assert partner not in list(listed)  # retired from the directory
    other = reverse("partners:partner_edit", args=[theirs.pk])
    assert client.post(other, {**data, "name": "Pris"}).status_code == 404
    assert Partner.objects.get(pk=theirs.pk).name == "CIDFF du Rhône"


def test_a_worker_reads_the_directory_but_does_not_edit_it(client):
    ain = DepartmentFactory(code="01")
    worker = UserFactory(worker=True, department=ain)
    partner = PartnerFactory(department=ain)
    client.force_login(worker)
    detail = client.get(reverse("partners:partner_detail", args=[partner.pk])).content.decode()
    assert "Modifier ou retirer" not in detail
    assert client.get(reverse("partners:partner_edit", args=[partner.pk])).status_code == 403
