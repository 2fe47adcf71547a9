"""What the seven sections of the Virtual Centre share: a section index with a filtered,
paginated listing, the sections filled by other apps (working groups, training) through the
SECTION_PANELS hook, and the fields common to every resource page."""

from django import forms
from django.apps import apps
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms import tablecache
from cms.blocks import BodyBlock
from cms.directory.models import Region
from cms.forms import ResourceFilterForm
from cms.hooks import collect_section_panels
from cms.widgets import keep_choices

from .base import (
    INTRO_FEATURES,
    LISTING_PAGE_SIZE,
    CachedViewRestrictionsMixin,
    LanguageSwitchMixin,
    RegionalPageMixin,
    Topic,
)
from .listing import listing_pages


class SectionIndexPage(CachedViewRestrictionsMixin, LanguageSwitchMixin, Page):
    """Shared behaviour of the section indexes: intro, and a filtered, paginated listing of
    the section's pages. Concrete sections set ``subpage_types``."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.ResourceIndexPage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True

    def get_template(self, request, *args, **kwargs):
        return "cms/section_index_page.html"

    @property
    def listing_model(self):
        return apps.get_model(self.subpage_types[0])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read when the template needs them: not when the listing comes from the cache.
        listing = SimpleLazyObject(lambda: self._listing(request))
        context["filter_form"] = SimpleLazyObject(lambda: listing["filter_form"])
        context["resources"] = SimpleLazyObject(lambda: listing["resources"])
        return context

    def _listing(self, request):
        pages = listing_pages(self.listing_model)
        years = tablecache.cached(
            "section-years",
            self.listing_model._meta.label,
            tables=tablecache.page_tables(),
            compute=self._years,
        )
        form = self.filter_form_class()(
            request.GET or None, topics=Topic.objects.all(), years=years
        )
        keep_choices(form.fields["region"], "regions", tables=tablecache.tables_of(Region))
        keep_choices(form.fields["topic"], "topics", tables=tablecache.tables_of(Topic))
        if form.is_valid():
            pages = form.filter(pages)
        pages = pages.order_by("-date", "-first_published_at", "-pk")
        resources = Paginator(pages, LISTING_PAGE_SIZE).get_page(request.GET.get("page"))
        return {"filter_form": form, "resources": resources}

    def filter_form_class(self):
        return ResourceFilterForm

    def _years(self):
        model = self.listing_model
        return [day.year for day in model.objects.live().dates("date", "year", order="DESC")]


class SectionPanelsIndexPage(CachedViewRestrictionsMixin, LanguageSwitchMixin, Page):
    """A section whose content comes from another app through the SECTION_PANELS hook (the
    working groups from forum/, the training catalogue from courses/). With no app
    registered it shows its introduction and says nothing is listed yet."""

    section_key = ""
    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.ResourceIndexPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        abstract = True

    def get_template(self, request, *args, **kwargs):
        return "cms/section_panels_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["section_panels"] = collect_section_panels(self.section_key, request)
        return context


# 2. Forum and working groups -------------------------------------------------------------------
class WorkingGroupsIndexPage(SectionPanelsIndexPage):
    section_key = "working-groups"

    class Meta:
        verbose_name = _("section: forum and working groups")


# 3. Training modules ---------------------------------------------------------------------------
class TrainingIndexPage(SectionPanelsIndexPage):
    section_key = "training"

    class Meta:
        verbose_name = _("section: training modules")


class ResourcePage(CachedViewRestrictionsMixin, LanguageSwitchMixin, RegionalPageMixin, Page):
    """Shared fields of the resources of every section: region, topics, organisations involved
    ("links to the developers/creators"), a summary for listings, feeds and link previews, a
    listing image, a date for the year filter, and a body from the block library."""

    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    date = models.DateField(_("date"), default=timezone.localdate, db_index=True)
    summary = models.TextField(
        _("summary"),
        max_length=600,
        help_text=_("A plain-language summary for listings, feeds and link previews."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("listing image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topics = ParentalManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="+")
    organisations = ParentalManyToManyField(
        "directory.Organisation",
        verbose_name=_("organisations involved"),
        blank=True,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.FilterField("region"),
        index.FilterField("date"),
        index.RelatedFields("organisations", [index.SearchField("name")]),
        index.RelatedFields("topics", [index.SearchField("name")]),
    ]
    classification_panels = [
        FieldRowPanel([FieldPanel("region"), FieldPanel("date")]),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("organisations"),
        FieldPanel("image"),
    ]

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read when the template needs it (not when the page's content comes from the cache).
        context["section"] = SimpleLazyObject(self.get_parent)
        context["involved_organisations"] = self.organisations.select_related("region")
        return context
