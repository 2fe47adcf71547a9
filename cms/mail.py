"""The one way the site sends e-mail: through the durable outbox (cms/outbox).

``email_queue`` writes the e-mail to the outbox in the caller's transaction (so a rolled-back
action never sends mail, and a committed one is never lost, whatever happens to the broker or
the mail server), then, once the transaction commits, asks a worker to send it. Sending
failures are retried with back-off for hours and never reach the caller."""

from django.db import connection, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from .outbox import services as outbox
from .outbox import tasks as outbox_tasks


class _Kick:
    """The after-commit request to send the outbox; ``done`` once it ran."""

    done = False

    def __call__(self):
        self.done = True
        outbox_tasks.kick()


def _kick_once_on_commit():
    """One kick per transaction, however many e-mails it queued (a newsletter batch)."""
    if connection.in_atomic_block and any(
        isinstance(callback, _Kick) and not callback.done
        for _sids, callback, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_Kick(), robust=True)


def email_queue(
    *, to, subject, text_body, html_body=None, headers=None, template="", attachments=None
):
    """Queue an e-mail to each address of ``to`` (one outbox row per address). Sent after the
    current transaction commits; nothing is sent if it rolls back. ``attachments``:
    ``(filename, content, mimetype)`` triples (an iCalendar invitation, a small PDF)."""
    outbox.email_enqueue(
        to=to,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        headers=headers,
        template=template,
        attachments=attachments,
    )
    _kick_once_on_commit()


def email_queue_message(message, *, template=""):
    """Queue a ready ``EmailMessage`` (allauth's account e-mails)."""
    outbox.email_enqueue_message(message, template=template)
    _kick_once_on_commit()


def email_queue_template(
    *, to, template_prefix, context, language=None, headers=None, attachments=None
):
    """Render ``<template_prefix>_subject.txt``, ``_message.txt`` and, if present,
    ``_message.html`` in the recipient's language, then queue the e-mail."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        text_body = render_to_string(f"{template_prefix}_message.txt", context)
        try:
            html_body = render_to_string(f"{template_prefix}_message.html", context)
        except TemplateDoesNotExist:  # the HTML part is optional
            html_body = None
    email_queue(
        to=to,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        headers=headers,
        template=template_prefix,
        attachments=attachments,
    )
