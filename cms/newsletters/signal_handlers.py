"""Receivers of the newsletters, connected in NewslettersConfig.ready()."""

from django.db import transaction
from wagtail.signals import page_published

from cms.models import NewsletterIssuePage

from .tasks import newsletter_issue_send


def send_published_issue(sender, instance, **kwargs):
    """Publishing an issue (now or on schedule) queues its sending; the task sends it once."""
    issue_id = instance.pk
    transaction.on_commit(lambda: newsletter_issue_send.delay(issue_id=issue_id))


def connect():
    page_published.connect(
        send_published_issue, sender=NewsletterIssuePage, dispatch_uid="newsletters_send_issue"
    )
