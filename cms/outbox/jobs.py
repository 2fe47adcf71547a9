"""Celery's task class for the whole project (``Celery(task_cls=...)`` in cms/celery.py): when
publishing a job to the broker fails (Redis down), the job is written to the outbox's
PendingJob table instead of raising into the view, and published again once the broker is back
(``cms.outbox.tasks.republish_jobs``, every minute, and ``manage.py send_outbox``).

Celery may load this class while Django's apps are still loading, so the outbox's services
(which import models) are imported when a publish fails, not when this module loads."""

import importlib
import logging

from celery import Task
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

BROKER_ERRORS = (KombuOperationalError, RedisConnectionError, RedisTimeoutError, OSError)


class DurableTask(Task):
    """``delay()``/``apply_async()`` never lose a job and never raise because of the broker.
    ``apply_async(..., durable=False)`` raises instead (the outbox's own kick and republish)."""

    def apply_async(self, args=None, kwargs=None, task_id=None, producer=None, link=None,
                    link_error=None, shadow=None, **options):  # fmt: skip
        durable = options.pop("durable", True)
        if self.app.conf.task_always_eager or not durable:
            return super().apply_async(
                args, kwargs, task_id, producer, link, link_error, shadow, **options
            )
        try:
            return super().apply_async(
                args, kwargs, task_id, producer, link, link_error, shadow, **options
            )
        except BROKER_ERRORS as error:
            services = importlib.import_module("cms.outbox.services")
            services.job_store(
                task=self.name, args=args, kwargs=kwargs, options=options, error=error
            )
            return None
