"""The gunicorn settings the deployment and the benchmark start the web workers with."""

import gc
import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"

pytestmark = pytest.mark.no_db


def test_a_worker_freezes_the_loaded_application_out_of_the_collector():
    hooks = runpy.run_path(str(CONF))
    before = gc.get_freeze_count()
    try:
        hooks["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
