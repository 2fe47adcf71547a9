"""Queueing e-mails in the outbox and sending them with retries and back-off.

Delivery is at least once: a row is marked sent after the mail server accepted it, so a worker
that dies between the two sends that e-mail again (with the same Message-ID) after the claim
lease runs out. Permanent refusals of one address (5xx to RCPT or DATA) fail that row at once;
everything else (server unreachable, 4xx, authentication, a dropped connection) is retried
with exponential back-off up to ``OUTBOX_MAX_ATTEMPTS``, then the row is a dead letter that
staff can retry from the admin."""

import base64
import json
import logging
import re
import smtplib
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, Min, Q, QuerySet
from django.utils import timezone
from django.utils.html import escape as html_escape

from .models import EmailStatus, OutgoingEmail, PendingJob

logger = logging.getLogger(__name__)

# A claimed row is someone's for this long; after that (a worker died) it is due again.
CLAIM_LEASE = timedelta(minutes=10)


def _message_id_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def email_enqueue(
    *,
    to: Iterable[str],
    subject: str,
    text_body: str,
    html_body: str | None = None,
    headers: dict[str, str] | None = None,
    from_email: str | None = None,
    template: str = "",
    attachments: Iterable[tuple[str, str | bytes, str]] | None = None,
) -> list[OutgoingEmail]:
    """Write one outbox row per address, in the caller's transaction. Nothing is sent here.
    ``attachments``: ``(filename, content, mimetype)`` triples, content ``str`` or ``bytes``."""
    stored_attachments = [_stored_attachment(*attachment) for attachment in attachments or []]
    addresses = list(
        dict.fromkeys(address.strip() for address in to if address and address.strip())
    )
    rows = []
    for address in addresses:
        row_headers = dict(headers or {})
        row_headers.setdefault("Message-ID", make_msgid(domain=_message_id_domain()))
        rows.append(
            OutgoingEmail(
                to=address,
                from_email=from_email or "",
                subject=" ".join(subject.split())[:998],
                text_body=text_body,
                html_body=html_body or "",
                headers=row_headers,
                template=template[:200],
                attachments=stored_attachments,
            )
        )
    return OutgoingEmail.objects.bulk_create(rows)


def _stored_attachment(filename: str, content: str | bytes, mimetype: str) -> dict[str, Any]:
    """An attachment as the row stores it: text as text, anything else base64-encoded."""
    if isinstance(content, str):
        return {"filename": filename, "mimetype": mimetype, "content": content, "base64": False}
    if mimetype.startswith("text/"):
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return {"filename": filename, "mimetype": mimetype, "content": text, "base64": False}
    return {
        "filename": filename,
        "mimetype": mimetype,
        "content": base64.b64encode(content).decode("ascii"),
        "base64": True,
    }


def email_enqueue_message(message: EmailMessage, *, template: str = "") -> list[OutgoingEmail]:
    """Queue a ready ``EmailMessage`` (allauth renders its own), one row per recipient."""
    html_body = None
    for content, mimetype in getattr(message, "alternatives", []) or []:
        if mimetype == "text/html":
            html_body = content
    if getattr(message, "content_subtype", "plain") == "html":
        html_body, text_body = str(message.body), ""
    else:
        text_body = str(message.body)
    return email_enqueue(
        to=[*message.to, *message.cc, *message.bcc],
        subject=str(message.subject),
        text_body=text_body,
        html_body=html_body,
        headers=dict(message.extra_headers),
        from_email=message.from_email,
        template=template,
    )


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes (OUTBOX_RETRY_BASE), never more than OUTBOX_RETRY_MAX_DELAY."""
    seconds = settings.OUTBOX_RETRY_BASE * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_DELAY))


def _is_permanent(error: Exception) -> bool:
    """A refusal of this one message or address for good (5xx to RCPT TO or DATA)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPDataError):
        return 500 <= error.smtp_code < 600
    return False


def _breaks_connection(error: Exception) -> bool:
    """The server is unreachable or hung up: the rest of the batch waits for the next run."""
    if isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError):
        return False
    return isinstance(error, OSError | smtplib.SMTPException)


