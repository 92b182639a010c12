"""Gunicorn settings, read from the working directory (docker-compose.yml, bench/run.sh)."""

import gc


def post_worker_init(worker):
    """Once a worker has loaded Django, its modules, models and settings live as long as
    the worker: ``gc.freeze()`` moves them out of the cyclic garbage collector's reach, so
    that a full collection walks only what requests create, not the whole loaded
    application on whichever request triggers it (bench/README.md, « Réglages mesurés »)."""
    gc.freeze()
