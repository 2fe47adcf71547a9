from celery import shared_task

from . import notifications


@shared_task
def notify_new_post(post_id):
    """E-mail (or queue for the digest) one new post to the people who follow it."""
    return notifications.post_notify(post_id=post_id)


@shared_task
def send_daily_digests():
    """Celery beat runs this once a day (CELERY_BEAT_SCHEDULE in settings)."""
    return notifications.digests_send()
