"""Background jobs of the outbox. ``send_due`` runs after every commit that queued mail (the
kick) and every minute (beat); ``republish_jobs`` every minute; ``purge`` daily."""

import logging

from celery import current_app, shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def send_due():
    return services.outbox_send_due()


def kick():
    """Ask a worker to send what is due now. Best effort: with the broker down the e-mails
    wait in the database and the next kick or the periodic run sends them."""
    try:
        send_due.apply_async(durable=False)
    except Exception:  # the rows are safe in the database; the periodic run sends them
        logger.warning(
            "Could not ask a worker to send mail now; it waits in the outbox", exc_info=True
        )


def _publish(job):
    current_app.tasks[job.task].apply_async(
        args=job.args, kwargs=job.kwargs, durable=False, **job.options
    )


@shared_task(ignore_result=True)
def republish_jobs():
    return services.jobs_republish(publish=_publish)


@shared_task(ignore_result=True)
def purge():
    return services.outbox_purge()
