"""``make faults``: ISCG on its own PostgreSQL, Redis and SMTP, each fault injected in turn.

Prints, for each fault, what was measured beside its target, and exits 1 if one is
missed. Bounded in time (FAULTS_TIMEOUT, 15 min by default); loopback only.
"""

import os
import signal
import sys
import time

from faults import inputs, scenarios
from faults.stack import Stack

SCENARIOS = [
    inputs.two_tabs,
    inputs.fuzz,
    scenarios.redis_down,
    scenarios.smtp_down,
    scenarios.worker_killed,
    scenarios.postgres_restart,
    scenarios.server_lost,
]


def _timeout(signum, frame):
    raise TimeoutError("make faults a dépassé FAULTS_TIMEOUT.")


def main() -> int:
    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(int(os.environ.get("FAULTS_TIMEOUT", 900)))
    started = time.monotonic()
    stack = Stack()
    results = []
    try:
        print(f"Pile d'essai dans {stack.dir} (ports {stack.ports})", flush=True)
        stack.start_postgres()
        stack.start_redis()
        stack.start_smtp()
        stack.manage("migrate", "--noinput", "-v0")
        stack.manage("seed_demo", "--i-know-this-is-not-production")
        stack.start_web()
        stack.start_worker()
        stack.start_beat()
        print(f"Démo chargée, service démarré en {time.monotonic() - started:.0f} s", flush=True)
        for scenario in SCENARIOS:
            begun = time.monotonic()
            try:
                found = scenario(stack)
            except Exception as error:  # noqa: BLE001 - reported as a failed fault, run goes on
                found = [scenarios.Result(scenario.__name__, f"erreur : {error!r}", "—", False)]
            for result in found:
                results.append(result)
                mark = "OK   " if result.passed else "ÉCHEC"
                print(
                    f"{mark} {result.fault} : {result.measured} (cible : {result.target}) "
                    f"[{time.monotonic() - begun:.0f} s]",
                    flush=True,
                )
        served_500 = stack.log("web").count("Internal Server Error")
        print(f"Erreurs 500 journalisées par gunicorn : {served_500}")
    finally:
        keep = any(not r.passed for r in results)
        if keep:
            print(f"Journaux gardés dans {stack.dir}")
        stack.close(keep=keep)
    failed = [r for r in results if not r.passed]
    print(
        f"\n{len(results) - len(failed)} sur {len(results)} cibles tenues "
        f"en {time.monotonic() - started:.0f} s."
    )
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
