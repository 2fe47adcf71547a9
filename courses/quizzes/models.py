"""Quizzes of the training platform: per-course question banks, quizzes and attempts.

A QuizPage sits in a course module next to the lessons (see ``courses.models``).
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class QuizPage(Page):
    required = models.BooleanField(_("required for completion"), default=True)
    pass_mark = models.DecimalField(
        _("pass mark (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    content_panels = [*Page.content_panels, FieldPanel("required"), FieldPanel("pass_mark")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("quiz")
