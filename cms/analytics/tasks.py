from celery import shared_task

from .services import views_flush


@shared_task
def flush_view_counts():
    """Every minute (Celery beat): the page views (and the apps' view counters, such as a
    forum topic's) counted in Redis into the database."""
    return views_flush()
