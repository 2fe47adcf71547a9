from celery import shared_task
from django.core.management import call_command
from django.db import connection

from . import database
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


@shared_task
def publish_scheduled_pages():
    """Wagtail's scheduled publishing and unpublishing (``publish_scheduled``), run by Celery
    beat every minute: a page "go live at" 10:00 is live by 10:01, its newsletter queued."""
    call_command("publish_scheduled", verbosity=0)


@shared_task
def refresh_database_statistics():
    """Every night: SQLite's planner statistics (``cms/database.py``; PostgreSQL's autovacuum
    keeps its own)."""
    if connection.vendor == "sqlite":
        database.statistics_refresh()
