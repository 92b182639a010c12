"""Each fault of the reliability table, injected on the running stack and measured.

A scenario returns a Result: what was measured, the target, and whether it was met.
"""

import datetime
import subprocess
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import psycopg

from faults.client import Browser
from faults.stack import Stack


@dataclass
class Result:
    fault: str
    measured: str
    target: str
    passed: bool


def sql(stack: Stack, query: str, *params):
    url = f"postgresql://postgres@127.0.0.1:{stack.ports['pg']}/iscg"
    with psycopg.connect(url, connect_timeout=10) as conn:
        return conn.execute(query, params).fetchall()


def wait_until(predicate, timeout: float, step: float = 0.5) -> float | None:
    """Seconds until predicate() held, or None after timeout."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(step)
    return None


def referral_ids(stack: Stack) -> tuple:
    """The unit agent's unit and a problem of the reference list."""
    return sql(
        stack,
        "SELECT m.unit_id, (SELECT id FROM cases_problem WHERE code = 'violences-conjugales') "
        "FROM iscg_membership m JOIN iscg_user u ON u.id = m.user_id WHERE u.email = %s",
        "policier@demo.iscg.fr",
    )[0]


def referral_form(stack: Stack, agent: Browser, ids: tuple | None = None) -> dict:
    """A new saisine's form as shown (with its one-submission token), filled in."""
    data = agent.form("/saisines/nouvelle/")
    unit, problem = ids or referral_ids(stack)
    data.update(
        {
            "person_last_name": "Panne",
            "person_first_name": "Essai",
            "person_phone": "06 00 00 00 00",
            "person_sex": "F",
            "person_age": "34",
            "person_commune": "01053",
            "unit": str(unit),
            "circumstance": "intervention",
            "main_problem": str(problem),
            "procedure_kind": "none",
            "consent_to_contact": "yes",
            "urgency": "normal",
            "context": "Saisine de l'essai de pannes.",
        }
    )
    return data


def emails_since(stack: Stack, since: datetime.datetime):
    return sql(
        stack,
        "SELECT recipient, subject, status FROM outbox_outgoingemail WHERE created_at >= %s",
        since,
    )


def delivery(stack: Stack, since: datetime.datetime, timeout: float) -> tuple:
    """Waits for every e-mail written since ``since`` to reach the SMTP server."""

    def all_sent():
        pending = sql(
            stack,
            "SELECT count(*) FROM cases_notification WHERE created_at >= %s AND status = 'pending'",
            since,
        )[0][0]
        rows = emails_since(stack, since)
        return not pending and rows and all(status == "sent" for _r, _s, status in rows)

    waited = wait_until(all_sent, timeout)
    expected = Counter((r, s) for r, s, _status in emails_since(stack, since))
    received = Counter(pair for pair in stack.mail.received if pair in expected)
    twice = sum(1 for pair, n in received.items() if n > 1)
    missing = sum(1 for pair in expected if received[pair] == 0)
    return waited, len(expected), sum(received.values()), twice, missing


def redis_down(stack: Stack) -> list[Result]:
    agent, worker, manager = (Browser(stack.url, r) for r in ("unit_agent", "worker", "manager"))
    since = datetime.datetime.now(datetime.UTC)
    stack.stop_redis()
    failed = 0
    pages = [
        (worker, "/"),
        (worker, "/accompagnements/beneficiaires/"),
        (agent, "/saisines/unite/"),
        (manager, "/"),
        (manager, "/bilans/statistiques/"),
        (manager, "/bilans/"),
    ]
    requests_made = 0
    for _ in range(3):
        for browser, path in pages:
            requests_made += 1
            failed += browser.get(path).status_code >= 500
    fresh = Browser(stack.url)
    requests_made += 1
    failed += fresh.login("intervenante@demo.iscg.fr").status_code != 302
    referrals = 20
    for _ in range(referrals):
        requests_made += 1
        response = agent.post("/saisines/nouvelle/", referral_form(stack, agent))
        failed += response.status_code != 302
    stack.start_redis()
    waited, expected, received, twice, missing = delivery(stack, since, timeout=120)
    events = sql(
        stack,
        "SELECT count(*) FILTER (WHERE status = 'sent'), count(*) FROM cases_notification "
        "WHERE created_at >= %s",
        since,
    )[0]
    return [
        Result(
            "Redis arrêté",
            f"{failed} requête(s) en échec sur {requests_made} ({referrals} saisines, "
            "connexion, statistiques, listes)",
            "0",
            failed == 0,
        ),
        Result(
            "Redis revenu",
            f"{events[0]} saisine(s) notifiée(s) sur {events[1]} : {received} courriel(s) "
            f"reçu(s) pour {expected} attendu(s), {twice} en double, {missing} manquant(s), "
            + (f"en {waited:.0f} s" if waited is not None else "délai de 120 s dépassé"),
            "chaque courriel une fois",
            waited is not None and twice == 0 and missing == 0 and events[0] == referrals,
        ),
    ]  # fmt: skip


