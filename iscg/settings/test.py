"""Test settings: fast hashing, local memory e-mail, the same security rules."""

from iscg.settings.base import *  # noqa: F403
from iscg.settings.base import BASE_DIR, DATABASES, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PRIVATE_STORAGE_ROOT = env("PRIVATE_STORAGE_ROOT", default=str(BASE_DIR / ".test-private"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT, "base_url": "/private-not-served/"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=[])
AXES_ENABLED = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "CRITICAL"}}
# Tasks run in the test process even when REDIS_URL gives a real cache: the suite has no
# worker. The outbox tests simulate an unreachable broker; bench/ measures a real worker.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# One process: its own cache is the one every request reads (iscg.organisation_version).
ORGANISATION_BLOCKS_CACHED = True
# The suite runs beside another on the same cores (.ci/run): a request's protection
# deadline (reporting.secrecy.deadline) would make its results depend on the machine's
# load. The deadline's own tests set it back.
SECRECY_INLINE_SECONDS = 600.0
