"""ISCG as in production, on loopback and spare ports, with every part stoppable.

Its own PostgreSQL cluster (initdb in a scratch folder), its own Redis, an SMTP server
(aiosmtpd) that records what it receives, gunicorn with three workers, a Celery worker
and beat. Nothing of the machine's own services is touched; everything is stopped and
the scratch folder removed at the end.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
LOOPBACK = "127.0.0.1"


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex((LOOPBACK, port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"Rien n'écoute sur le port {port} après {timeout} s.")


def _pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(found[-1]) if found else name


class MailRecorder:
    """aiosmtpd handler: every message received, by recipient and subject."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        subject = message_from_bytes(envelope.content, policy=policy.default).get("Subject", "")
        for recipient in envelope.rcpt_tos:
            self.received.append((recipient, str(subject)))
        return "250 Message accepted for delivery"


class Stack:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="iscg-faults-"))
        self.ports = {name: spare_port() for name in ("pg", "redis", "smtp", "web")}
        self.processes: dict[str, subprocess.Popen] = {}
        self.mail = MailRecorder()
        self.smtp = None
        self.as_postgres = os.geteuid() == 0  # PostgreSQL refuses to run as root
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "iscg.settings.faults",
            "DATABASE_URL": f"postgres://postgres@{LOOPBACK}:{self.ports['pg']}/iscg",
            "REDIS_URL": f"redis://{LOOPBACK}:{self.ports['redis']}/0",
            "EMAIL_PORT": str(self.ports["smtp"]),
            "PRIVATE_STORAGE_ROOT": str(self.dir / "private"),
            "BENCH_MAIL_DIR": str(self.dir / "mail"),
            "BACKUP_ROOT": str(self.dir / "backups"),
            "PYTHONUNBUFFERED": "1",
        }

    # --- PostgreSQL ------------------------------------------------------------------
    def _pg(self, *args, check=True):
        command = [_pg_bin(args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, timeout=60)

    def start_postgres(self):
        data = self.dir / "pg"
        data.mkdir()
        if self.as_postgres:
            shutil.chown(self.dir, "postgres")
            shutil.chown(data, "postgres")
        self._pg("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self._pg_ctl("start")
        subprocess.run(
            ["psql", "-h", LOOPBACK, "-p", str(self.ports["pg"]), "-U", "postgres"]
            + ["-qc", "CREATE DATABASE iscg"],
            check=True,
            capture_output=True,
            timeout=30,
        )

    def _pg_ctl(self, action: str):
        options = f"-p {self.ports['pg']} -k {self.dir} -c listen_addresses={LOOPBACK}"
        self._pg(
            "pg_ctl", "-D", str(self.dir / "pg"), "-l", str(self.dir / "pg.log"),
            "-o", options, "-w", "-m", "fast", action,
        )  # fmt: skip

    def restart_postgres(self):
        self._pg_ctl("restart")

    # --- Redis -----------------------------------------------------------------------
    def start_redis(self):
        self._spawn(
            "redis",
            ["redis-server", "--port", str(self.ports["redis"]), "--bind", LOOPBACK]
            + ["--save", "", "--appendonly", "no"],
        )
        wait_for_port(self.ports["redis"])

    def stop_redis(self):
        self._stop("redis")

    # --- SMTP ------------------------------------------------------------------------
    def start_smtp(self):
        self.smtp = Controller(self.mail, hostname=LOOPBACK, port=self.ports["smtp"])
        self.smtp.start()

    def stop_smtp(self):
        if self.smtp is not None:
            self.smtp.stop()
            self.smtp = None

    # --- ISCG ------------------------------------------------------------------------
    def manage(self, *args, timeout=300):
        return subprocess.run(
            [str(VENV_BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start_web(self):
        self._spawn(
            "web",
            [str(VENV_BIN / "gunicorn"), "iscg.wsgi:application", "--workers", "3"]
            + ["--bind", f"{LOOPBACK}:{self.ports['web']}", "--timeout", "60"],
        )
        wait_for_port(self.ports["web"])

    def start_worker(self):
        self._spawn(
            "worker",
            [str(VENV_BIN / "celery"), "-A", "iscg", "worker", "--concurrency", "2"]
            + ["-n", "celery@faults-worker", "-l", "info"],
        )

    def kill_worker(self):
        """SIGKILL to the worker and its pool: as a crash or the OOM killer would."""
        process = self.processes.pop("worker")
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def start_beat(self):
        self._spawn(
            "beat",
            [str(VENV_BIN / "celery"), "-A", "iscg", "beat", "-l", "info"]
            + ["--schedule", str(self.dir / "beat-schedule")],
        )

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.ports['web']}"

    # --- processes -------------------------------------------------------------------
    def _spawn(self, name: str, command: list):
        log = (self.dir / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def _stop(self, name: str):
        process = self.processes.pop(name, None)
        if process is None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def log(self, name: str) -> str:
        path = self.dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def close(self, keep: bool = False):
        for name in list(self.processes):
            self._stop(name)
        self.stop_smtp()
        if (self.dir / "pg" / "postmaster.pid").exists():
            self._pg_ctl("stop")
        if not keep:
            shutil.rmtree(self.dir, ignore_errors=True)