def _build(row: OutgoingEmail, connection: BaseEmailBackend) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.text_body,
        from_email=row.from_email or None,
        to=[row.to],
        headers=row.headers,
        connection=connection,
    )
    if row.html_body:
        message.attach_alternative(row.html_body, "text/html")
    for attachment in row.attachments or []:
        content = attachment["content"]
        if attachment.get("base64"):
            content = base64.b64decode(content)
        message.attach(attachment["filename"], content, attachment["mimetype"])
    return message


def _failed(row: OutgoingEmail, error: Exception, *, now: datetime, permanent: bool) -> None:
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    row.claim = None
    if permanent or row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        row.status = EmailStatus.FAILED
        logger.warning("E-mail %s to %s failed for good: %s", row.pk, row.to, row.last_error)
    else:
        row.next_attempt_at = now + retry_delay(row.attempts)
    row.save(update_fields=["last_error", "claim", "status", "next_attempt_at"])


def _claim(*, limit: int, now: datetime) -> list[OutgoingEmail]:
    """Take up to ``limit`` due rows for this run. The conditional UPDATE is atomic, so two
    workers never claim the same row (PostgreSQL re-checks the condition on rows another
    transaction changed; SQLite runs one write at a time)."""
    ids = list(OutgoingEmail.objects.due(now).values_list("pk", flat=True)[:limit])
    if not ids:
        return []
    claim = uuid.uuid4()
    OutgoingEmail.objects.filter(
        pk__in=ids, status=EmailStatus.QUEUED, next_attempt_at__lte=now
    ).update(claim=claim, next_attempt_at=now + CLAIM_LEASE, attempts=F("attempts") + 1)
    return list(OutgoingEmail.objects.filter(claim=claim).order_by("pk"))


def outbox_send_due(*, limit: int | None = None) -> dict[str, int]:
    """Send the e-mails that are due, over one connection to the mail server. Never raises for
    a mail failure: it is recorded on the row. Returns counts of sent, failed and retried."""
    now = timezone.now()
    rows = _claim(limit=limit or settings.OUTBOX_BATCH_SIZE, now=now)
    counts = {"sent": 0, "failed": 0, "retry": 0}
    connection = None
    try:
        for index, row in enumerate(rows):
            try:
                if connection is None:
                    connection = get_connection(fail_silently=False)
                    connection.open()
                _build(row, connection).send()
            except Exception as error:  # noqa: BLE001 - any failure is the row's, never the caller's
                permanent = _is_permanent(error)
                _failed(row, error, now=now, permanent=permanent)
                counts["failed" if row.status == EmailStatus.FAILED else "retry"] += 1
                if _breaks_connection(error):
                    _close(connection)
                    connection = None
                    for waiting in rows[index + 1 :]:
                        _failed(waiting, error, now=now, permanent=False)
                        counts["failed" if waiting.status == EmailStatus.FAILED else "retry"] += 1
                    logger.warning(
                        "Mail server unavailable, %s e-mails wait: %s", len(rows) - index, error
                    )
                    break
                continue
            row.status, row.sent_at, row.claim, row.last_error = (
                EmailStatus.SENT,
                timezone.now(),
                None,
                "",
            )
            row.save(update_fields=["status", "sent_at", "claim", "last_error"])
            counts["sent"] += 1
    finally:
        _close(connection)
    return counts


def _close(connection: BaseEmailBackend | None) -> None:
    if connection is not None:
        try:
            connection.close()
        except Exception:
            logger.debug("Closing the mail connection failed", exc_info=True)


def outbox_retry(*, emails: QuerySet[OutgoingEmail]) -> int:
    """Give dead letters (or waiting e-mails) a fresh set of attempts, starting now."""
    return emails.exclude(status=EmailStatus.SENT).update(
        status=EmailStatus.QUEUED, attempts=0, next_attempt_at=timezone.now(), claim=None
    )


def outbox_purge(*, older_than_days: int | None = None) -> int:
    """Delete sent e-mails older than OUTBOX_KEEP_SENT_DAYS (they hold personal data)."""
    days = settings.OUTBOX_KEEP_SENT_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = OutgoingEmail.objects.filter(status=EmailStatus.SENT, sent_at__lt=cutoff).delete()
    return deleted


