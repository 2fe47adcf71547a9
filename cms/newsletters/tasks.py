from celery import shared_task

from . import services


@shared_task
def newsletter_issue_send(*, issue_id):
    """Send a published issue to its region's subscribers (once; see services)."""
    send = services.issue_send_start(issue_id=issue_id)
    return send.recipient_count if send else 0


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def newsletter_deliver_batch(*, delivery_ids):
    return services.newsletter_deliver(delivery_ids=delivery_ids)
