"""What a web worker loads when it starts: not the libraries only some requests need.

Reproduced before: every gunicorn worker loaded SciPy (about 50 MB beyond NumPy) through
the secrecy audit and WeasyPrint (39 MB) through the PDF module, for requests that
never audit a bilan nor render a PDF (the PDF is rendered by the Celery worker). A web
worker's memory reached 201.6 MB under the bench, over its 200 MB target; one that has
loaded Django, every URL and view now holds about 108 MB instead of 169
(bench/README.md, « Réglages mesurés »).
"""

import os
import subprocess
import sys

from django.conf import settings

LOADED = """
import sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # every view module, as the first request loads them
import iscg.wsgi  # noqa: F401
print(" ".join(sorted(m for m in {modules} if m in sys.modules)))
"""


def test_a_web_worker_starts_without_scipy_or_weasyprint():
    modules = ["scipy.optimize", "scipy.sparse", "weasyprint"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
    result = subprocess.run(
        [sys.executable, "-c", LOADED.format(modules=modules)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )
    assert result.stdout.split() == []
