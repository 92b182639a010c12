"""A commune typed in a saisine: the whole name, accents, case and hyphens aside.

Reproduced before: "bourg en bresse" was refused as matching several communes.
"""

import pytest
from django.core.exceptions import ValidationError

from iscg.commune_input import resolve_commune
from tests.iscg.factories import CommuneFactory, DepartmentFactory


@pytest.fixture
def communes(db):
    ain = DepartmentFactory(code="01")
    return {
        "bourg": CommuneFactory(code="01053", name="Bourg-en-Bresse", department=ain),
        "saint_denis": CommuneFactory(
            code="01344", name="Saint-Denis-lès-Bourg", department=ain, postcodes="01000"
        ),
        "bresse_vallons": CommuneFactory(
            code="01095", name="Bourg-en-Bresse-Nord", department=ain, postcodes="01000"
        ),
        "chatillon": CommuneFactory(
            code="01093", name="Châtillon-sur-Chalaronne", department=ain, postcodes="01400"
        ),
    }


def test_the_whole_name_typed_loosely_is_the_commune(communes):
    assert resolve_commune("bourg en bresse") == communes["bourg"]
    assert resolve_commune("BOURG-EN-BRESSE") == communes["bourg"]
    assert resolve_commune("chatillon sur chalaronne") == communes["chatillon"]
    assert resolve_commune("Bourg-en-Bresse (01053)") == communes["bourg"]
    assert resolve_commune("01093") == communes["chatillon"]


def test_a_shared_postcode_lists_its_communes(communes):
    with pytest.raises(ValidationError) as error:
        resolve_commune("01000")
    message = error.value.messages[0]
    assert "Plusieurs communes correspondent à « 01000 »" in message
    assert "Bourg-en-Bresse-Nord (01095)" in message and "Saint-Denis-lès-Bourg (01344)" in message


def test_nothing_matching_is_said(communes):
    with pytest.raises(ValidationError, match="Aucune commune ne correspond à « Atlantide »"):
        resolve_commune("Atlantide")
