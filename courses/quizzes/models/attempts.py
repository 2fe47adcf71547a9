"""A learner's attempts at a quiz, each with its questions frozen in slots."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .bank import FRACTION_DIGITS, Question
from .quiz import QuizPage


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    # Submitted with an essay to grade: no grade, no completion until a teacher grades it.
    NEEDS_GRADING = "needs_grading", _("Waiting for a teacher's grade")
    FINISHED = "finished", _("Finished")


class AttemptQuerySet(models.QuerySet):
    def finished(self):
        return self.filter(state=AttemptState.FINISHED)

    def in_progress(self):
        return self.filter(state=AttemptState.IN_PROGRESS)

    def needs_grading(self):
        return self.filter(state=AttemptState.NEEDS_GRADING)


class Attempt(models.Model):
    quiz = models.ForeignKey(
        QuizPage, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="attempts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
    )
    number = models.PositiveIntegerField(_("attempt number"))
    state = models.CharField(
        _("state"), max_length=16, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    finished_at = models.DateTimeField(
        _("finished"),
        null=True,
        blank=True,
        help_text=_("When it was submitted, or the deadline if that came first."),
    )
    score = models.DecimalField(_("marks"), max_digits=9, decimal_places=4, null=True, blank=True)
    max_score = models.DecimalField(
        _("out of"), max_digits=9, decimal_places=4, default=Decimal("0")
    )
    percent = models.DecimalField(
        _("grade (%)"), max_digits=7, decimal_places=4, null=True, blank=True
    )

    objects = AttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("quiz attempt")
        ordering = ["quiz_id", "user_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "user", "number"], name="quizzes_attempt_unique_number"
            ),
            models.UniqueConstraint(
                fields=["quiz", "user"],
                condition=Q(state="in_progress"),
                name="quizzes_attempt_one_in_progress",
            ),
        ]

    def __str__(self):
        return f"{self.quiz_id} / {self.user_id} / #{self.number}"

    @property
    def is_finished(self):
        """Submitted: no more answers (graded, or waiting for a teacher's grade)."""
        return self.state != AttemptState.IN_PROGRESS

    @property
    def is_graded(self):
        return self.state == AttemptState.FINISHED

    @property
    def needs_grading(self):
        return self.state == AttemptState.NEEDS_GRADING

    def is_overdue(self, now=None):
        return self.deadline is not None and (now or timezone.now()) >= self.deadline

    def seconds_left(self, now=None):
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - (now or timezone.now())).total_seconds()))

    def passed(self, pass_mark):
        return self.percent is not None and self.percent >= pass_mark


class AttemptSlot(models.Model):
    """A question as frozen for one attempt: its position, mark, option order and response."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="attempt_slots")
    max_mark = models.DecimalField(max_digits=6, decimal_places=2)
    # Choice types: {"options": [[key, answer id], ...]} in display order. Matching:
    # {"prompts": [[key, pair id], ...], "answers": [texts]}. The keys are random per attempt and
    # are all the browser sees, so option values tell neither the author's order nor the right
    # answer. Attempts started before the keys existed hold bare ids (``[id, ...]``; prompts as
    # ids): ``options``/``prompts`` read both.
    layout = models.JSONField(default=list, blank=True)
    response = models.JSONField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    fraction = models.DecimalField(**FRACTION_DIGITS, null=True, blank=True)
    mark = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True)
    flagged = models.BooleanField(default=False)
    # Essays: the teacher's grade is ``mark``; their comment and who graded when.
    comment = models.TextField(blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="quizzes_slot_unique_position"
            )
        ]

    def options(self):
        """``[(key, answer id), ...]`` of a choice question, in display order."""
        if isinstance(self.layout, dict):
            return [(str(key), pk) for key, pk in self.layout.get("options", [])]
        return [(str(pk), pk) for pk in self.layout or []]

    def prompts(self):
        """``[(key, pair id), ...]`` of a matching question, in display order."""
        if not isinstance(self.layout, dict):
            return []
        return [
            (str(item[0]), item[1]) if isinstance(item, list) else (str(item), item)
            for item in self.layout.get("prompts", [])
        ]
