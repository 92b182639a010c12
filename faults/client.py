"""A browser's part: logging in, reading forms and sending them back as they were shown."""

import re
from html.parser import HTMLParser
from pathlib import Path

import requests

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

    def form(self, path: str, index: int = -1) -> dict:
        """The fields of a page's form as the browser would send them untouched."""
        page = self.get(path)
        page.raise_for_status()
        parser = FormParser()
        parser.feed(page.text)
        return parser.forms[index]


class FormParser(HTMLParser):
    """Inputs, checked boxes, selected options and textareas of each <form method=post>."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None
        self._first_option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None or not attrs.get("name") and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self._form[attrs["name"]] = attrs.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self._select, self._first_option = attrs["name"], None
            if "multiple" in attrs:
                self._form[self._select] = []
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            self._first_option = self._first_option if self._first_option is not None else value
            if "selected" in attrs:
                if isinstance(self._form.get(self._select), list):
                    self._form[self._select].append(value)
                else:
                    self._form[self._select] = value
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._form[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self._form[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select:
            self._form.setdefault(self._select, self._first_option or "")
            self._select = None
        elif tag == "textarea":
            if self._textarea and self._form[self._textarea].startswith("\n"):
                self._form[self._textarea] = self._form[self._textarea][1:]
            self._textarea = None
