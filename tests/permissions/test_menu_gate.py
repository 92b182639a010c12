"""One gate per page, shared with its menu entry: no one is shown a link that answers 403.

Reproduced before: the menu showed a superuser (the technical operator) every entry,
among them the referral, worker and import pages, whose gates refused superusers: eight
links answering 403. Each page now declares its roles once (``iscg.permissions.Roles``),
for its view and its menu entry alike.
"""

import pytest
from django.test import Client

from iscg.navigation import menu_for
from tests.iscg.factories import UserFactory
from tests.permissions.world import ROLES


def _menu_answers(user):
    client = Client()
    client.force_login(user)
    return {
        item["url"]: client.get(item["url"], follow=True).status_code
        for item in menu_for(user, "/")
    }


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_every_menu_link_of_a_role_opens(world, role):
    answers = _menu_answers(world.user(role))
    assert answers, role
    assert {url: code for url, code in answers.items() if code != 200} == {}


def test_the_technical_operator_is_shown_only_the_pages_that_let_them_in(world):
    operator = UserFactory(is_superuser=True, is_staff=True)
    answers = _menu_answers(operator)
    assert {url: code for url, code in answers.items() if code != 200} == {}
    # The administration, conventions and bilans are theirs; files and referrals are not.
    assert "/bilans/" in answers and "/conventions/" in answers
    assert not any(url.startswith(("/saisines", "/accompagnements")) for url in answers)


def test_the_technical_operator_home_names_no_role_and_links_only_to_open_pages(world):
    """Reproduced before: a superuser's home said they were connected as every role and
    showed every role's blocks."""
    import re

    operator = UserFactory(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(operator)
    page = client.get("/").content.decode()
    assert "Vous êtes connecté·e en tant que" not in page
    assert "Compte d'exploitation technique" in page
    main = page[page.index("<main") : page.index("</main>")]
    for url in set(re.findall(r'href="(/[^"#?]*)"', main)):
        assert client.get(url, follow=True).status_code == 200, url
