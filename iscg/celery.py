"""Celery application: eager (in-process) with the embedded default, Redis otherwise."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iscg.settings.dev")

app = Celery("iscg")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