def smtp_down(stack: Stack) -> list[Result]:
    agent = Browser(stack.url, "unit_agent")
    since = datetime.datetime.now(datetime.UTC)
    stack.stop_smtp()
    for _ in range(5):
        agent.post("/saisines/nouvelle/", referral_form(stack, agent))
    anonymous = Browser(stack.url)
    form = anonymous.form("/compte/mot-de-passe/oubli/")
    form["email"] = "intervenante@demo.iscg.fr"
    anonymous.post("/compte/mot-de-passe/oubli/", form)
    time.sleep(8)  # the first attempts fail and are recorded
    rows = sql(
        stack,
        "SELECT count(*), count(*) FILTER (WHERE status = 'sent'), max(attempts) "
        "FROM outbox_outgoingemail WHERE created_at >= %s",
        since,
    )[0]
    written, sent_while_down, attempts = rows
    stack.start_smtp()
    waited, expected, received, twice, missing = delivery(stack, since, timeout=120)
    return [
        Result(
            "SMTP injoignable",
            f"{written} courriel(s) en attente, {sent_while_down} dit(s) envoyé(s), "
            f"jusqu'à {attempts} tentative(s) comptée(s)",
            "aucun dit envoyé",
            sent_while_down == 0 and written > 0 and (attempts or 0) >= 1,
        ),
        Result(
            "SMTP revenu",
            f"{received} reçu(s) sur {expected}, {twice} en double, {missing} manquant(s)"
            + (f", en {waited:.0f} s" if waited is not None else ", délai dépassé"),
            "chaque courriel une fois",
            waited is not None and twice == 0 and missing == 0,
        ),
    ]


def worker_killed(stack: Stack) -> list[Result]:
    manager = Browser(stack.url, "manager")
    candidates = sql(
        stack,
        "SELECT r.id FROM reporting_report r JOIN iscg_employer e ON e.id = r.employer_id "
        "WHERE NOT EXISTS (SELECT 1 FROM reporting_report n WHERE n.previous_version_id = r.id)"
        " ORDER BY r.id",
    )
    new_id = None
    for (report_id,) in candidates:
        response = manager.post(
            f"/bilans/{report_id}/nouvelle-version/", {}, referer=f"/bilans/{report_id}/"
        )
        location = response.headers.get("Location", "")
        if response.status_code == 302 and location.rstrip("/").split("/")[-1].isdigit():
            new_id = int(location.rstrip("/").split("/")[-1])
            if new_id != report_id:
                break
    if new_id is None:
        return [Result("Worker tué pendant un PDF", "aucun bilan à recalculer", "—", False)]

    def state():
        return sql(stack, "SELECT generation_state FROM reporting_report WHERE id = %s", new_id)[0][
            0
        ]

    caught = wait_until(lambda: state() == "running", timeout=60, step=0.02)
    stack.kill_worker()
    after_kill = state()
    time.sleep(3)
    stack.start_worker()
    made = wait_until(lambda: state() == "done", timeout=90)
    return [
        Result(
            "Worker tué pendant un PDF",
            f"tué {'en cours de rendu' if caught is not None else 'avant le rendu'} "
            f"(état « {after_kill} ») ; PDF fait "
            + (f"{made:.0f} s après le retour du worker" if made is not None else "jamais"),
            "≤ 60 s après son retour",
            made is not None and made <= 60,
        )
    ]


def postgres_restart(stack: Stack) -> list[Result]:
    browsers = {role: Browser(stack.url, role) for role in ("worker", "unit_agent", "manager")}
    case_id = sql(
        stack,
        "SELECT c.id FROM cases_case c JOIN iscg_postholding h ON h.post_id = c.post_id "
        "JOIN iscg_user u ON u.id = h.worker_id WHERE u.email = %s AND c.closed_on IS NULL "
        "ORDER BY c.id LIMIT 1",
        "intervenante@demo.iscg.fr",
    )[0][0]
    gets = [
        ("worker", "/"),
        ("worker", f"/accompagnements/dossiers/{case_id}/"),
        ("worker", "/accompagnements/beneficiaires/"),
        ("unit_agent", "/saisines/unite/"),
        ("manager", "/bilans/statistiques/"),
        ("manager", "/"),
    ]
    outcomes = []
    stop = time.monotonic() + 20

    ids = referral_ids(stack)
    posting = Browser(stack.url, "unit_agent")  # its own session: threads share none

    def send_referral():
        form = referral_form(stack, posting, ids)
        response = posting.post("/saisines/nouvelle/", form)
        return 302 if response.status_code == 302 else 500  # a form error or refusal fails

    def load(index):
        role, path = gets[index % len(gets)] if index < len(gets) else (None, None)
        outcomes_local = []
        while time.monotonic() < stop:
            start = time.monotonic()
            try:
                status = browsers[role].get(path).status_code if role else send_referral()
            except Exception:  # noqa: BLE001 - a refused or reset connection is a failure
                status = 0
            outcomes_local.append(status)
            time.sleep(max(0.0, 0.5 - (time.monotonic() - start)))
        return outcomes_local

    # Six readers and one unit agent sending a saisine every half second.
    with ThreadPoolExecutor(max_workers=len(gets) + 1) as pool:
        futures = [pool.submit(load, i) for i in range(len(gets) + 1)]
        time.sleep(6)
        stack.restart_postgres()
        for future in futures:
            outcomes.extend(future.result())
    failed = sum(1 for status in outcomes if status == 0 or status >= 500)
    return [
        Result(
            "PostgreSQL redémarré",
            f"{failed} requête(s) en échec sur {len(outcomes)} "
            f"({len(outcomes) / 20:.0f} par seconde dont une saisine par demi-seconde, "
            "3 workers web)",
            "≤ 1 par worker web (3)",
            failed <= 3,
        )
    ]


def server_lost(stack: Stack) -> list[Result]:
    """The nightly backup of the demo, restored apart and compared with its manifest."""
    stack.manage("backup")
    try:
        check = stack.manage("restore_check").stdout.strip().splitlines()
    except subprocess.CalledProcessError as error:
        return [Result("Serveur perdu", (error.stderr or "").strip()[-300:], "identique", False)]
    return [Result("Serveur perdu (sauvegarde restaurée)", " ".join(check), "identique", True)]
