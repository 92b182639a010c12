"""The place of an imported acte is the one the file names, or none.

Reproduced before: each imported acte and contact was given the post's main site, so the
bilan reported places nobody recorded.
"""

from cases.lifecycle.imports import services
from cases.models import Action, AnonymousContact
from tests.cases.lifecycle.test_import_access import _world
from tests.cases.lifecycle_helpers import ACTION_HEADER, action_row, csv_bytes, upload
from tests.iscg.factories import SiteFactory

HEADER = [*ACTION_HEADER, "Lieu d'accueil", "Contact anonyme"]


def _row(site="", anonymous="Non", **overrides):
    return [*action_row(**overrides), site, anonymous]


def _import(worker, post, rows):
    batch, parsed = services.import_preview(
        post=post, uploaded_file=upload("a.csv", csv_bytes(HEADER, rows)), acting_user=worker
    )
    return batch, parsed


def _post_with_sites(post):
    main = SiteFactory(name="Commissariat de Bourg", department=post.employer.department)
    other = SiteFactory(name="Mairie de Nantua", department=post.employer.department)
    post.sites.add(main, other)
    post.main_site = main
    post.save()
    return main, other


def test_an_acte_without_a_place_is_not_given_the_main_site():
    worker, _, _, post = _world()
    _post_with_sites(post)
    batch, _ = _import(worker, post, [_row(), _row(anonymous="Oui", **{"Nom": "", "Prénom": ""})])
    services.import_commit(batch=batch, acting_user=worker)
    assert list(Action.objects.values_list("site", flat=True)) == [None]
    assert list(AnonymousContact.objects.values_list("site", flat=True)) == [None]


def test_the_place_the_file_names_is_kept_accents_and_case_aside():
    worker, _, _, post = _world()
    _main, other = _post_with_sites(post)
    batch, _ = _import(
        worker,
        post,
        [
            _row(site="mairie de nantua"),
            _row(site="MAIRIE DE NANTUA", anonymous="Oui", **{"Nom": "", "Prénom": ""}),
        ],
    )
    services.import_commit(batch=batch, acting_user=worker)
    assert list(Action.objects.values_list("site", flat=True)) == [other.pk]
    assert list(AnonymousContact.objects.values_list("site", flat=True)) == [other.pk]


def test_a_place_the_post_does_not_have_is_reported_on_its_line():
    worker, _, _, post = _world()
    _post_with_sites(post)
    _batch, parsed = _import(worker, post, [_row(site="Gare de Lyon")])
    assert not parsed.is_valid
    messages = [error.message for error in parsed.errors]
    assert any(
        "Lieu d'accueil : « Gare de Lyon » n'est pas un lieu d'accueil du poste "
        "(lieux : Commissariat de Bourg, Mairie de Nantua)." in message
        for message in messages
    ), messages


def test_the_template_offers_the_place_column():
    from cases.lifecycle.imports.columns import ACTION_COLUMNS

    assert "Lieu d'accueil" in [column.header for column in ACTION_COLUMNS]
