"""Lessons: the reading activities of a course module, and their editor form."""

from django import forms
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BodyBlock
from cms.models import CachedViewRestrictionsMixin
from courses.hooks import HookContextMixin
from courses.providers import ProviderPageMixin

from .catalogue import CourseActivityMixin, CoursePage


class LessonPageForm(WagtailAdminPageForm):
    """A lesson plays only a SCORM package of its course's provider organisation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("scorm_package")
        if field is None:
            return
        anchor = self.instance if self.instance.pk else self.parent_page
        course = CoursePage.objects.ancestor_of(anchor).first() if anchor is not None else None
        if course is not None:
            field.queryset = field.queryset.filter(organisation_id=course.provider_id)
        field.widget = forms.Select(choices=field.choices)


class LessonPage(
    CachedViewRestrictionsMixin, CourseActivityMixin, HookContextMixin, ProviderPageMixin, Page
):
    """A lesson: content from the shared block library. Only enrolled trainees read it
    (``courses.views.lesson_before_serve``, run by Wagtail's ``before_serve_page`` hook; a
    preview skips it); the outline, the learner's progress and the SCORM player come from
    ``courses.views.lesson_context``."""

    required = models.BooleanField(_("required for completion"), default=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=15, validators=[MinValueValidator(1)]
    )
    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)
    scorm_package = models.ForeignKey(
        "scorm.ScormPackage",
        verbose_name=_("SCORM package"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons",
        help_text=_(
            "Play a SCORM 1.2 or 2004 package in this lesson (upload it under SCORM packages). "
            "The package reports the lesson's completion and score."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("required"), FieldPanel("estimated_minutes")]),
        FieldPanel("scorm_package"),
        FieldPanel("body"),
    ]
    base_form_class = LessonPageForm
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
