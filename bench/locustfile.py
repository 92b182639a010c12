"""Locust scenario: each simulated user holds one session per role and loops over the pages.

Run by bench/run.sh, headless, against gunicorn on loopback only, bounded in time.
"""

import json
import os
import re
from pathlib import Path

from locust import HttpUser, between, task
from locust.clients import HttpSession

from bench.pages import pages

TARGETS = json.loads(Path(os.environ.get("BENCH_TARGETS", "bench/targets.json")).read_text())
PAGES = pages(TARGETS)
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# Seconds a user waits between two pages, "min,max": bench/run.sh sets it per load level
# (a short wait for one user and for the saturation run, a person's reading time for the
# twenty users).
THINK = [float(s) for s in os.environ.get("BENCH_THINK", "0.05,0.2").split(",")]


class BenchUser(HttpUser):
    wait_time = between(*THINK)

    def on_start(self):
        self.sessions = {}
        for role, account in TARGETS["accounts"].items():
            session = HttpSession(self.host, self.environment.events.request, self)
            page = session.get("/compte/connexion/", name="connexion")
            session.post(
                "/compte/connexion/",
                {
                    "username": account["email"],
                    "password": account["password"],
                    "csrfmiddlewaretoken": CSRF_RE.search(page.text).group(1),
                },
                headers={"Referer": self.host + "/compte/connexion/"},
                name="connexion",
            )
            self.sessions[role] = session
        self.index = 0

    @task
    def next_page(self):
        page = PAGES[self.index % len(PAGES)]
        # A user's first lap runs while the other users still sign in (four password
        # hashes each, ~0.3 s of CPU apiece): it is counted apart, not as the page's latency.
        first_lap = self.index < len(PAGES)
        name = f"{page['label']} (premier passage)" if first_lap else page["label"]
        self.index += 1
        client = self.sessions[page["role"]]
        if page["method"] == "GET":
            with client.get(page["path"], name=name, catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")
            return
        form_url = page["path"].replace("actes/nouveau/", "")
        token = CSRF_RE.search(client.get(form_url, name="(formulaire avant POST)").text)
        data = {**page["data"], "csrfmiddlewaretoken": token.group(1) if token else ""}
        with client.post(
            page["path"],
            data,
            name=name,
            catch_response=True,
            headers={"Referer": self.host + form_url},
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"HTTP {response.status_code} (formulaire refusé ?)")
