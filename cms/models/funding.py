"""Funding calls: /funding/ lists open calls first, then the closed ones."""

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.blocks import BodyBlock

from .base import (
    INTRO_FEATURES,
    LISTING_PAGE_SIZE,
    CachedViewRestrictionsMixin,
    LanguageSwitchMixin,
    RegionalPageMixin,
    Topic,
)
from .listing import listing_pages


class FundingIndexPage(CachedViewRestrictionsMixin, LanguageSwitchMixin, Page):
    """/funding/: funding programmes that can foster cooperation; open calls first."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.FundingCallPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("funding calls index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["open_calls"] = listing_pages(FundingCallPage).open()
        context["closed_calls"] = Paginator(
            listing_pages(FundingCallPage).closed(), LISTING_PAGE_SIZE
        ).get_page(request.GET.get("page"))
        return context


class FundingCallPageQuerySet(PageQuerySet):
    def open(self):
        """Calls still open, the nearest deadline first."""
        return (
            self.filter(deadline__gte=timezone.now()).select_related("funder").order_by("deadline")
        )

    def closed(self):
        """Calls past their deadline, the latest first."""
        return (
            self.filter(deadline__lt=timezone.now()).select_related("funder").order_by("-deadline")
        )


class FundingCallPage(CachedViewRestrictionsMixin, LanguageSwitchMixin, RegionalPageMixin, Page):
    programme = models.CharField(
        _("programme"),
        max_length=200,
        help_text=_("e.g. Horizon Europe, Interreg Central Europe, LIFE"),
    )
    opens = models.DateField(_("opens"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), db_index=True)
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    call_url = models.URLField(_("link to the call"))
    funder = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("funder or managing authority"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
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
    topics = ParentalManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="+")
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("programme"),
        FieldRowPanel([FieldPanel("opens"), FieldPanel("deadline")]),
        FieldRowPanel([FieldPanel("budget"), FieldPanel("currency")]),
        FieldPanel("call_url"),
        FieldRowPanel([FieldPanel("funder"), FieldPanel("region")]),
        FieldPanel("topics"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("programme", boost=2),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("deadline"),
        index.FilterField("region"),
    ]
    parent_page_types = ["cms.FundingIndexPage"]
    subpage_types = []

    objects = PageManager.from_queryset(FundingCallPageQuerySet)()

    class Meta:
        verbose_name = _("funding call")

    @property
    def is_open(self):
        return self.deadline >= timezone.now()
