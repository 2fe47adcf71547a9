from celery import shared_task

from .outbox import services as outbox
from .outbox import tasks as outbox_tasks


@shared_task
def send_email(*, to, subject, text_body, html_body=None, headers=None, from_email=None):
    """Kept for jobs queued before the outbox existed (still in the broker at upgrade time):
    the e-mail goes to the outbox like every other one."""
    outbox.email_enqueue(
        to=to,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        headers=headers,
        from_email=from_email,
    )
    outbox_tasks.kick()
