"""Settings of the fault suite (``make faults``): the bench's, with real SMTP and quick sweeps.

E-mail goes to the suite's SMTP server (which it stops and starts); retries and the
periodic sweepers run within seconds instead of minutes, so that each fault's recovery
is measured in a bounded time. Everything else is production's behaviour.
"""

import datetime

from iscg.settings.bench import *  # noqa: F403
from iscg.settings.bench import CELERY_BEAT_SCHEDULE, env

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = env.int("EMAIL_PORT")
EMAIL_USE_TLS = False
EMAIL_TIMEOUT = 5
OUTBOX_RETRY_FIRST_SECONDS = 2
OUTBOX_RETRY_MAX_SECONDS = 8
for name in ("flush-outbox", "flush-notifications", "sweep-report-pdfs", "resume-imports"):
    CELERY_BEAT_SCHEDULE[name]["schedule"] = datetime.timedelta(seconds=5)