def outbox_erase_person(
    *, addresses: Iterable[str], names: Iterable[str] = (), replacement: str
) -> dict[str, int]:
    """Erase a person from the outbox (account deletion, in its transaction): every e-mail to
    one of their ``addresses`` is deleted, whatever its state; in e-mails to other people
    (a reply notification naming them, a contact message with their Reply-To) each of their
    addresses and ``names`` becomes ``replacement``. Returns how many rows were deleted and
    how many rewritten."""
    addresses = sorted({address.strip().lower() for address in addresses if address.strip()})
    deleted = 0
    if addresses:
        to_person = Q()
        for address in addresses:
            to_person |= Q(to__iexact=address)
        deleted, _ = OutgoingEmail.objects.filter(to_person).delete()
    needles = [*addresses, *(name.strip() for name in names if len(name.strip()) >= 3)]
    # The HTML part holds a name as the template escaped it ("O&#x27;Brien").
    needles = sorted({*needles, *(html_escape(needle) for needle in needles)}, key=len)[::-1]
    if not needles:
        return {"deleted": deleted, "rewritten": 0}
    pattern = re.compile("|".join(re.escape(needle) for needle in needles), re.IGNORECASE)
    mentions = Q()
    for needle in needles:
        for field in ("subject", "text_body", "html_body", "headers", "attachments"):
            mentions |= Q(**{f"{field}__icontains": needle})
    rewritten = 0
    for row in OutgoingEmail.objects.filter(mentions).select_for_update():
        row.subject = pattern.sub(replacement, row.subject)
        row.text_body = pattern.sub(replacement, row.text_body)
        row.html_body = pattern.sub(replacement, row.html_body)
        row.headers = json.loads(
            pattern.sub(replacement, json.dumps(row.headers, ensure_ascii=False))
        )
        row.attachments = [
            attachment
            if attachment.get("base64")
            else {**attachment, "content": pattern.sub(replacement, attachment["content"])}
            for attachment in row.attachments
        ]
        row.save(update_fields=["subject", "text_body", "html_body", "headers", "attachments"])
        rewritten += 1
    return {"deleted": deleted, "rewritten": rewritten}


def outbox_backlog() -> dict[str, int]:
    """For /healthz: e-mails waiting, how late the oldest due one is, dead letters, jobs."""
    now = timezone.now()
    waiting = OutgoingEmail.objects.filter(status=EmailStatus.QUEUED)
    oldest = waiting.filter(next_attempt_at__lte=now).aggregate(oldest=Min("created_at"))["oldest"]
    return {
        "waiting": waiting.count(),
        "oldest_due_seconds": int((now - oldest).total_seconds()) if oldest else 0,
        "failed": OutgoingEmail.objects.dead().count(),
        "jobs_waiting": PendingJob.objects.count(),
    }


# Jobs the broker could not take -----------------------------------------------------------------


def job_store(
    *,
    task: str,
    args: Iterable[Any] | None,
    kwargs: dict[str, Any] | None,
    options: dict[str, Any] | None,
    error: Exception,
) -> PendingJob:
    logger.warning("Broker unavailable, job %s kept in the database: %s", task, error)
    return PendingJob.objects.create(
        task=task,
        args=list(args or []),
        kwargs=dict(kwargs or {}),
        options={
            k: v for k, v in (options or {}).items() if k in {"countdown", "queue", "priority"}
        },
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )


def jobs_republish(*, publish: Callable[[PendingJob], object], limit: int = 500) -> int:
    """Hand waiting jobs to the broker, oldest first; ``publish(job)`` raises while the broker
    is down, and then the rest waits for the next run. Returns how many were published."""
    published = 0
    for pk in list(PendingJob.objects.order_by("pk").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            job = PendingJob.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if job is None:
                continue
            try:
                publish(job)
            except Exception as error:  # noqa: BLE001 - broker still down: retried on the next run
                PendingJob.objects.filter(pk=pk).update(
                    attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
                )
                return published
            job.delete()
            published += 1
    return published
