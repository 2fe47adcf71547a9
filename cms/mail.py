"""Sending e-mail off the request, through the background-job queue."""

from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from .tasks import send_email


def email_queue(*, to, subject, text_body, html_body=None, headers=None):
    """Queue an e-mail to ``to`` (a list of addresses) once the current transaction commits,
    so a rolled-back action never sends mail."""
    transaction.on_commit(
        lambda: send_email.delay(
            to=list(to), subject=subject, text_body=text_body, html_body=html_body, headers=headers
        )
    )


def email_queue_template(*, to, template_prefix, context, language=None, headers=None):
    """Render ``<template_prefix>_subject.txt``, ``_message.txt`` and, if present,
    ``_message.html`` in the recipient's language, then queue the e-mail."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        text_body = render_to_string(f"{template_prefix}_message.txt", context)
        try:
            html_body = render_to_string(f"{template_prefix}_message.html", context)
        except TemplateDoesNotExist:  # the HTML part is optional
            html_body = None
    email_queue(to=to, subject=subject, text_body=text_body, html_body=html_body, headers=headers)
