"""Benchmark settings: production-like (no debug), loopback only, PostgreSQL and Redis.

Used by bench/run.sh for gunicorn, the Celery worker and the measurement commands.
Second factor and login throttling are off: locust logs in many simulated users.
"""

from iscg.settings.base import *  # noqa: F403
from iscg.settings.base import BASE_DIR, env

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"
OTP_REQUIRED_ROLES: list[str] = []
AXES_ENABLED = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# E-mails land as files: the referral → notification delay is read from their timestamps.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env("BENCH_MAIL_DIR", default=str(BASE_DIR / "bench" / "mail"))
