"""E-mails waiting to be sent (one row per recipient) and jobs waiting for the broker."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")  # refused for good, or out of attempts: the dead letters


class OutgoingEmailQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(
            status=EmailStatus.QUEUED, next_attempt_at__lte=now or timezone.now()
        ).order_by("next_attempt_at", "pk")

    def dead(self):
        return self.filter(status=EmailStatus.FAILED)


class OutgoingEmail(models.Model):
    """One e-mail to one address. Written in the transaction of the action that sends it, so
    a rolled-back action sends nothing and a committed one is never lost; one row per address,
    so an address the server refuses never holds up the others."""

    to = models.EmailField(_("to"), max_length=320, db_index=True)
    from_email = models.CharField(_("from"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=998)
    text_body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    # [{"filename", "mimetype", "content", "base64": bool}]: text (an iCalendar invitation) is
    # kept as text, anything else base64-encoded; small files only, the row holds them.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    template = models.CharField(
        _("kind"), max_length=200, blank=True, help_text=_("The template the e-mail came from.")
    )
    status = models.CharField(
        _("status"), max_length=8, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class PendingJob(models.Model):
    """A background job whose publishing to the broker failed (Redis down). Published again by
    ``cms.outbox.services.jobs_republish`` once the broker answers; nothing is lost meanwhile."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    options = models.JSONField(default=dict)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("job waiting for the broker")
        verbose_name_plural = _("jobs waiting for the broker")

    def __str__(self):
        return self.task
