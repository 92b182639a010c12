from iscg.geography import load_geography
from iscg.models import Commune, Department


def test_load_geography_gives_all_of_france_and_the_391_communes_of_the_ain():
    departments, communes = load_geography()
    assert departments == Department.objects.count() >= 101
    assert communes == Commune.objects.count() > 34000
    ain = Department.objects.get(code="01")
    assert ain.name == "Ain"
    assert Commune.objects.filter(department=ain).count() == 391
    assert Commune.objects.get(code="01053").name == "Bourg-en-Bresse"
    assert Commune.objects.get(code="01283").name == "Oyonnax"
    assert Commune.objects.get(code="01034").name == "Belley"
    assert "01000" in Commune.objects.get(code="01053").postcode_list


def test_load_geography_is_idempotent():
    load_geography()
    load_geography()
    assert Commune.objects.filter(code="01053").count() == 1


def test_commune_search_by_name_code_or_postcode():
    load_geography()
    assert Commune.objects.search("oyonn").filter(code="01283").exists()
    assert Commune.objects.search("01100").filter(code="01283").exists()
    assert Commune.objects.search("01283").get().name == "Oyonnax"
    assert not Commune.objects.search("").exists()
