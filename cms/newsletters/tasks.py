from celery import shared_task
from django.conf import settings

from . import selectors, services


@shared_task
def newsletter_issue_send(*, issue_id):
    """Send a published issue to its region's subscribers (once; see services), in batches of
    NEWSLETTER_BATCH_SIZE, each batch a task of its own (a slow or failing batch holds up no
    other)."""
    send = services.issue_send_start(issue_id=issue_id)
    if send is None:
        return 0
    ids = selectors.delivery_ids_unsent(send=send)
    size = settings.NEWSLETTER_BATCH_SIZE
    for start in range(0, len(ids), size):
        newsletter_deliver_batch.delay(delivery_ids=ids[start : start + size])
    return send.recipient_count


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def newsletter_deliver_batch(*, delivery_ids):
    return services.newsletter_deliver(delivery_ids=delivery_ids)
