"""Celery application. With REDIS_URL set, tasks go to workers through Redis; without it the
settings make every task run inline (CELERY_TASK_ALWAYS_EAGER)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

app = Celery("tvc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
