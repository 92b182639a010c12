"""HTML to PDF (WeasyPrint) with a URL fetcher that reaches nothing but the project's files.

WeasyPrint's default fetcher opens any ``file://``, ``http(s)://`` or ``ftp://`` URL a
document names: a template that one day lets a user's text become a URL would read the
server's files or call the network into the PDF. This fetcher serves ``data:`` URIs and
the files under ``ALLOWED_ROOTS`` (the État's fonts shipped with django-dsfr, the
project's static files); anything else is refused and rendered as missing.
"""

import logging
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dsfr
from django.conf import settings

# WeasyPrint logs each step of each rendering at INFO, the parsing of its own stylesheet
# when imported included: only its warnings are kept, set before it is loaded.
logging.getLogger("weasyprint").setLevel(logging.WARNING)

DSFR_DIST = Path(dsfr.__file__).resolve().parent / "static" / "dsfr" / "dist"
FONT_DIR = DSFR_DIST / "fonts"


def allowed_roots() -> tuple[Path, ...]:
    return (DSFR_DIST.resolve(), (Path(settings.BASE_DIR) / "static").resolve())


def refuse_unless_project_resource(url: str) -> None:
    """Raises ValueError unless ``url`` is a ``data:`` URI or a file of the project's."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return
    if scheme != "file":
        raise ValueError(f"Adresse refusée dans un PDF : {url}")
    if parts.netloc not in ("", "localhost"):
        raise ValueError(f"Fichier distant refusé : {url}")
    path = Path(unquote(parts.path)).resolve()
    if not any(path.is_relative_to(root) for root in allowed_roots()):
        raise ValueError(f"Fichier hors des ressources du projet refusé : {url}")


@cache
def _fetcher_class():
    # Loaded on first use: WeasyPrint (and Pango behind it) takes 39 MB, loaded by the
    # processes that render, not by every web worker that imports this module.
    from weasyprint.urls import URLFetcher

    class ProjectFilesURLFetcher(URLFetcher):
        def __init__(self):
            super().__init__(timeout=5, allowed_protocols={"data", "file"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            refuse_unless_project_resource(url)
            return super().fetch(url, headers)

    return ProjectFilesURLFetcher


def project_url_fetcher():
    """A WeasyPrint URL fetcher serving ``data:`` URIs and the project's files only."""
    return _fetcher_class()()


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    # Loaded on first use, as the fetcher above.
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url, url_fetcher=project_url_fetcher()).write_pdf()
