"""The Celery application: configured from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("uvleads")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Intake's tasks (imports, the sales mailbox) live in leads/import_tasks.py, beside leads/tasks.py.
app.autodiscover_tasks(related_name="import_tasks")
