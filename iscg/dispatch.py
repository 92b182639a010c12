"""Handing a task to Celery without ever failing the request that asked for it.

The work a task does is always recorded first in the database (an outbox row, a bilan
"en attente"): if the broker is unreachable the dispatch is logged and dropped, and the
periodic sweepers (``flush_outbox``, ``sweep_report_pdfs``…) hand it over again later.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from iscg import background

logger = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, RedisError, OSError)


def dispatch(task, *args, **kwargs) -> bool:
    """Sends the task now; False (and a warning) if the broker could not take it.

    Without a broker, a web process runs it in its task thread (iscg.background)."""
    if background.in_thread():
        background.submit(task, args, kwargs)
        return True
    try:
        task.apply_async(args, kwargs)
    except BROKER_ERRORS as error:
        logger.warning("Broker unreachable, %s left to its sweeper: %s", task.name, error)
        return False
    return True


def dispatch_on_commit(task, *args, **kwargs) -> None:
    """Sends the task once the current transaction commits (never if it rolls back)."""
    transaction.on_commit(lambda: dispatch(task, *args, **kwargs))
