"""Joint projects of the partner regions (/projects/): partners from the directory, programme
and funding call, smart-specialisation area, regions, dates, budget, status, and outputs that
link to pages of the site (stories, technologies, newsletters, training courses of courses/ —
through a generic page chooser, so the core never imports the apps)."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.blocks import BodyBlock
from cms.models import (
    INTRO_FEATURES,
    LISTING_PAGE_SIZE,
    CachedViewRestrictionsMixin,
    LanguageSwitchMixin,
)
from cms.partners.taxonomy import S3_AREAS, S3_LABELS
from cms.selectors import exclude_private, in_locale_with_fallback

from .choices import PartnerRole, ProjectStatus
from .filters import ProjectFilterSet


class ProjectIndexPage(CachedViewRestrictionsMixin, LanguageSwitchMixin, Page):
    """/projects/: the joint projects, filtered by status, area, programme and region."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["projects.ProjectPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("projects index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filterset = ProjectFilterSet(request.GET or None, queryset=ProjectPage.objects.listed())
        context["filter"] = filterset
        context["projects"] = Paginator(filterset.qs, LISTING_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return context


class ProjectPageQuerySet(PageQuerySet):
    def listed(self, language_code=None):
        """Live, public projects in the visitor's language (English where untranslated)."""
        queryset = exclude_private(self.live()).prefetch_related("regions")
        return in_locale_with_fallback(queryset, language_code).order_by("-start_date", "title")


class ProjectPage(CachedViewRestrictionsMixin, LanguageSwitchMixin, Page):
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    summary = models.TextField(_("summary"), max_length=600)
    programme = models.CharField(
        _("programme"), max_length=200, help_text=_("e.g. Interreg CENTRAL EUROPE, Horizon Europe")
    )
    funding_call = models.ForeignKey(
        "cms.FundingCallPage",
        verbose_name=_("funding call"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    s3_area = models.CharField(
        _("smart-specialisation area"), max_length=40, choices=S3_AREAS, blank=True
    )
    regions = ParentalManyToManyField(
        "directory.Region", verbose_name=_("regions"), blank=True, related_name="+"
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.RUNNING
    )
    website = models.URLField(_("project website"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("acronym"), FieldPanel("status")]),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("programme"), FieldPanel("funding_call")]),
                FieldRowPanel([FieldPanel("budget"), FieldPanel("currency")]),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("s3_area"),
                FieldPanel("regions"),
                FieldPanel("website"),
            ],
            heading=_("Programme and dates"),
        ),
        InlinePanel("partners", label=_("Partner"), min_num=1),
        InlinePanel("outputs", label=_("Output")),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("acronym", boost=3),
        index.SearchField("summary", boost=2),
        index.SearchField("programme"),
        index.SearchField("body"),
        index.FilterField("status"),
        index.FilterField("s3_area"),
    ]
    parent_page_types = ["projects.ProjectIndexPage"]
    subpage_types = []

    objects = PageManager.from_queryset(ProjectPageQuerySet)()

    class Meta:
        verbose_name = _("joint project")
        verbose_name_plural = _("joint projects")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The project cannot end before it starts.")})

    @property
    def s3_area_label(self):
        return S3_LABELS.get(self.s3_area, "")

    def get_context(self, request, *args, **kwargs):
        """Partners, regions and outputs in a fixed number of queries."""
        context = super().get_context(request, *args, **kwargs)
        context["project_partners"] = list(
            self.partners.select_related("organisation__region").order_by("sort_order")
        )
        context["project_regions"] = list(self.regions.all())
        outputs = list(self.outputs.select_related("page").order_by("sort_order"))
        live_ids = set(
            exclude_private(Page.objects.live())
            .filter(pk__in=[output.page_id for output in outputs if output.page_id])
            .values_list("pk", flat=True)
        )
        context["project_outputs"] = [
            output for output in outputs if output.url or output.page_id in live_ids
        ]
        return context


class ProjectPartner(Orderable):
    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="project_partnerships",
    )
    role = models.CharField(
        _("role"), max_length=12, choices=PartnerRole.choices, default=PartnerRole.PARTNER
    )

    panels = [FieldRowPanel([FieldPanel("organisation"), FieldPanel("role")])]

    class Meta(Orderable.Meta):
        verbose_name = _("project partner")


class ProjectOutput(Orderable):
    """A result of the project: a page of the site (a story, a technology, a newsletter issue, a
    training course — any page type) or an outside link."""

    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="outputs")
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page of the site"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Leave empty to use the page's title.")
    )
    url = models.URLField(_("or a link"), blank=True)

    panels = [FieldPanel("page"), FieldRowPanel([FieldPanel("title"), FieldPanel("url")])]

    class Meta(Orderable.Meta):
        verbose_name = _("project output")

    def clean(self):
        super().clean()
        if not self.page_id and not self.url:
            raise ValidationError(_("Choose a page of the site or give a link."))
        if self.url and not self.title and not self.page_id:
            raise ValidationError({"title": _("Give the linked output a title.")})
