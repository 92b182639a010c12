"""PDFs fetch nothing but data: URIs and the project's own fonts and stylesheets."""

import base64
import http.server
import io
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from iscg.pdf import FONT_DIR, html_to_pdf, project_url_fetcher

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.no_db
# A 1×1 red PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


def _images(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Counter.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def test_a_pdf_reads_no_file_outside_the_project_and_calls_no_network(server, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    html = f"""<html><head>
        <link rel="stylesheet" href="{server}/style.css">
        <style>@import url("{server}/import.css"); @import url("file:///etc/passwd");</style>
        </head><body>
        <img src="{secret.as_uri()}"><img src="{server}/pixel.png">
        <img src="ftp://127.0.0.1/pixel.png">
        </body></html>"""
    pdf = html_to_pdf(html, base_url=str(tmp_path))
    assert _Counter.hits == []
    assert _images(pdf) == 0


def _font_names(pdf: bytes) -> list[str]:
    fonts = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].get_object()
    return [str(font.get_object()["/BaseFont"]) for font in fonts.values()]


def test_data_uris_and_the_project_fonts_are_served():
    data_uri = "data:image/png;base64," + base64.b64encode(PNG).decode()
    font = FONT_DIR / "Marianne-Regular.woff2"
    html = f"""<html><head><style>
        @font-face {{ font-family: Marianne; src: url("{font.as_uri()}") format("woff2"); }}
        body {{ font-family: Marianne; }}</style></head>
        <body><p>Bilan</p><img src="{data_uri}"></body></html>"""
    pdf = html_to_pdf(html)
    assert _images(pdf) == 1
    assert any("Marianne" in name for name in _font_names(pdf)), _font_names(pdf)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        f"file://{FONT_DIR}/../../../../../../../../etc/passwd",
        f"file://evil.example{FONT_DIR}/Marianne-Regular.woff2",
        "http://127.0.0.1/",
        "https://example.org/x.css",
        "ftp://127.0.0.1/x",
    ],
)
def test_the_fetcher_refuses_anything_else(url):
    with pytest.raises(ValueError):
        project_url_fetcher().fetch(url)


def test_weasyprint_is_called_through_the_project_fetcher_only():
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or path.parts[len(ROOT.parts)] == "tests":
            continue
        if path == ROOT / "iscg" / "pdf.py":
            continue
        if "weasyprint" in path.read_text(encoding="utf-8"):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
