"""SCORM packages and the learners' attempts at them.

A ``ScormPackage`` is uploaded once (checked by ``package.inspect``) and its files are stored in
the private storage under opaque names; ``files`` maps each path inside the package to its
stored name, so the serving view reads only files the package really has. A lesson
(``courses.LessonPage.scorm_package``) plays it. Each learner's run through it is a
``ScormAttempt`` holding what the SCORM runtime reported: status, score, location, suspend data,
time, and the last CMI data model it committed.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class ScormVersion(models.TextChoices):
    SCORM_12 = "1.2", _("SCORM 1.2")
    SCORM_2004 = "2004", _("SCORM 2004")


class ScormPackageQuerySet(models.QuerySet):
    def for_organisations(self, organisation_ids):
        """Packages of these organisations; ``None`` means every package."""
        if organisation_ids is None:
            return self
        return self.filter(organisation_id__in=organisation_ids)


class ScormPackage(index.Indexed, models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The training provider that owns the package."),
    )
    version = models.CharField(
        _("SCORM version"), max_length=8, choices=ScormVersion.choices, editable=False
    )
    launch_path = models.CharField(_("launch file"), max_length=600, editable=False)
    files = models.JSONField(default=dict, editable=False)
    file_count = models.PositiveIntegerField(_("files"), default=0, editable=False)
    total_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    objects = ScormPackageQuerySet.as_manager()
    panels = [FieldPanel("title"), FieldPanel("organisation")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")
        ordering = ["title"]

    def __str__(self):
        return f"{self.title} ({self.get_version_display()})"

    def stored_name(self, path):
        return self.files.get(path)


class AttemptQuerySet(models.QuerySet):
    def satisfied(self):
        return self.filter(satisfied_at__isnull=False)


class ScormAttempt(models.Model):
    """One learner's attempt at a SCORM lesson, as its runtime reported it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scorm_attempts"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="scorm_attempts"
    )
    package = models.ForeignKey(ScormPackage, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("attempt"), default=1)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("last commit"), null=True, blank=True)
    completion_status = models.CharField(_("completion"), max_length=20, blank=True)
    success_status = models.CharField(_("success"), max_length=20, blank=True)
    score_raw = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    score_min = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    score_max = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    score_scaled = models.DecimalField(max_digits=7, decimal_places=6, null=True, blank=True)
    progress_measure = models.DecimalField(max_digits=7, decimal_places=6, null=True, blank=True)
    location = models.CharField(max_length=1000, blank=True)
    suspend_data = models.TextField(blank=True)
    total_time = models.CharField(max_length=40, blank=True)
    exit = models.CharField(max_length=20, blank=True)
    cmi = models.JSONField(_("last CMI data"), default=dict, blank=True)
    commit_count = models.PositiveIntegerField(default=0)
    satisfied_at = models.DateTimeField(_("completed"), null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("SCORM attempt")
        verbose_name_plural = _("SCORM attempts")
        ordering = ["user_id", "lesson_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "number"], name="scorm_unique_attempt_number"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.lesson_id} #{self.number}"

    @property
    def score_percent(self):
        if self.score_scaled is not None:
            return round(float(self.score_scaled) * 100)
        if self.score_raw is not None:
            low = float(self.score_min) if self.score_min is not None else 0.0
            high = float(self.score_max) if self.score_max is not None else 100.0
            if high > low:
                return round(100 * (float(self.score_raw) - low) / (high - low))
        return None
