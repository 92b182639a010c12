"""Settings shared by every environment, read from one django-environ ``env``.

With no environment variable set the application runs on an embedded SQLite
file, runs Celery tasks in-process, prints e-mails to the console and caches in
memory, so that ``make run`` needs nothing else installed.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
# The live statistics' record keys (reporting.indicators.keys): kept when SECRET_KEY is
# rotated, or every perturbed figure would move and several could be averaged back.
CELL_KEY_SECRET = env("CELL_KEY_SECRET", default="") or SECRET_KEY
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
PREFECTURE_NAME = env("PREFECTURE_NAME", default="Préfecture de l'Ain")
# The lines of the Marianne block in the header and footer ("Préfet / de l'Ain").
PREFECTURE_LOGO_LINES = env.list("PREFECTURE_LOGO_LINES", default=["Préfet", "de l'Ain"])
DEPARTMENT_CODE = env("DEPARTMENT_CODE", default="01")

INSTALLED_APPS = [
    # Django's admin, for superusers only (iscg.admin_site).
    "iscg.admin_site.OperatorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "dsfr",
    "widget_tweaks",
    "django_filters",
    "django_htmx",
    "guardian",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "health_check",
    "iscg",
    "partners",
    "cases",
    "conventions",
    "reporting",
    "outbox",
    "bench",
]

MIDDLEWARE = [
    # First: a GET that met the database restarting is tried again on a new connection.
    "iscg.unavailable.DatabaseRetryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "iscg.request_guards.NullByteRefusalMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "iscg.middleware.SessionIdleRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Messages before the session-lifetime check, which tells the user why they are out.
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "iscg.middleware.AbsoluteSessionLifetimeMiddleware",
    "iscg.middleware.NoStoreMiddleware",
    "iscg.audit.RefusedAccessLogMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "iscg.otp.OTPRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last: after the CSRF, login and second-factor checks have refused what they refuse.
    "iscg.submissions.OneSubmissionMiddleware",
]

ROOT_URLCONF = "iscg.urls"
WSGI_APPLICATION = "iscg.wsgi.application"

# The feature packages of the app ``cases``: each holds its templates under
# ``<package>/templates/cases/<feature>/``, which the app-directories loader does not read.
CASES_FEATURE_PACKAGES = ("cases.files", "cases.referrals", "cases.lifecycle")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [
            BASE_DIR / "templates",
            *(
                BASE_DIR.joinpath(*package.split("."), "templates")
                for package in CASES_FEATURE_PACKAGES
            ),
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "iscg.context_processors.site",
                "iscg.context_processors.security",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No parallel workers for the application's queries by default: its heaviest reads
    # (a bilan's indicators) group a few thousand rows, where starting and merging two
    # workers costs more than it saves and takes the cores the web workers need
    # (bench/README.md, « Réglages mesurés »). A larger server may set
    # PG_PARALLEL_WORKERS_PER_GATHER.
    # Added to any libpq options given in DATABASE_URL (?options=...), not in their place.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _parallel = env.int("PG_PARALLEL_WORKERS_PER_GATHER", default=0)
    _options["options"] = (
        f"{_options.get('options', '')} -c max_parallel_workers_per_gather={_parallel}".strip()
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database serves the pages' threads and the task thread of
    # iscg.background: a transaction takes the write lock when it begins (never a failed
    # upgrade from read to write) and a writer waits up to 20 s for another.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (Index.include) serve PostgreSQL; SQLite builds them without the extra
# columns, which is all the demo and the tests need.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Errors are misses: no page depends on Redis being up (see iscg.cache).
            "BACKEND": "iscg.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "iscg",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The home's organisation blocks are kept rendered only in a cache all processes share
# (iscg.organisation_version); one process (development server, tests) may say so.
ORGANISATION_BLOCKS_CACHED = env.bool("ORGANISATION_BLOCKS_CACHED", default=bool(REDIS_URL))

AUTH_USER_MODEL = "iscg.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# History pages of the admin site never restore a past version (iscg.admin_site).
SIMPLE_HISTORY_REVERT_DISABLED = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Signed conventions, bilans and other documents: never under a public URL,
# served only through permission-checked views.
PRIVATE_STORAGE_ROOT = env("PRIVATE_STORAGE_ROOT", default=str(BASE_DIR / "private"))
# Backups (iscg/backup.py, docs/rgpd.md): the database and the private files, on another
# volume than both; the BACKUP_KEEP latest are kept.
BACKUP_ROOT = env("BACKUP_ROOT", default=str(BASE_DIR / "backups"))
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT, "base_url": "/private-not-served/"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o600

# E-mail
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="ISCG <ne-pas-repondre@iscg.example.gouv.fr>"
)
# Every e-mail goes through the outbox (outbox/services.py): an SMTP server that accepts
# and never answers holds a worker at most this long; failures are retried with backoff.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
OUTBOX_RETRY_FIRST_SECONDS = env.int("OUTBOX_RETRY_FIRST_SECONDS", default=30)
OUTBOX_RETRY_MAX_SECONDS = env.int("OUTBOX_RETRY_MAX_SECONDS", default=600)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=20)

# Celery: eager without a broker, Redis with one.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# No task runs longer than CELERY_TASK_TIME_LIMIT (the largest import preview's time is in
# bench/README.md); the broker hands an unacknowledged task over again only after
# the visibility timeout, kept above it so that a running task is never delivered twice.
# A worker killed mid-task is covered sooner by the sweepers and, for bilan PDFs, by the
# worker itself when it starts again (reporting.signals).
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "visibility_timeout": 45 * 60,
}
CELERY_BEAT_SCHEDULE: dict = {
    "sync-post-grants": {
        "task": "iscg.tasks.sync_post_grants",
        "schedule": crontab(minute=5, hour="*/1"),
    },
    "convention-alerts": {
        "task": "conventions.tasks.check_convention_alerts",
        "schedule": crontab(minute=30, hour=6),
    },
    "apply-retention": {
        "task": "cases.tasks.apply_retention_task",
        "schedule": crontab(minute=30, hour=3),
    },
    # Expired sessions and django-axes login logs hold names and addresses: purged nightly.
    "clear-expired-sessions": {
        "task": "iscg.tasks.clear_expired_sessions",
        "schedule": crontab(minute=40, hour=3),
    },
    "purge-login-logs": {
        "task": "iscg.tasks.purge_login_logs",
        "schedule": crontab(minute=45, hour=3),
    },
    "purge-submissions": {
        "task": "iscg.tasks.purge_submissions",
        "schedule": crontab(minute=50, hour=3),
    },
    # Referral notifications: the outbox is flushed if the broker was down when a row
    # was written; late referrals are reminded on working days (the task checks holidays).
    "flush-outbox": {"task": "outbox.tasks.flush_outbox", "schedule": crontab(minute="*")},
    "flush-notifications": {
        "task": "cases.tasks.flush_notifications",
        "schedule": crontab(minute="*/5"),
    },
    # Import analyses and imports left "en cours" by a broker outage or a killed worker.
    "resume-imports": {"task": "cases.tasks.resume_imports", "schedule": crontab(minute="*/5")},
    "sweep-report-pdfs": {
        "task": "reporting.tasks.sweep_report_pdfs",
        "schedule": crontab(minute="*/5"),
    },
    "referral-reminders": {
        "task": "cases.tasks.send_referral_reminders",
        "schedule": crontab(minute=30, hour="8-18", day_of_week="mon-fri"),
    },
}

# Sessions: 30 minutes idle, 12 hours at most (see iscg.middleware), in the database only:
# with Redis stopped every page answered 500 (cached_db does not catch the cache's
# errors). The idle expiry slides at most once a minute, so a page writes it rarely.
SESSION_ENGINE = "iscg.session_store"
SESSION_COOKIE_AGE = 30 * 60
SESSION_IDLE_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_MAX_AGE = timedelta(hours=12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Reverse proxies whose X-Forwarded-For gives the client's address (addresses or networks,
# comma-separated); empty: the address the request comes from (iscg/client_ip.py).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# django-axes: 5 failures for an account from one address lock that account from that
# address for 30 minutes. The (username, address) pair, not either alone: failures on an
# unknown name never lock the others behind the same address (a ministry's NAT), a stranger
# cannot lock an account for its owner, and a success clears only its own pair's failures.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "iscg.client_ip.lockout_username"
AXES_CLIENT_IP_CALLABLE = "iscg.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The 30 minutes run from the fifth failure: attempts while locked do not extend them.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_SENSITIVE_PARAMETERS = ["password", "code"]

# django-csp 4: nonces for every script; DSFR needs inline SVG data URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# django-guardian: no anonymous user row, direct foreign keys declared per model.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# DSFR
DSFR_MARK_OPTIONAL_FIELDS = True
DSFR_USE_INTEGRITY_CHECKSUMS = True

# Second factor for these roles (see iscg.roles); settings may extend it.
OTP_REQUIRED_ROLES = env.list(
    "OTP_REQUIRED_ROLES", default=["worker", "admin", "prefecture", "employer_manager"]
)
OTP_TOTP_ISSUER = "ISCG"

# ProConnect (OpenID Connect) for State agents: off unless OIDC_RP_CLIENT_ID is set.
# Accounts must already exist; they are matched by e-mail (see iscg.oidc).
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT")
    OIDC_OP_LOGOUT_ENDPOINT = env("OIDC_OP_LOGOUT_ENDPOINT", default="")
    OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", default="openid email given_name usual_name")
    OIDC_CREATE_USER = False
    OIDC_STORE_ID_TOKEN = True
    OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"acr_values": env("OIDC_ACR_VALUES", default="eidas1")}
    LOGIN_REDIRECT_URL_FAILURE = "/compte/connexion/"
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "iscg.oidc.ProConnectBackend"]

# Retention (data lifecycle): durations in days.
RETENTION_ACTIVE_DAYS = env.int("RETENTION_ACTIVE_DAYS", default=2 * 365)
RETENTION_ARCHIVE_DAYS = env.int("RETENTION_ARCHIVE_DAYS", default=3 * 365)
RETENTION_ACCESS_LOG_DAYS = env.int("RETENTION_ACCESS_LOG_DAYS", default=365)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
