"""Login lockout on the (account, client address) pair, and which address is the client's.

Each scenario was reproduced on the demo with the lockout keyed on the account or the
address alone, and with a success that erased every failure from its address.
"""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from iscg.client_ip import client_ip
from tests.iscg.factories import PASSWORD, UserFactory

WRONG = "mauvais-mot-de-passe"
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
NAT = "192.0.2.10"


def _login(client, email, password=PASSWORD, ip=ATTACKER, **extra):
    client.logout()
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip, **extra
    )


def test_an_attackers_own_successes_do_not_clear_the_failures_on_another_account(client):
    victim = UserFactory(worker=True)
    attacker = UserFactory(unit_agent=True)
    statuses = []
    for attempt in range(12):
        statuses.append(_login(client, victim.email, WRONG).status_code)
        if attempt % 2:
            assert _login(client, attacker.email).status_code == 302
    assert statuses[:4] == [200] * 4
    assert set(statuses[4:]) == {429}
    # Locked from the attacker's address, even with the right password.
    assert _login(client, victim.email).status_code == 429


def test_failures_on_an_unknown_account_do_not_lock_the_others_behind_the_same_address(client):
    colleague = UserFactory(worker=True)
    for _ in range(6):
        _login(client, "personne@inconnu.gouv.fr", WRONG, ip=NAT)
    assert _login(client, "personne@inconnu.gouv.fr", PASSWORD, ip=NAT).status_code == 429
    assert _login(client, colleague.email, ip=NAT).status_code == 302


def test_a_stranger_cannot_lock_an_account_for_its_owner(client):
    owner = UserFactory(worker=True)
    for _ in range(5):
        _login(client, owner.email, WRONG, ip=ATTACKER)
    assert _login(client, owner.email, ip=ATTACKER).status_code == 429
    assert _login(client, owner.email, ip=OWNER).status_code == 302


def test_a_success_clears_only_its_own_pairs_failures(client):
    owner = UserFactory(worker=True)
    for _ in range(4):
        _login(client, owner.email, WRONG, ip=ATTACKER)
    assert _login(client, owner.email, ip=OWNER).status_code == 302
    # The four failures from the other address are still counted: the fifth locks.
    assert _login(client, owner.email, WRONG, ip=ATTACKER).status_code == 429
    # From its own address, a success does clear that pair's failures.
    for _ in range(4):
        _login(client, owner.email, WRONG, ip=OWNER)
    assert _login(client, owner.email, ip=OWNER).status_code == 302
    for _ in range(4):
        assert _login(client, owner.email, WRONG, ip=OWNER).status_code == 200


def test_changing_the_case_of_the_email_does_not_buy_more_attempts(client):
    owner = UserFactory(worker=True, email="prenom.nom@example.gouv.fr")
    for email in ("prenom.nom@example.gouv.fr", "Prenom.Nom@example.gouv.fr") * 2:
        _login(client, email, WRONG)
    assert _login(client, "PRENOM.NOM@example.gouv.fr", WRONG).status_code == 429
    assert _login(client, owner.email).status_code == 429


@pytest.mark.no_db
@pytest.mark.parametrize(
    "trusted, remote, forwarded, expected",
    [
        # No proxy configured: the header is the client's own writing, never read.
        ([], ATTACKER, "10.9.9.9", ATTACKER),
        # From the trusted proxy: the right-most address the proxy did not add itself.
        (["172.30.0.10"], "172.30.0.10", f"10.9.9.9, {OWNER}", OWNER),
        (["172.30.0.0/24"], "172.30.0.10", OWNER, OWNER),
        # A chain of trusted proxies (a load balancer in front of nginx).
        (["172.30.0.10", "10.0.0.5"], "172.30.0.10", f"{OWNER}, 10.0.0.5", OWNER),
        # Not from a trusted proxy: the header is ignored.
        (["172.30.0.10"], ATTACKER, OWNER, ATTACKER),
        # A malformed hop stops the walk at the last address a trusted proxy vouched for.
        (["172.30.0.10"], "172.30.0.10", "pas-une-adresse", "172.30.0.10"),
        (["172.30.0.10"], "172.30.0.10", "", "172.30.0.10"),
    ],
)
def test_the_client_address_is_read_through_trusted_proxies_only(
    settings, trusted, remote, forwarded, expected
):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_behind_the_proxy_each_client_has_its_own_lockout(client, settings):
    settings.TRUSTED_PROXIES = ["172.30.0.10"]
    owner = UserFactory(worker=True)
    proxy = {"ip": "172.30.0.10"}
    for _ in range(5):
        _login(client, owner.email, WRONG, HTTP_X_FORWARDED_FOR=ATTACKER, **proxy)
    assert _login(client, owner.email, HTTP_X_FORWARDED_FOR=ATTACKER, **proxy).status_code == 429
    # A forged header in front of the proxy's own does not make the attacker the owner.
    forged = f"{OWNER}, {ATTACKER}"
    assert _login(client, owner.email, HTTP_X_FORWARDED_FOR=forged, **proxy).status_code == 429
    assert _login(client, owner.email, HTTP_X_FORWARDED_FOR=OWNER, **proxy).status_code == 302
