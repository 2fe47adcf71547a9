"""External courses: training run in a region's own centre or on another platform, listed in
the catalogue next to the courses of this platform, with a link to register there."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from cms.models import CachedViewRestrictionsMixin
from courses.providers import CoursePageForm, ProviderPageMixin

from .catalogue import CatalogueEntry


class DeliveryMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Blended (in person and online)")


class ExternalCoursePage(CachedViewRestrictionsMixin, ProviderPageMixin, CatalogueEntry, Page):
    """A course run elsewhere: who runs it, when, where (or on which platform), in which
    language, at what cost, and where to register. There is nothing to enrol in here."""

    start_date = models.DateField(_("starts on"), null=True, blank=True)
    end_date = models.DateField(_("ends on"), null=True, blank=True)
    schedule_note = models.CharField(
        _("schedule"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “Every spring” or “Self-paced, start any time”."),
    )
    delivery_mode = models.CharField(
        _("format"), max_length=16, choices=DeliveryMode.choices, default=DeliveryMode.IN_PERSON
    )
    venue = models.CharField(
        _("place"),
        max_length=255,
        blank=True,
        help_text=_("Centre and town for courses in person, e.g. “Textile Lab, Prato”."),
    )
    platform_name = models.CharField(
        _("online platform"),
        max_length=120,
        blank=True,
        help_text=_("Where an online course runs, e.g. the provider's Moodle."),
    )
    cost = models.DecimalField(
        _("cost (EUR)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100000)],
        help_text=_("Leave empty for a free course."),
    )
    cost_note = models.CharField(
        _("cost details"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “Free for SMEs of the region”."),
    )
    registration_url = models.URLField(_("registration link"), max_length=500)
    estimated_hours = models.DecimalField(
        _("estimated hours"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10000)],
    )
    featured = models.BooleanField(_("featured"), default=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("provider"), FieldPanel("region")]),
        FieldRowPanel([FieldPanel("language"), FieldPanel("estimated_hours")]),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("schedule_note"),
                FieldPanel("delivery_mode"),
                FieldRowPanel([FieldPanel("venue"), FieldPanel("platform_name")]),
            ],
            heading=_("When and where"),
        ),
        FieldRowPanel([FieldPanel("cost"), FieldPanel("cost_note")]),
        FieldPanel("registration_url"),
        FieldPanel("featured"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("venue"),
        *CatalogueEntry.catalogue_search_fields,
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = []
    base_form_class = CoursePageForm
    is_external = True

    class Meta:
        verbose_name = _("external course")
        verbose_name_plural = _("external courses")

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The course cannot end before it starts.")
        if self.delivery_mode in (DeliveryMode.IN_PERSON, DeliveryMode.BLENDED) and not self.venue:
            errors["venue"] = _("Say where the course takes place.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_online(self):
        return self.delivery_mode == DeliveryMode.ONLINE
