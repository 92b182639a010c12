"""A guard for the commands that write invented data: demo accounts, bench datasets.

Run against a production database they would create ``admin@demo.iscg.fr`` with the
public demo password and no second-factor device. They run only with DEBUG on (a
development machine) or when the operator says in so many words that the database is
not a production one.
"""

from django.conf import settings
from django.core.management.base import CommandError

FLAG = "--i-know-this-is-not-production"


def add_not_production_flag(parser) -> None:
    parser.add_argument(
        FLAG,
        action="store_true",
        dest="not_production",
        help="Confirme que la base n'est pas une base de production (nécessaire sans DEBUG).",
    )


def refuse_in_production(options, command_name: str) -> None:
    if settings.DEBUG or options.get("not_production"):
        return
    raise CommandError(
        f"{command_name} écrit des données fictives (comptes de démonstration au mot de passe "
        "public) : refusé sans DEBUG. Sur une base qui n'est pas de production, relancez avec "
        f"{FLAG}."
    )
