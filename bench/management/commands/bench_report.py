"""Collects the benchmark figures, prints one table and writes bench/results.json."""

import csv
import datetime
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import psutil
import requests
from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.pages import pages
from bench.secrecy import secrecy_costs
from iscg.models import Department, Post, User
from reporting import indicators
from reporting.consolidation import consolidate
from reporting.models import Report
from reporting.periods import year_of
from reporting.scope import Scope

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TARGETS = {
    "p95_ms": 100,
    "ratio": 3,
    "queries": 15,
    "indicators_department_s": 0.3,
    "indicators_national_s": 3,
    "pdf_s": 1.5,
    "notification_s": 5,
    "web_rss_mb": 200,
}


class NationalScope(Scope):
    """Every post of every département: what a national observatory would compute."""

    def post_ids(self):
        return Post.objects.values("pk")

    def label(self):
        return "National : tous les départements"


def _locust(prefix: Path) -> dict[str, dict]:
    path = Path(f"{prefix}_stats.csv")
    if not path.exists():
        return {}
    with path.open() as fh:
        return {
            row["Name"]: {
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "count": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
            }
            for row in csv.DictReader(fh)
        }


def _timed(func, repeat=3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return best


class Command(BaseCommand):
    help = "Rassemble les mesures du banc d'essai (bench/run.sh), affiche le tableau, écrit results.json."

    def add_arguments(self, parser):
        parser.add_argument("--targets", default="bench/targets.json")
        parser.add_argument("--locust", default="", help="Préfixe des CSV de locust (u1, u20).")
        parser.add_argument("--base-url", default="")
        parser.add_argument("--gunicorn-pid", type=int, default=0)
        parser.add_argument("--scale", default="")
        parser.add_argument("--output", default="bench/results.json")
        parser.add_argument(
            "--notification-only",
            default="",
            help="Mesure seulement le délai saisine → courriel (avant la charge) dans ce fichier.",
        )
        parser.add_argument("--notification-file", default="")

    def handle(self, *args, **options):
        targets = json.loads(Path(options["targets"]).read_text())
        if options["notification_only"]:
            # Measured on an idle worker: under load the queue holds the load's own mails.
            delay = self._notification_delay(options["base_url"], targets)
            Path(options["notification_only"]).write_text(json.dumps({"notification_s": delay}))
            return
        results = {
            "scale": options["scale"],
            "measured_at": datetime.datetime.now().isoformat(),
            "targets": TARGETS,
            "pages": [],
        }
        one = _locust(Path(options["locust"] + "u1")) if options["locust"] else {}
        twenty = _locust(Path(options["locust"] + "u20")) if options["locust"] else {}
        saturated = _locust(Path(options["locust"] + "sat")) if options["locust"] else {}
        for load, stats in (("u20", twenty), ("saturation", saturated)):
            if "Aggregated" in stats:
                results[f"{load}_requests_per_s"] = stats["Aggregated"]["rps"]
        queries = self._query_counts(targets)
        for page in pages(targets):
            label = page["label"]
            results["pages"].append(
                {
                    "page": label,
                    "queries": queries[label],
                    "u1": one.get(label),
                    "u20": twenty.get(label),
                    "saturation": saturated.get(label),
                }
            )
        bare = next(p for p in results["pages"] if p["page"].startswith("Vue témoin"))
        for page in results["pages"]:
            for load in ("u1", "u20", "saturation"):
                if page[load] and bare[load]:
                    page[load]["ratio"] = round(page[load]["p50"] / max(bare[load]["p50"], 1), 2)
        results.update(self._indicators(targets))
        results.update(self._pdf(targets))
        if options["notification_file"] and Path(options["notification_file"]).exists():
            results.update(json.loads(Path(options["notification_file"]).read_text()))
        if options["gunicorn_pid"]:
            results["web_rss_mb"] = self._web_rss(options["gunicorn_pid"])
        Path(options["output"]).write_text(json.dumps(results, indent=2, ensure_ascii=False))
        self._print(results)

    @mock.patch("reporting.live.KEEP_SECONDS", 0)
    def _query_counts(self, targets) -> dict[str, int]:
        counts = {}
        clients = {}
        for role, account in targets["accounts"].items():
            clients[role] = Client()
            clients[role].force_login(User.objects.get(email=account["email"]))
        for page in pages(targets):
            client = clients[page["role"]]
            # Counted as computed: nothing kept by the load (figures of the live dashboard)
            # is read; the warming GET puts the session back in the cache.
            cache.clear()
            client.get(page["path"]) if page["method"] == "GET" else None  # warm the session
            with CaptureQueriesContext(connection) as context:
                if page["method"] == "GET":
                    response = client.get(page["path"])
                else:
                    response = client.post(page["path"], page["data"])
            ok = response.status_code in (200, 302)
            counts[page["label"]] = len(context) if ok else f"HTTP {response.status_code}"
        return counts

    def _indicators(self, targets) -> dict:
        period = year_of(datetime.date.today().replace(month=1, day=1) - datetime.timedelta(days=1))
        ain = Department.objects.get(pk=targets["department_id"])
        department = _timed(lambda: indicators.compute(Scope.for_department(ain.pk), period))
        consolidated = consolidate(period=period)
        national = _timed(lambda: consolidate(period=period))
        # For the record: the same figures read from the files of every post (no frozen
        # bilan), what the consolidation avoids.
        direct = _timed(lambda: indicators.compute(NationalScope("department", ain.pk), period), 1)
        return {
            "indicators_period": period.short_label(),
            "indicators_department_s": round(department, 3),
            "indicators_national_s": round(national, 3),
            "indicators_national_bilans": len(consolidated.reports),
            "indicators_national_missing": len(consolidated.missing),
            "indicators_national_direct_s": round(direct, 3),
            # Protection (secondary suppression) and audit of the same two bilans.
            "secrecy": secrecy_costs(targets["department_id"]),
        }

    def _pdf(self, targets) -> dict:
        report = (
            Report.objects.filter(department_id=targets["department_id"], kind="annual")
            .order_by("-period_end")
            .first()
        )
        if report is None:
            return {}
        # The peak is read from /proc (VmHWM of the process's own memory), not from
        # getrusage: Linux carries the parent's high-water mark over fork and exec, so
        # ru_maxrss gave this command's own peak (the national consolidation, ~430 MB).
        code = (
            "import re, time; from reporting.models import Report; "
            "from reporting.pdf import render_pdf; "
            f"r = Report.objects.get(pk={report.pk}); render_pdf(r); "
            "t = time.perf_counter(); render_pdf(r); d = time.perf_counter() - t; "
            "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1); "
            "print(d, hwm)"
        )
        out = subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=settings.BASE_DIR,
        ).stdout.split()
        return {"pdf_s": round(float(out[-2]), 3), "pdf_rss_mb": round(int(out[-1]) / 1024, 1)}

    def _notification_delay(self, base_url, targets) -> float | None:
        mail_dir = Path(settings.EMAIL_FILE_PATH)
        mail_dir.mkdir(parents=True, exist_ok=True)
        before = set(mail_dir.iterdir())
        account = targets["accounts"]["unit_agent"]
        session = requests.Session()
        page = session.get(f"{base_url}/compte/connexion/")
        session.post(
            f"{base_url}/compte/connexion/",
            {
                "username": account["email"],
                "password": account["password"],
                "csrfmiddlewaretoken": CSRF_RE.search(page.text).group(1),
            },
            headers={"Referer": f"{base_url}/compte/connexion/"},
        )
        form = session.get(f"{base_url}/saisines/nouvelle/")
        referral = next(p for p in pages(targets) if p["path"] == "/saisines/nouvelle/")
        started = time.time()
        response = session.post(
            f"{base_url}/saisines/nouvelle/",
            {**referral["data"], "csrfmiddlewaretoken": CSRF_RE.search(form.text).group(1)},
            headers={"Referer": f"{base_url}/saisines/nouvelle/"},
            allow_redirects=False,
        )
        if response.status_code != 302:
            return None
        deadline = started + 30
        while time.time() < deadline:
            new = [p for p in mail_dir.iterdir() if p not in before]
            if new:
                return round(min(p.stat().st_mtime for p in new) - started, 3)
            time.sleep(0.02)
        return None

    def _web_rss(self, pid) -> float:
        peaks = []
        for process in [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]:
            status = Path(f"/proc/{process.pid}/status").read_text()
            peaks.append(int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024)
        return round(max(peaks), 1)

    def _print(self, results):
        def fmt(value, digits=0):
            return "—" if value is None else f"{value:.{digits}f}"

        w = self.stdout.write
        w("")
        w(f"Banc d'essai ISCG — échelle {results['scale'] or '?'} — vu par un utilisateur de l'Ain")
        w(
            f"{'page':<38} {'requêtes':>8} {'p50 1u':>7} {'p95 1u':>7} {'p50 20u':>8} {'p95 20u':>8} {'×témoin':>8}"
        )
        for page in results["pages"]:
            one, twenty = page["u1"] or {}, page["u20"] or {}
            w(
                f"{page['page'][:38]:<38} {page['queries']!s:>8} {fmt(one.get('p50')):>7} "
                f"{fmt(one.get('p95')):>7} {fmt(twenty.get('p50')):>8} {fmt(twenty.get('p95')):>8} "
                f"{fmt(twenty.get('ratio'), 2):>8}"
            )
        w(
            "(latences en millisecondes ; ×témoin : médiane à 20 utilisateurs / médiane de la vue témoin)"
        )
        w(
            f"20 utilisateurs : {fmt(results.get('u20_requests_per_s'), 1)} requêtes/s. "
            f"Saturation (20 utilisateurs sans temps de lecture) : "
            f"{fmt(results.get('saturation_requests_per_s'), 1)} requêtes/s"
        )
        w(f"{'page':<38} {'p50 sat.':>9} {'p95 sat.':>9} {'×témoin':>8}")
        for page in results["pages"]:
            saturated = page.get("saturation") or {}
            w(
                f"{page['page'][:38]:<38} {fmt(saturated.get('p50')):>9} "
                f"{fmt(saturated.get('p95')):>9} {fmt(saturated.get('ratio'), 2):>8}"
            )
        w("")
        w(
            f"Indicateurs d'un bilan annuel ({results.get('indicators_period')}) : "
            f"département {fmt(results.get('indicators_department_s'), 3)} s, "
            f"national {fmt(results.get('indicators_national_s'), 3)} s "
            f"(consolidation de {results.get('indicators_national_bilans')} bilans annuels "
            f"validés, {results.get('indicators_national_missing')} employeur(s) sans bilan ; "
            f"lu directement dans les dossiers de tous les postes : "
            f"{fmt(results.get('indicators_national_direct_s'), 3)} s)"
        )
        w(
            f"PDF annuel : {fmt(results.get('pdf_s'), 3)} s, mémoire maximale du processus "
            f"{fmt(results.get('pdf_rss_mb'), 1)} Mo"
        )
        w(
            f"Saisine → courriel de notification (worker Celery réel) : "
            f"{fmt(results.get('notification_s'), 3)} s"
        )
        w(f"Mémoire maximale d'un processus web : {fmt(results.get('web_rss_mb'), 1)} Mo")
