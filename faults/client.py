"""A browser's part: logging in, reading forms and sending them back as they were shown."""

import re
from pathlib import Path

import requests

from tests.forms.form_pages import as_displayed, post_forms

# The demo's password, read from where the demo defines it (the suite runs outside Django).
DEMO_PASSWORD = re.search(
    r'^DEMO_PASSWORD = "([^"]+)"',
    (Path(__file__).resolve().parents[1] / "iscg" / "demo.py").read_text(encoding="utf-8"),
    re.MULTILINE,
).group(1)

TIMEOUT = 30
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ACCOUNTS = {
    "worker": "intervenante@demo.iscg.fr",
    "unit_agent": "policier@demo.iscg.fr",
    "manager": "employeur@demo.iscg.fr",
    "prefecture": "prefecture@demo.iscg.fr",
    "admin": "admin@demo.iscg.fr",
}


class Browser:
    def __init__(self, base_url: str, role: str | None = None):
        self.base = base_url
        self.session = requests.Session()
        if role:
            self.login(ACCOUNTS[role])

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.session.get(self.base + path, timeout=TIMEOUT, allow_redirects=False, **kwargs)

    def post(self, path: str, data, referer: str | None = None) -> requests.Response:
        if "csrfmiddlewaretoken" not in data:
            data = {**data, "csrfmiddlewaretoken": self.session.cookies.get("csrftoken", "")}
        return self.session.post(
            self.base + path,
            data,
            timeout=TIMEOUT,
            allow_redirects=False,
            headers={"Referer": self.base + (referer or path)},
        )

    def login(self, email: str) -> requests.Response:
        page = self.get("/compte/connexion/")
        response = self.post(
            "/compte/connexion/",
            {
                "username": email,
                "password": DEMO_PASSWORD,
                "csrfmiddlewaretoken": CSRF_RE.search(page.text).group(1),
            },
        )
        if response.status_code != 302:
            raise RuntimeError(f"Connexion refusée pour {email} : HTTP {response.status_code}")
        return response

    def form(self, path: str) -> dict:
        """The fields of the page's own form as the browser would send them untouched
        (read by the parser the property test of every form uses)."""
        page = self.get(path)
        page.raise_for_status()
        return as_displayed(post_forms(page.text, path)[-1])
