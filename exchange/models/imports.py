"""CSV imports of an organisation's listings, run as background jobs. The uploaded text is kept
on the job, so confirming a preview imports exactly the file that was checked."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CsvImportState(models.TextChoices):
    QUEUED = "queued", _("Waiting to be checked")
    CHECKING = "checking", _("Checking")
    INVALID = "invalid", _("Has errors")
    READY = "ready", _("Ready to import")
    SAVING = "saving", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    SUPERSEDED = "superseded", _("Replaced by a newer upload")


class CsvImport(models.Model):
    """One uploaded file: checked in the background, then imported in one transaction when a
    member confirms its preview. Only a ``READY`` import can be confirmed."""

    RUNNING = (CsvImportState.QUEUED, CsvImportState.CHECKING, CsvImportState.SAVING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="exchange_csv_imports",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    text = models.TextField(blank=True)
    delimiter = models.CharField(max_length=1, blank=True)
    language = models.CharField(max_length=10, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=CsvImportState.choices, default=CsvImportState.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    rows_new = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    # [{"line": 3, "title": "...", "errors": ["..."]}], in the member's language.
    problems = models.JSONField(default=list, blank=True)
    # The first rows as the member will see them in the preview.
    preview = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("CSV import")
        verbose_name_plural = _("CSV imports")
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self):
        return f"{self.filename} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("exchange:csv_import_detail", kwargs={"pk": self.pk})

    @property
    def is_running(self):
        return self.state in self.RUNNING

    @property
    def percent(self):
        if self.state in (CsvImportState.DONE, CsvImportState.READY, CsvImportState.INVALID):
            return 100
        return round(100 * self.rows_checked / self.rows_total) if self.rows_total else 0
