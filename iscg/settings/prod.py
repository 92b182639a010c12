"""Production: refuses to start without its secrets, hardened transport."""

import os

from django.core.exceptions import ImproperlyConfigured

_REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
_missing = [name for name in _REQUIRED if not os.environ.get(name)]
if _missing:
    raise ImproperlyConfigured(
        "Configuration de production incomplète : définissez la ou les variables "
        f"d'environnement {', '.join(_missing)} avant de démarrer ISCG."
    )

from iscg.settings.base import *  # noqa: E402, F403
from iscg.settings.base import env  # noqa: E402
from iscg.settings.secret_key import secret_key_problem  # noqa: E402

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
if _problem := secret_key_problem(SECRET_KEY):
    raise ImproperlyConfigured(
        f"{_problem} : générez-en une, par exemple avec "
        "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Every link in an e-mail starts with the site's public address: the first allowed host
# over HTTPS unless SITE_URL says otherwise (the development default is a loopback one).
SITE_URL = env("SITE_URL", default=f"https://{ALLOWED_HOSTS[0].lstrip('.')}")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
