"""Section 1: pilot cases and success stories."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import KeyFigureBlock

from .base import INTRO_FEATURES
from .sections import ResourcePage, SectionIndexPage


class StoryIndexPage(SectionIndexPage):
    subpage_types = ["cms.StoryPage"]

    class Meta:
        verbose_name = _("section: pilot cases and success stories")


class StoryPage(ResourcePage):
    class Kind(models.TextChoices):
        PILOT_CASE = "pilot_case", _("Pilot case")
        SUCCESS_STORY = "success_story", _("Success story")

    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.SUCCESS_STORY
    )
    challenge = RichTextField(_("challenge"), features=INTRO_FEATURES + ["ul", "ol"])
    solution = RichTextField(_("solution"), features=INTRO_FEATURES + ["ul", "ol"])
    results = RichTextField(_("results"), features=INTRO_FEATURES + ["ul", "ol"])
    key_figures = StreamField(
        [("figure", KeyFigureBlock())], verbose_name=_("key figures"), blank=True
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("summary"),
        *ResourcePage.classification_panels,
        FieldPanel("challenge"),
        FieldPanel("solution"),
        FieldPanel("results"),
        FieldPanel("key_figures"),
        InlinePanel("gallery_images", label=_("Gallery")),
        FieldPanel("body"),
    ]
    search_fields = [
        *ResourcePage.search_fields,
        index.SearchField("challenge"),
        index.SearchField("solution"),
        index.SearchField("results"),
        index.FilterField("kind"),
    ]
    parent_page_types = ["cms.StoryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("pilot case or success story")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["gallery"] = self.gallery_images.select_related("image").prefetch_related(
            "image__renditions"
        )
        return context


class StoryGalleryImage(Orderable):
    page = ParentalKey(StoryPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    alt_text = models.CharField(_("alternative text"), max_length=250, blank=True)
    caption = models.CharField(_("caption"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt_text"), FieldPanel("caption")]
