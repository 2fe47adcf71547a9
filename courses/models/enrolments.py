"""Learner state: a trainee's enrolment in a course and the lessons they completed."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page


class EnrolmentQuerySet(models.QuerySet):
    def in_progress(self):
        return self.filter(completed_at__isnull=True)

    def completed(self):
        return self.filter(completed_at__isnull=False)

    def of_activity(self, *, user, page):
        """``user``'s enrolment in the course above ``page`` (a lesson or quiz), or None: the
        enrolment alone, by the course the page keeps (``get_course``), which it is given."""
        course = page.get_course()
        if course is None:
            return None
        enrolment = self.filter(user=user, course=course).first()
        if enrolment is not None:
            enrolment.course = course
        return enrolment


class Enrolment(models.Model):
    """A trainee taking a course, and where they left off."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    last_activity = models.ForeignKey(
        Page,
        verbose_name=_("last visited activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_accessed_at = models.DateTimeField(_("last visit"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-last_accessed_at", "-enrolled_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="unique_enrolment_per_course")
        ]

    def __str__(self):
        return f"{self.user} – {self.course}"

    @property
    def is_completed(self):
        return self.completed_at is not None


class LessonCompletion(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="completions"
    )
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lesson completion")
        verbose_name_plural = _("lesson completions")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="unique_lesson_completion")
        ]
