"""Deployment checks of the project's own (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from iscg.settings.secret_key import secret_key_problem


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    """Django's own check lets a long placeholder through (security.W009)."""
    problem = secret_key_problem(settings.SECRET_KEY)
    if problem is None:
        return []
    return [
        Error(problem, hint="Générez une clé aléatoire de 50 caractères ou plus.", id="iscg.E001")
    ]
