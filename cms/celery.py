"""Celery application. With REDIS_URL set, tasks go to workers through Redis; without it the
settings make every task run inline (CELERY_TASK_ALWAYS_EAGER)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

# DurableTask: a job the broker cannot take (Redis down) waits in the database, never raises.
app = Celery("tvc", task_cls="cms.outbox.jobs:DurableTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
