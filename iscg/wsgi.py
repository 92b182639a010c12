import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iscg.settings.dev")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - configured by get_wsgi_application

if settings.CELERY_TASK_ALWAYS_EAGER:
    # No broker: the PDFs and analyses a page asks for are made beside it, not in it.
    from iscg.background import resume_left_work, serve_tasks_in_thread  # noqa: E402

    serve_tasks_in_thread()
    resume_left_work()
