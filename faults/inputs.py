"""Two tabs saving the same record, and hostile addresses and form fields."""

import itertools

from faults.client import Browser
from faults.scenarios import Result, referral_form, sql
from faults.stack import Stack

REFUSED = "modifiée entre-temps"


def _two_tabs(browser: Browser, path: str, first: tuple, second: tuple) -> tuple:
    """Tab 1 saves ``first`` (field, value), then tab 2, opened before, saves ``second``.
    Returns (tab 1's update lost, tab 2 told)."""
    tab1, tab2 = browser.form(path), browser.form(path)
    tab1[first[0]] = first[1]
    tab2[second[0]] = second[1]
    saved = browser.post(path, tab1).status_code == 302
    answer = browser.post(path, tab2)
    told = answer.status_code == 200 and REFUSED in answer.text
    kept = browser.form(path).get(first[0]) == first[1]
    return (not saved or not kept), told


def two_tabs(stack: Stack) -> list[Result]:
    beneficiary = sql(
        stack,
        "SELECT c.beneficiary_id FROM cases_case c JOIN iscg_postholding h "
        "ON h.post_id = c.post_id JOIN iscg_user u ON u.id = h.worker_id "
        "WHERE u.email = %s ORDER BY c.id LIMIT 1",
        "intervenante@demo.iscg.fr",
    )[0][0]
    convention = sql(stack, "SELECT id FROM conventions_convention ORDER BY id LIMIT 1")[0][0]
    edits = [
        (
            Browser(stack.url, "worker"),
            f"/accompagnements/beneficiaires/{beneficiary}/modifier/",
            ("first_name", "Onglet-Un"),
            ("last_name", "Onglet-Deux"),
        ),
        (
            Browser(stack.url, "admin"),
            f"/conventions/{convention}/modifier/",
            ("title", "Titre saisi dans le premier onglet"),
            ("notes", "Note saisie dans le second onglet"),
        ),
    ]
    lost = told = 0
    for browser, path, first, second in edits:
        was_lost, was_told = _two_tabs(browser, path, first, second)
        lost += was_lost
        told += was_told
    return [
        Result(
            "Deux onglets, même fiche",
            f"{lost} mise(s) à jour perdue(s) sur {len(edits)} ; second onglet averti "
            f"{told} fois sur {len(edits)} (fiche d'une personne, convention)",
            "0 perdue",
            lost == 0 and told == len(edits),
        )
    ]


HOSTILE = [
    "99999999999999999999",
    "-1",
    "0",
    "1e309",
    "abc",
    "\x00",
    "a\x00b",
    "é" * 3000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%",
    "../../etc/passwd",
    "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
]
PARAMS = ["page", "year", "q", "status", "post", "unit", "kind", "sort", "period"]


def fuzz(stack: Stack) -> list[Result]:
    lists = {
        "worker": ["/", "/accompagnements/beneficiaires/", "/accompagnements/actes-du-jour/"]
        + ["/saisines/recues/", "/partenaires/", "/bilans/", "/bilans/statistiques/"],
        "unit_agent": ["/saisines/unite/"],
        "admin": ["/conventions/", "/journal-des-acces/", "/administration/comptes/"],
        "prefecture": ["/conventions/", "/conventions/tableau-de-bord/", "/bilans/"],
    }
    statuses = []
    for role, paths in lists.items():
        browser = Browser(stack.url, role)
        for path, param, value in itertools.product(paths, PARAMS, HOSTILE):
            try:
                statuses.append(browser.get(path, params={param: value}).status_code)
            except Exception:  # noqa: BLE001 - a dropped connection counts as a failure
                statuses.append(0)
        for path in paths:  # a NUL byte in the address itself
            statuses.append(browser.get(path + "%00").status_code)
    agent = Browser(stack.url, "unit_agent")
    base = referral_form(stack, agent)
    for field, value in itertools.product(sorted(base), HOSTILE):
        if field == "csrfmiddlewaretoken":
            continue
        statuses.append(agent.post("/saisines/nouvelle/", {**base, field: value}).status_code)
    failures = sum(1 for status in statuses if status == 0 or status >= 500)
    return [
        Result(
            "Adresses et champs hostiles",
            f"{failures} réponse(s) 500 sur {len(statuses)} requêtes",
            "0",
            failures == 0,
        )
    ]
