"""PostgreSQL restarting under load: a GET waits and succeeds, anything else gets a 503.

Reproduced before: while PostgreSQL restarted under 20 requests/s, 9 to 25 of 1,200
requests answered 500 (the session, the user or the view's query met a closed
connection). The fault test (``make faults``) measures it on a real restart; here the
session store refuses as PostgreSQL does while it restarts.
"""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from iscg import unavailable
from iscg.session_store import SessionStore
from tests.iscg.factories import UserFactory


@pytest.fixture
def restarting(monkeypatch):
    """The session table unreachable for the next ``failures[0]`` reads."""
    failures = [0]
    calls = []
    while_connecting = [False]
    load = SessionStore.load

    def get_new_connection():
        """Named as Django's: the failure happens while the connection is opened."""
        raise OperationalError("the database system is starting up")

    def flaky_load(self):
        calls.append(1)
        if failures[0] > 0:
            failures[0] -= 1
            if while_connecting[0]:
                get_new_connection()
            raise OperationalError("terminating connection due to administrator command")
        return load(self)

    monkeypatch.setattr(SessionStore, "load", flaky_load)
    monkeypatch.setattr(unavailable.DatabaseRetryMiddleware, "sleep", staticmethod(lambda s: None))
    return failures, calls, while_connecting


@pytest.fixture
def browser(db):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(worker=True))
    return client


def test_a_page_read_while_the_database_restarts_is_served_once_it_is_back(browser, restarting):
    failures, calls, _connecting = restarting
    failures[0] = 2
    response = browser.get(reverse("home"))
    assert response.status_code == 200
    assert len(calls) == 3


def test_a_page_read_while_the_database_stays_down_is_a_503_with_retry_after(
    browser, restarting, monkeypatch
):
    failures, _calls, _connecting = restarting
    failures[0] = 10**6
    clock = iter(range(0, 1000, 2))
    monkeypatch.setattr(unavailable.time, "monotonic", lambda: next(clock))
    response = browser.get(reverse("home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    assert "Service momentanément indisponible" in page
    assert "Rechargez la page" in page
    assert "OperationalError" not in page


def test_a_form_sent_while_the_database_restarts_is_not_sent_twice_and_says_so(browser, restarting):
    failures, calls, _connecting = restarting
    failures[0] = 10**6
    response = browser.post(reverse("sessions_end_others"), {"first_name": "Zoé"})
    assert response.status_code == 503
    assert len(calls) == 1  # a POST is never replayed
    page = response.content.decode()
    assert "Votre envoi n'a pas été enregistré" in page
    assert "ce que vous avez saisi y est encore" in page


def test_a_form_whose_connection_could_not_be_opened_is_sent_once_it_is_back(browser, restarting):
    """Opening the connection failed: no statement ran, the POST can be replayed."""
    failures, calls, while_connecting = restarting
    while_connecting[0] = True
    failures[0] = 2
    response = browser.post(reverse("sessions_end_others"))
    assert response.status_code == 302
    assert len(calls) == 3


def test_other_errors_stay_500(browser, monkeypatch):
    def broken(self):
        raise ValueError("bug")

    monkeypatch.setattr(SessionStore, "load", broken)
    response = browser.get(reverse("home"))
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()


@pytest.mark.no_db
@pytest.mark.parametrize("urlconf", ["iscg.urls", "bench.urls"])
def test_every_root_urlconf_names_the_handler(urlconf):
    """Django reads handler500 from the root URLconf only (bench.urls for the bench and
    make faults): without it, the database restarting was a 500 there."""
    import importlib

    assert importlib.import_module(urlconf).handler500 == "iscg.unavailable.server_error"
