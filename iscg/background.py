"""Tasks of a web process without a broker, run beside the request instead of in it.

Without ``REDIS_URL`` (the embedded default of ``make run``) Celery runs tasks eagerly:
a bilan's PDF (about 1.6 s for the demo's annual bilan, 2026-12-04) or an import's
analysis would then be made inside the request that asked for it. A process serving
pages (``iscg.wsgi``) therefore hands them to one thread of its own, in the order asked,
as a worker would: the page answers at once and shows the task's progress. Management
commands and the tests keep running tasks in place, where the caller waits for them.
The work is recorded in the database before it is dispatched, as with a broker. Without
beat, the sweepers that hand over work left undone run once when such a process starts
(``resume_left_work``): a PDF, an e-mail or an import left "en attente" or "en cours" by
the process before it (a restart, ``runserver`` reloading after a change) is taken up.
"""

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from django.db import close_old_connections, connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None


def serve_tasks_in_thread() -> None:
    """Called by the WSGI entry point of a process without a broker."""
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="iscg-tasks")


# The sweepers of CELERY_BEAT_SCHEDULE that hand over work left undone (e-mails,
# notifications, imports, PDFs); no other worker exists beside this process.
LEFT_WORK = (
    ("outbox.tasks.flush_outbox", {}),
    ("cases.tasks.flush_notifications", {}),
    ("cases.tasks.resume_imports", {}),
    ("reporting.tasks.sweep_report_pdfs", {"alone": True}),
)


def resume_left_work() -> list[Future]:
    """Runs each sweeper once in the task thread (see the module's docstring)."""
    return [submit(import_string(name), (), kwargs) for name, kwargs in LEFT_WORK]


def stop_serving() -> None:
    """Waits for the tasks handed over, then runs tasks in place again (tests)."""
    global _executor
    with _lock:
        executor, _executor = _executor, None
    if executor is not None:
        executor.shutdown(wait=True)


def drain() -> None:
    """Returns once every task handed over so far has run."""
    executor = _executor
    if executor is not None:
        executor.submit(lambda: None).result()


def in_thread() -> bool:
    return _executor is not None


def submit(task, args, kwargs) -> Future:
    """Runs the task in the thread; its failure is logged, as a worker would."""
    executor = _executor
    if executor is None:
        raise RuntimeError("Tasks are run in place in this process.")
    return executor.submit(_run, task, args, kwargs)


def _run(task, args, kwargs) -> None:
    close_old_connections()
    try:
        task.apply(args, kwargs, throw=True)
    except Exception:
        logger.exception("Background task %s failed", task.name)
    finally:
        connections.close_all()
