"""Queue the exchange's background jobs by name once the current transaction commits.

Services call these rather than importing ``exchange.tasks``: the tasks sit above the services
(they call them), so an import the other way would make a cycle. ``ExchangeConfig.ready``
imports the tasks, so every name is registered before a request runs; without a broker
(``CELERY_TASK_ALWAYS_EAGER``) the job runs inline, as ``.delay`` does."""

from celery import current_app
from django.db import transaction

LISTING_CHANGED = "exchange.tasks.listing_changed"
INSTANT_ALERTS = "exchange.tasks.instant_alerts"
CSV_IMPORT_VALIDATE = "exchange.tasks.csv_import_validate"
CSV_IMPORT_SAVE = "exchange.tasks.csv_import_save"


def enqueue(task_name, *args):
    return current_app.tasks[task_name].delay(*args)


def enqueue_on_commit(task_name, *args):
    transaction.on_commit(lambda: enqueue(task_name, *args))
