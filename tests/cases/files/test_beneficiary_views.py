"""The beneficiary list, search, form and page of the worker."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Beneficiary
from tests.cases.factories import (
    BeneficiaryFactory,
    CaseFactory,
)
from tests.cases.files.test_worker_views import world  # noqa: F401 - fixture
from tests.iscg.factories import PostFactory


def test_beneficiary_list_search_is_accent_insensitive(client, world):  # noqa: F811
    BeneficiaryFactory(post=world["post"], last_name="Martin", search_text="martin")
    client.force_login(world["worker"])
    content = client.get(reverse("cases:beneficiary_list"), {"q": "Helene"}).content.decode()
    assert "LEFÈVRE Hélène" in content
    assert "MARTIN" not in content


def test_beneficiary_search_finds_a_person_of_another_post_accompanied_here(client, world):  # noqa: F811
    """A person recorded by another post and accompanied on the worker's post is found by
    the search, with the other filters; a person of another post only is not."""
    here = BeneficiaryFactory(post=world["post"], last_name="Zola", search_text="zola ana")
    elsewhere = BeneficiaryFactory(last_name="Zola", first_name="Eve", search_text="zola eve")
    CaseFactory(beneficiary=elsewhere, post=world["post"])
    stranger = BeneficiaryFactory(post=elsewhere.post, last_name="Zola", search_text="zola ines")
    client.force_login(world["worker"])
    url = reverse("cases:beneficiary_list")
    content = client.get(url, {"q": "zola"}).content.decode()
    assert "ZOLA Eve" in content and f"/beneficiaires/{here.pk}/" in content
    assert f"/beneficiaires/{stranger.pk}/" not in content
    content = client.get(url, {"q": "zola", "has_open_case": "true"}).content.decode()
    assert "ZOLA Eve" in content and f"/beneficiaires/{here.pk}/" not in content


def test_the_beneficiary_list_reads_open_files_of_its_page_only(client, world):  # noqa: F811
    """Whether each person has an open file is read for the page's rows, in one query
    bounded by them, never by counting the open files of every visible person."""
    zola = BeneficiaryFactory(post=world["post"], last_name="Zola", search_text="zola ana")
    CaseFactory(beneficiary=zola, post=world["post"])
    CaseFactory(beneficiary=zola, post=PostFactory())  # another post's: not the worker's
    CaseFactory(beneficiary=zola, post=world["post"], closed=True)
    client.force_login(world["worker"])
    url = reverse("cases:beneficiary_list")
    client.get(url)  # the session is written at most once a minute: not in the counts
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    rows = {b.pk: b.open_case_count for b in response.context["page_obj"]}
    assert rows[zola.pk] == 1
    sql = [query["sql"] for query in context.captured_queries]
    open_files = [s for s in sql if '"cases_case"."closed_on" IS NULL' in s]
    assert len(open_files) == 1 and '"cases_case"."beneficiary_id" IN (' in open_files[0]
    # The page: its rows and one more (is there a next page?), no count of the whole list.
    listed = [s for s in sql if 'FROM "cases_beneficiary"' in s and "LIMIT 26" in s]
    assert len(listed) == 1 and "OVER" not in listed[0]
    counted = [s for s in sql if "COUNT(*)" in s and "LIMIT 1001" in s]
    assert len(counted) == 1  # counted up to 1,000 and one
    no_open = client.get(url, {"has_open_case": "false"}).context["page_obj"]
    assert zola.pk not in {b.pk for b in no_open}


def _beneficiary_post(world, **extra):  # noqa: F811
    data = {
        "post": world["post"].pk,
        "last_name": "Durand",
        "first_name": "Émilie",
        "sex": "F",
        "birth_date": "1990-05-01",
        "birth_year": "",
        "age_band": "unknown",
        "family_situation": "unknown",
        "phone": "06 11 11 11 11",
        "email": "",
        "profile": "victim",
        "known_to_department": "unknown",
        "known_to_caf": "unknown",
    }
    data.update(extra)
    return data


def test_beneficiary_create_then_duplicate_warning_keeps_input(client, world):  # noqa: F811
    client.force_login(world["worker"])
    url = reverse("cases:beneficiary_create")
    response = client.post(url, _beneficiary_post(world))
    created = Beneficiary.objects.get(last_name="Durand")
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:beneficiary_detail", args=[created.pk])

    response = client.post(url, _beneficiary_post(world, last_name="DURAND", first_name="Emilie"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Cette personne existe peut-être déjà" in content
    assert 'value="DURAND"' in content and 'value="06 11 11 11 11"' in content
    assert Beneficiary.objects.filter(last_name__iexact="durand").count() == 1

    response = client.post(
        url, _beneficiary_post(world, last_name="DURAND", confirm_duplicate="True")
    )
    assert response.status_code == 302
    assert Beneficiary.objects.filter(last_name__iexact="durand").count() == 2


def test_beneficiary_form_errors_in_french_keep_input(client, world):  # noqa: F811
    client.force_login(world["worker"])
    response = client.post(
        reverse("cases:beneficiary_create"),
        _beneficiary_post(world, profile="", birth_date="2099-01-01", last_name="Garnier"),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "La date de naissance ne peut pas être dans le futur." in content
    assert "Ce champ est obligatoire." in content
    assert 'value="Garnier"' in content
    assert not Beneficiary.objects.filter(last_name="Garnier").exists()


def test_beneficiary_detail_shows_the_timeline(client, world):  # noqa: F811
    world["referral"].case = world["case"]
    world["referral"].save()
    client.force_login(world["worker"])
    content = client.get(
        reverse("cases:beneficiary_detail", args=[world["beneficiary"].pk])
    ).content.decode()
    assert "Entretien physique" in content
    assert "Orientation vers CIDFF de l&#x27;Ain" in content
    assert world["referral"].number in content


def test_beneficiary_update(client, world):  # noqa: F811
    client.force_login(world["worker"])
    data = _beneficiary_post(world, last_name="Lefèvre-Martin", first_name="Hélène")
    data.pop("post")
    response = client.post(
        reverse("cases:beneficiary_update", args=[world["beneficiary"].pk]), data
    )
    assert response.status_code == 302
    world["beneficiary"].refresh_from_db()
    assert world["beneficiary"].search_text.startswith("lefevre martin helene")


# Cases, actes, orientations ----------------------------------------------------------------


def test_a_list_longer_than_the_limit_says_more_than_and_walks_page_by_page(
    client,
    world,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setattr("iscg.pagination.COUNT_LIMIT", 30)
    for index in range(40):
        BeneficiaryFactory(post=world["post"], last_name=f"Nom{index:02d}")
    client.force_login(world["worker"])
    url = reverse("cases:beneficiary_list")
    first = client.get(url).content.decode()
    assert "Plus de 30 bénéficiaires" in first
    assert "Page 1</a>" in first and "Dernière page" not in first and "Page suivante" in first
    second = client.get(url, {"page": 2}).context["page_obj"]
    assert second.has_next() is False and len(second) == 41 - 25  # the world's person too
    assert client.get(url, {"page": 9}).context["page_obj"].number == 2  # past the end


def test_the_list_reads_the_same_queries_whatever_the_rows_of_other_posts(
    client,
    world,  # noqa: F811
):
    """1,000 people of another post change neither the queries nor what they read."""
    client.force_login(world["worker"])
    url = reverse("cases:beneficiary_list")
    client.get(url)

    def queries():
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200
        return [query["sql"] for query in context.captured_queries]

    before = queries()
    other = PostFactory(employer=world["post"].employer)
    BeneficiaryFactory.create_batch(1000, post=other)
    after = queries()
    assert len(after) == len(before)
    # The same page and count statements, each bounded by LIMIT, not by the table's rows.
    listed = [sql for sql in after if 'FROM "cases_beneficiary"' in sql]
    assert listed == [sql for sql in before if 'FROM "cases_beneficiary"' in sql]
    assert len(listed) == 2 and all("LIMIT" in sql for sql in listed)
