"""The training platform's page tree, authored in the Wagtail admin.

HomePage → CourseIndexPage (/courses/, the catalogue) → CoursePage → ModulePage (in order) →
LessonPage and quizzes.QuizPage (in order). Lessons and quizzes are the *activities* of a
course; the completion rule is "every required lesson completed and every required quiz
passed". Learner state (enrolments, lesson completions, certificates) lives in ordinary models
next to these pages; quiz state (question bank, attempts) lives in ``courses.quizzes``.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from cms.blocks import BodyBlock


class CourseIndexPage(Page):
    """The course catalogue at /courses/."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")


class CoursePage(Page):
    """A course: who made it ("links to the developers"), for whom, and its modules in order."""

    provider = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("provider organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.TextField(_("summary"), max_length=600)
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)]
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("provider"),
        FieldPanel("region"),
        FieldPanel("estimated_hours"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("course")


class ModulePage(Page):
    """A module of a course: an ordered sequence of lessons and quizzes."""

    summary = models.TextField(_("summary"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage", "quizzes.QuizPage"]

    class Meta:
        verbose_name = _("module")


class LessonPage(Page):
    """A lesson: content from the shared block library."""

    required = models.BooleanField(_("required for completion"), default=True)
    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("required"), FieldPanel("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
