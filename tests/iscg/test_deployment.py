"""docker-compose.yml: gunicorn only behind the buffering proxy, which says who the client is.

The nginx checks run the real configuration (deploy/nginx/iscg.conf) when an nginx binary
is found (``ISCG_NGINX_BIN`` or the PATH): requests go through it to a small upstream here.
"""

import http.server
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from cases.lifecycle.imports.services import MAX_UPLOAD_BYTES as IMPORT_MAX_BYTES
from conventions.models import PDF_MAX_BYTES

ROOT = Path(__file__).resolve().parents[2]
NGINX_CONF = ROOT / "deploy" / "nginx" / "iscg.conf"
pytestmark = pytest.mark.no_db


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_only_the_proxy_is_published_and_gunicorn_is_on_the_back_network_alone():
    services = _compose()["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    for name in ("web", "worker", "beat", "postgres", "redis"):
        assert services[name]["networks"] == ["back"], name
    assert "front" in services["proxy"]["networks"]
    assert "gunicorn" in services["web"]["command"]


def test_the_trusted_proxy_is_the_proxys_own_address():
    compose = _compose()
    proxy_address = compose["services"]["proxy"]["networks"]["back"]["ipv4_address"]
    trusted = compose["x-app"]["environment"]["TRUSTED_PROXIES"]
    assert trusted == "${TRUSTED_PROXIES:-" + proxy_address + "}"
    assert f"TRUSTED_PROXIES={proxy_address}" in (ROOT / ".env.example").read_text()
    mounts = compose["services"]["proxy"]["volumes"]
    assert "./deploy/nginx/iscg.conf:/etc/nginx/conf.d/default.conf:ro" in mounts


def test_the_proxy_bounds_bodies_and_times_and_sets_the_client_headers():
    conf = NGINX_CONF.read_text(encoding="utf-8")
    size = re.search(r"client_max_body_size (\d+)m;", conf)
    assert size and int(size[1]) * 1024 * 1024 > max(IMPORT_MAX_BYTES, PDF_MAX_BYTES)
    for directive in (
        "client_body_timeout",
        "client_header_timeout",
        "proxy_read_timeout",
        "proxy_send_timeout",
    ):
        assert re.search(rf"{directive} \d+s;", conf), directive
    assert "proxy_request_buffering on;" in conf and "proxy_buffering on;" in conf
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf


def _nginx_binary():
    return os.environ.get("ISCG_NGINX_BIN") or shutil.which("nginx")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Echo(http.server.BaseHTTPRequestHandler):
    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = "\n".join(
            f"{name}: {self.headers.get(name, '')}"
            for name in ("X-Forwarded-For", "X-Forwarded-Proto", "Host")
        ).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def nginx(tmp_path):
    binary = _nginx_binary()
    if not binary:
        pytest.skip("nginx absent : la configuration n'est vérifiée que par sa lecture")
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=localhost", "-keyout", tmp_path / "privkey.pem", "-out", tmp_path / "fullchain.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    http_port, https_port = _free_port(), _free_port()
    conf = NGINX_CONF.read_text(encoding="utf-8")
    conf = conf.replace("server web:8000;", f"server 127.0.0.1:{upstream.server_port};")
    conf = conf.replace("/etc/nginx/tls/", f"{tmp_path}/")
    conf = re.sub(r"listen \[::\]:\d+[^;]*;", "", conf)
    conf = conf.replace("listen 80 ", f"listen 127.0.0.1:{http_port} ")
    conf = conf.replace("listen 443 ", f"listen 127.0.0.1:{https_port} ")
    (tmp_path / "iscg.conf").write_text(conf)
    # As root, nginx's workers would run as "nobody", who cannot write the test's directory.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{user}worker_processes 1; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        "daemon off; events {}\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}; proxy_temp_path {tmp_path};"
        f" fastcgi_temp_path {tmp_path}; uwsgi_temp_path {tmp_path}; scgi_temp_path {tmp_path};"
        f" include {tmp_path}/iscg.conf; }}\n"
    )
    process = subprocess.Popen(
        [binary, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        stderr=subprocess.PIPE,
        env={key: value for key, value in os.environ.items() if key != "NGINX"},
    )
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail(process.stderr.read().decode())
    yield f"https://127.0.0.1:{https_port}", f"http://127.0.0.1:{http_port}"
    process.terminate()
    process.wait(timeout=10)
    upstream.shutdown()


def _request(url, data=None, headers=None):
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), _NoRedirect)
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, "", error.headers


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_the_real_proxy_appends_the_client_and_overwrites_the_scheme(nginx):
    https, http = nginx
    status, body, _ = _request(
        f"{https}/", headers={"X-Forwarded-For": "10.9.9.9", "X-Forwarded-Proto": "http"}
    )
    assert status == 200
    assert "X-Forwarded-For: 10.9.9.9, 127.0.0.1" in body  # ISCG reads the right-most
    assert "X-Forwarded-Proto: https" in body
    status, _, headers = _request(f"{http}/compte/connexion/")
    assert status == 301 and headers["Location"].startswith("https://")


def test_the_real_proxy_refuses_a_body_over_its_limit(nginx):
    https, _ = nginx
    assert _request(f"{https}/", data=b"x" * (1024 * 1024))[0] == 200
    assert _request(f"{https}/", data=b"x" * (22 * 1024 * 1024))[0] == 413


def test_a_nightly_backup_is_kept_on_its_own_volume():
    compose = _compose()
    backup = compose["services"]["backup"]
    assert backup["command"] == "python manage.py backup --daily-at 02:30"
    mounts = backup["volumes"]
    assert "backups:/backups" in mounts
    assert "private:/data/private:ro" in mounts  # read, never written
    assert "backups" in compose["volumes"]
    others = {
        mount.split(":")[0]
        for name, service in compose["services"].items()
        if name != "backup"
        for mount in service.get("volumes", [])
    }
    assert "backups" not in others  # not where the data it protects lives
    assert compose["x-app"]["environment"]["BACKUP_ROOT"] == "/backups"
    assert "postgresql-client-16" in (ROOT / "Dockerfile").read_text()  # the server's pg_dump


def test_the_worker_keeps_its_name_across_restarts():
    """reporting.signals hands over the PDFs a worker of the same name left unfinished."""
    worker = _compose()["services"]["worker"]
    assert "-n celery@iscg-worker" in worker["command"]
