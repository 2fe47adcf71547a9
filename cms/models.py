"""Page types of the Virtual Centre.

The tree: HomePage → ResourceIndexPage (/resources/) → one section index per section → its
resource pages; HomePage → EventIndexPage (/events/) → EventPage; HomePage → FundingIndexPage
(/funding/) → FundingCallPage. Section pages that show another app's content (the training
catalogue, the working groups) are defined in that app with
``parent_page_types = ["cms.ResourceIndexPage"]``.
"""

from zoneinfo import ZoneInfo

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from cms.directory.countries import COUNTRIES

from . import selectors
from .blocks import BodyBlock, ExternalResourceBlock, KeyFigureBlock
from .editing import RegionalPageForm, RegionalPagePermissionTester, TechnologyPageForm
from .events import views as event_views
from .events.filters import EVENT_KINDS, EventFilterSet
from .events.ical import events_calendar
from .hooks import collect_home_panels, collect_impact_figures, collect_section_panels
from .taxonomy import FIBRE_CHOICES, PROCESSES, WASTE_CODES

INTRO_FEATURES = ["bold", "italic", "link"]
LISTING_PAGE_SIZE = 12


class LanguageSwitchMixin:
    """The language switcher of a page leads to the page's own translation (cms.views
    .page_translation), not to the same path in another language."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["language_switch_next"] = reverse("page_translation", args=[self.pk])
        return context


class RegionalPageMixin:
    """Pages that belong to a region: regional editors act only on their regions' pages
    (cms/editing.py)."""

    base_form_class = RegionalPageForm

    def permissions_for_user(self, user):
        return RegionalPagePermissionTester(user, self)


@register_snippet
class Topic(index.Indexed, models.Model):
    """A controlled topic tag (sorting, chemical recycling, EPR, ...) for filtering resources."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name


class HomePage(LanguageSwitchMixin, Page):
    """The site root: what the Virtual Centre is, and what is new in every part of it."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    def route(self, request, path_components):
        """Under a translated home page (/pl/…, /it/…), a path with no page in that language
        is served from the original tree: the untranslated page in its own language, the
        interface in the visitor's (the training catalogue, events, … before anyone translates
        them), rather than a 404."""
        try:
            return super().route(request, path_components)
        except Http404:
            original = self.get_translations().filter(locale=Locale.get_default()).first()
            if original is None or not path_components:
                raise
            return original.specific.route(request, path_components)

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_stories"] = selectors.listing_pages(StoryPage, with_topics=False).order_by(
            "-date", "-first_published_at"
        )[:3]
        context["upcoming_events"] = selectors.upcoming_events(with_topics=False).select_related(
            "organiser"
        )[:4]
        context["open_calls"] = selectors.open_funding_calls(with_topics=False)[:4]
        context["home_panels"] = collect_home_panels(request)
        context["impact_figures"] = collect_impact_figures()
        return context


class LegalPageKind(models.TextChoices):
    PRIVACY = "privacy", _("Privacy notice")
    TERMS = "terms", _("Terms of use")


class LegalPage(LanguageSwitchMixin, Page):
    """The privacy notice or the terms of use, written and translated in the CMS like any page.
    /privacy/ and /terms/ (linked in the footer and from sign-up) lead to the live one of each
    kind, whatever its slug (cms.views.legal_page)."""

    kind = models.CharField(_("kind"), max_length=8, choices=LegalPageKind.choices)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("kind"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("privacy notice or terms")


class ResourceIndexPage(LanguageSwitchMixin, Page):
    """/resources/: the Virtual Centre's seven sections."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Virtual Centre index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().public().specific()
        return context


class SectionIndexPage(LanguageSwitchMixin, Page):
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
        pages = selectors.listing_pages(self.listing_model)
        form = self.filter_form_class()(request.GET or None, years=self._years())
        if form.is_valid():
            pages = form.filter(pages)
        pages = pages.order_by("-date", "-first_published_at", "-pk")
        context["filter_form"] = form
        context["resources"] = Paginator(pages, LISTING_PAGE_SIZE).get_page(request.GET.get("page"))
        return context

    def filter_form_class(self):
        return ResourceFilterForm

    def _years(self):
        model = self.listing_model
        return [day.year for day in model.objects.live().dates("date", "year", order="DESC")]


class ResourceFilterForm(forms.Form):
    """The filters of a section index: region, topic and year. Unknown values are refused by
    the form and the listing stays unfiltered."""

    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label=_("All regions"),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label=_("All topics"),
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        from cms.directory.models import Region

        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.all()
        self.fields["topic"].queryset = Topic.objects.all()
        self.fields["year"].choices = [("", _("All years")), *[(y, y) for y in years]]

    def filter(self, pages):
        data = self.cleaned_data
        if data.get("region"):
            pages = pages.filter(region=data["region"])
        if data.get("topic"):
            pages = pages.filter(topics=data["topic"])
        if data.get("year"):
            pages = pages.filter(date__year=data["year"])
        return pages


class SectionPanelsIndexPage(LanguageSwitchMixin, Page):
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


class ResourcePage(LanguageSwitchMixin, RegionalPageMixin, Page):
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
        context["section"] = self.get_parent()
        context["involved_organisations"] = self.organisations.select_related("region")
        return context


# 1. Pilot cases and success stories ------------------------------------------------------------
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


# 4. Technological solutions --------------------------------------------------------------------
class TechnologyIndexPage(SectionIndexPage):
    subpage_types = ["cms.TechnologyPage"]

    def filter_form_class(self):
        return TechnologyFilterForm

    class Meta:
        verbose_name = _("section: technological solutions")


class TechnologyPage(ResourcePage):
    developer = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("developer"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The organisation that developed the technology."),
    )
    readiness_level = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("TRL 1 (basic principles observed) to 9 (proven in operational environment)."),
    )
    fibres = models.JSONField(_("fibres handled"), default=list, blank=True)
    waste_codes = models.JSONField(_("waste codes handled"), default=list, blank=True)
    processes = models.JSONField(_("processes"), default=list, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_url = models.URLField(_("contact or product page"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("developer"), FieldPanel("readiness_level")]),
        *ResourcePage.classification_panels,
        MultiFieldPanel(
            [FieldPanel("fibres"), FieldPanel("waste_codes"), FieldPanel("processes")],
            heading=_("Materials and processes"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("contact_url")],
            heading=_("Contact"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *ResourcePage.search_fields,
        index.RelatedFields("developer", [index.SearchField("name")]),
        index.FilterField("readiness_level"),
    ]
    parent_page_types = ["cms.TechnologyIndexPage"]
    subpage_types = []
    base_form_class = TechnologyPageForm

    class Meta:
        verbose_name = _("technological solution")

    @property
    def fibre_labels(self):
        labels = dict(FIBRE_CHOICES)
        return [labels.get(code, code) for code in self.fibres]

    @property
    def waste_code_labels(self):
        labels = dict(WASTE_CODES)
        return [(code, labels.get(code, "")) for code in self.waste_codes]

    @property
    def process_labels(self):
        labels = dict(PROCESSES)
        return [labels.get(code, code) for code in self.processes]

    @property
    def readiness_description(self):
        return TRL_DESCRIPTIONS.get(self.readiness_level, "")


def _json_list_has(field, code):
    """A Q for a JSON list field holding ``code`` (portable: SQLite has no JSON contains)."""
    return Q(**{f"{field}__icontains": f'"{code}"'})


class TechnologyFilterForm(ResourceFilterForm):
    """Technologies are also found by readiness, process step, fibre and waste stream."""

    trl = forms.TypedChoiceField(
        label=_("Readiness at least"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any readiness"))] + [(n, f"TRL {n}") for n in range(1, 10)],
    )
    process = forms.ChoiceField(
        label=_("Process step"), required=False, choices=[("", _("Any process")), *PROCESSES]
    )
    fibre = forms.ChoiceField(
        label=_("Fibre"), required=False, choices=[("", _("Any fibre")), *FIBRE_CHOICES]
    )
    waste_code = forms.ChoiceField(
        label=_("Waste stream"),
        required=False,
        choices=[("", _("Any waste stream")), *[(c, f"{c} {label}") for c, label in WASTE_CODES]],
    )

    def filter(self, pages):
        pages = super().filter(pages)
        data = self.cleaned_data
        if data.get("trl"):
            pages = pages.filter(readiness_level__gte=data["trl"])
        for name, field in (
            ("process", "processes"),
            ("fibre", "fibres"),
            ("waste_code", "waste_codes"),
        ):
            if data.get(name):
                pages = pages.filter(_json_list_has(field, data[name]))
        return pages


TRL_DESCRIPTIONS = {
    1: _("Basic principles observed"),
    2: _("Technology concept formulated"),
    3: _("Experimental proof of concept"),
    4: _("Technology validated in lab"),
    5: _("Technology validated in relevant environment"),
    6: _("Technology demonstrated in relevant environment"),
    7: _("System prototype demonstration in operational environment"),
    8: _("System complete and qualified"),
    9: _("Actual system proven in operational environment"),
}


# 5. Research and technological trends ----------------------------------------------------------
doi_validator = RegexValidator(
    r"^10\.\d{4,9}/\S+$", _("Enter a DOI such as 10.1016/j.resconrec.2020.105012.")
)


class ResearchIndexPage(SectionIndexPage):
    subpage_types = ["cms.ResearchPage"]

    class Meta:
        verbose_name = _("section: research and technological trends")


class ResearchPage(ResourcePage):
    """A publication or trend report. ``date`` is the publication date."""

    source_url = models.URLField(_("source URL"))
    doi = models.CharField(_("DOI"), max_length=200, blank=True, validators=[doi_validator])
    publisher = models.CharField(_("publisher or journal"), max_length=200, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        InlinePanel("creators", label=_("Creators"), min_num=1),
        MultiFieldPanel(
            [FieldPanel("source_url"), FieldPanel("doi"), FieldPanel("publisher")],
            heading=_("Source"),
        ),
        *ResourcePage.classification_panels,
        FieldPanel("body"),
    ]
    search_fields = [
        *ResourcePage.search_fields,
        index.SearchField("publisher"),
        index.RelatedFields("creators", [index.SearchField("name")]),
    ]
    parent_page_types = ["cms.ResearchIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("research or trend")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["creator_list"] = self.creators.select_related("organisation")
        return context

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""


class ResearchCreator(Orderable):
    page = ParentalKey(ResearchPage, on_delete=models.CASCADE, related_name="creators")
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("url"), FieldPanel("organisation")]


# 6. Newsletters from partner regions -----------------------------------------------------------
class NewsletterIndexPage(SectionIndexPage):
    subpage_types = ["cms.NewsletterIssuePage"]

    class Meta:
        verbose_name = _("section: newsletters from partner regions")


class NewsletterIssuePage(ResourcePage):
    """One issue of a region's newsletter. ``date`` is the issue date; ``region`` is required.
    Publishing it e-mails it to the region's confirmed subscribers (cms/newsletters)."""

    creator = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("creator"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The organisation that writes this newsletter."),
    )
    issue_number = models.CharField(_("issue number"), max_length=20, blank=True)
    pdf = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("PDF edition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("creator"), FieldPanel("issue_number")]),
        *ResourcePage.classification_panels,
        FieldPanel("pdf"),
        FieldPanel("body"),
    ]
    search_fields = [
        *ResourcePage.search_fields,
        index.RelatedFields("creator", [index.SearchField("name")]),
    ]
    parent_page_types = ["cms.NewsletterIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("newsletter issue")

    def clean(self):
        super().clean()
        if not self.region_id:
            raise ValidationError({"region": _("A newsletter issue belongs to a partner region.")})


# 7. Legislation --------------------------------------------------------------------------------
celex_validator = RegexValidator(
    r"^[0-9CE][0-9]{4}[A-Z]{1,2}[0-9]{4}(\([0-9]+\))?$",
    _("Enter a CELEX number such as 32008L0098 or 32011R1007."),
)


class LegislationIndexPage(SectionIndexPage):
    subpage_types = ["cms.LegislationPage"]

    class Meta:
        verbose_name = _("section: legislation")


class LegislationPage(ResourcePage):
    """A legal instrument. ``date`` is the adoption (or proposal) date; ``summary`` is the
    plain-language summary."""

    class InstrumentType(models.TextChoices):
        REGULATION = "regulation", _("Regulation")
        DIRECTIVE = "directive", _("Directive")
        DECISION = "decision", _("Decision")
        PROPOSAL = "proposal", _("Legislative proposal")
        STRATEGY = "strategy", _("Strategy or communication")
        NATIONAL_ACT = "national_act", _("National act")
        REGIONAL_ACT = "regional_act", _("Regional act")
        STANDARD = "standard", _("Standard or guidance")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ADOPTED = "adopted", _("Adopted, not yet applicable")
        IN_FORCE = "in_force", _("In force")
        REPEALED = "repealed", _("Repealed")

    jurisdiction = models.CharField(
        _("jurisdiction"),
        max_length=2,
        choices=[("EU", _("European Union")), *COUNTRIES],
        default="EU",
    )
    instrument_type = models.CharField(
        _("instrument type"), max_length=20, choices=InstrumentType.choices
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    identifier = models.CharField(
        _("official identifier"),
        max_length=120,
        blank=True,
        help_text=_("e.g. Directive 2008/98/EC"),
    )
    celex_number = models.CharField(
        _("CELEX number"), max_length=20, blank=True, validators=[celex_validator]
    )
    source_url = models.URLField(
        _("original source"), help_text=_("EUR-Lex or the official journal.")
    )
    entry_into_force = models.DateField(_("entry into force"), null=True, blank=True)
    application_date = models.DateField(_("date of application"), null=True, blank=True)
    related_publications = StreamField(
        [("publication", ExternalResourceBlock())],
        verbose_name=_("related publications"),
        blank=True,
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel(
            [FieldPanel("jurisdiction"), FieldPanel("instrument_type"), FieldPanel("status")]
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("identifier"), FieldPanel("celex_number")]),
                FieldPanel("source_url"),
                FieldRowPanel([FieldPanel("entry_into_force"), FieldPanel("application_date")]),
            ],
            heading=_("Source and dates"),
        ),
        *ResourcePage.classification_panels,
        FieldPanel("body"),
        FieldPanel("related_publications"),
    ]
    search_fields = [
        *ResourcePage.search_fields,
        index.SearchField("identifier", boost=2),
        index.SearchField("celex_number"),
        index.FilterField("jurisdiction"),
        index.FilterField("status"),
    ]
    parent_page_types = ["cms.LegislationIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("legislation")

    @property
    def eur_lex_url(self):
        if self.celex_number:
            return f"https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{self.celex_number}"
        return ""


# Events ----------------------------------------------------------------------------------------
TIME_ZONES = [
    ("Europe/Brussels", "Europe/Brussels (CET)"),
    ("Europe/Warsaw", "Europe/Warsaw (CET)"),
    ("Europe/Rome", "Europe/Rome (CET)"),
    ("Europe/Ljubljana", "Europe/Ljubljana (CET)"),
    ("Europe/Zagreb", "Europe/Zagreb (CET)"),
    ("Europe/Prague", "Europe/Prague (CET)"),
    ("Europe/Berlin", "Europe/Berlin (CET)"),
    ("Europe/Vienna", "Europe/Vienna (CET)"),
    ("Europe/Budapest", "Europe/Budapest (CET)"),
    ("Europe/Lisbon", "Europe/Lisbon (WET)"),
    ("Europe/London", "Europe/London (GMT)"),
    ("Europe/Athens", "Europe/Athens (EET)"),
    ("Europe/Helsinki", "Europe/Helsinki (EET)"),
    ("UTC", "UTC"),
]


class EventIndexPage(LanguageSwitchMixin, RoutablePageMixin, Page):
    """/events/: upcoming and past events of the partner networks, and the iCalendar feed."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("events index")

    @path("")
    def listing(self, request):
        when = "past" if request.GET.get("when") == "past" else "upcoming"
        if when == "past":
            events = selectors.past_events()
        else:
            events = selectors.upcoming_events()
        filters = EventFilterSet(request.GET or None, queryset=events.select_related("organiser"))
        page = Paginator(filters.qs, LISTING_PAGE_SIZE).get_page(request.GET.get("page"))
        return self.render(
            request, context_overrides={"events": page, "when": when, "filter": filters}
        )

    @path("ical/", name="ical")
    def ical(self, request):
        """The whole calendar, upcoming and the last year's past events, as iCalendar."""
        since = timezone.now() - timezone.timedelta(days=365)
        events = (
            selectors.listing_pages(EventPage)
            .filter(end__gte=since)
            .select_related("organiser")
            .order_by("start")
        )
        return ical_response(request, events, filename="textile-virtual-centre-events.ics")

    @property
    def ical_url(self):
        return self.url + self.reverse_subpage("ical")


class RegistrationMode(models.TextChoices):
    NONE = "none", _("No registration")
    EXTERNAL = "external", _("Registration on another site (link)")
    ON_SITE = "on_site", _("Registration on this site")


class EventPage(LanguageSwitchMixin, RegionalPageMixin, RoutablePageMixin, Page):
    """An event. ``start`` and ``end`` are stored in UTC and shown in ``time_zone``.

    With on-site registration, people register at ``register/`` (cms/events): a capacity, a
    waiting list, a deadline and the organiser's questions; ``b2b_meetings`` lets registered
    participants book meetings with each other in the organiser's timetable."""

    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    time_zone = models.CharField(
        _("time zone"), max_length=40, choices=TIME_ZONES, default="Europe/Brussels"
    )
    is_online = models.BooleanField(_("online event"), default=False)
    online_url = models.URLField(_("online meeting or stream link"), blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES, blank=True)
    organiser = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organising network or partner"),
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
    kind = models.CharField(_("type"), max_length=20, choices=EVENT_KINDS, blank=True)
    networks = ParentalManyToManyField(
        "directory.Organisation",
        verbose_name=_("shared with the networks"),
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "network"},
        help_text=_("Partner networks whose members are invited (TEX4IM, Textranet, ENTeR)."),
    )
    registration_mode = models.CharField(
        _("registration"),
        max_length=10,
        choices=RegistrationMode.choices,
        default=RegistrationMode.NONE,
    )
    registration_url = models.URLField(_("registration link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text=_("Leave empty for no limit."),
    )
    registration_deadline = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty to accept registrations until the event starts."),
    )
    waiting_list = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When the event is full, people join a waiting list and move up in turn."),
    )
    b2b_meetings = models.BooleanField(
        _("B2B meetings"),
        default=False,
        help_text=_("Registered participants publish a profile and book meetings."),
    )
    summary = models.TextField(_("summary"), max_length=600)
    topics = ParentalManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="+")
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end"), FieldPanel("time_zone")])],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("is_online"), FieldPanel("online_url")]),
                FieldPanel("venue"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
            ],
            heading=_("Where"),
        ),
        FieldRowPanel([FieldPanel("organiser"), FieldPanel("region"), FieldPanel("kind")]),
        FieldPanel("networks"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("registration_mode"), FieldPanel("registration_url")]),
                FieldRowPanel(
                    [
                        FieldPanel("capacity"),
                        FieldPanel("registration_deadline"),
                        FieldPanel("waiting_list"),
                    ]
                ),
                InlinePanel("registration_questions", label=_("Question")),
                FieldPanel("b2b_meetings"),
            ],
            heading=_("Registration"),
        ),
        FieldPanel("topics"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.SearchField("city"),
        index.FilterField("start"),
        index.FilterField("region"),
        index.RelatedFields("organiser", [index.SearchField("name")]),
    ]
    parent_page_types = ["cms.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")

    @path("ical/", name="ical")
    def ical(self, request):
        return ical_response(request, [self], filename=f"{self.slug}.ics")

    @path("register/", name="register")
    def register(self, request):
        return event_views.register(request, self)

    @path("register/cancel/", name="register_cancel")
    def register_cancel(self, request):
        return event_views.register_cancel(request, self)

    @path("attendees/", name="attendees")
    def attendees(self, request):
        return event_views.attendees(request, self)

    @path("attendees/csv/", name="attendees_csv")
    def attendees_csv(self, request):
        return event_views.attendees_csv(request, self)

    @path("meetings/", name="meetings")
    def meetings(self, request):
        return event_views.meetings(request, self)

    @path("meetings/profile/", name="meeting_profile")
    def meeting_profile(self, request):
        return event_views.meeting_profile(request, self)

    @path("meetings/request/<int:registration_id>/", name="meeting_request")
    def meeting_request(self, request, registration_id):
        return event_views.meeting_request(request, self, registration_id)

    @path("meetings/<int:meeting_id>/<str:answer>/", name="meeting_answer")
    def meeting_answer(self, request, meeting_id, answer):
        if answer not in ("accept", "decline", "cancel"):
            raise Http404
        return event_views.meeting_answer(request, self, meeting_id, answer)

    @path("meetings/agenda/", name="meeting_agenda")
    def meeting_agenda(self, request):
        return event_views.meeting_agenda(request, self)

    @path("meetings/agenda/ics/", name="meeting_agenda_ics")
    def meeting_agenda_ics(self, request):
        return event_views.meeting_agenda_ics(request, self)

    @path("meetings/grid/", name="meeting_grid")
    def meeting_grid(self, request):
        return event_views.meeting_grid(request, self)

    @property
    def registers_on_site(self):
        return self.registration_mode == RegistrationMode.ON_SITE

    @property
    def registers_elsewhere(self):
        return self.registration_mode == RegistrationMode.EXTERNAL and bool(self.registration_url)

    @property
    def registration_closes(self):
        """When on-site registration closes: the deadline, or the start of the event."""
        if self.registration_deadline and self.registration_deadline < self.start:
            return self.registration_deadline
        return self.start

    @property
    def registration_is_open(self):
        return self.registers_on_site and timezone.now() < self.registration_closes

    @property
    def register_url(self):
        return self.url + self.reverse_subpage("register")

    @property
    def ical_url(self):
        return self.url + self.reverse_subpage("ical")

    @property
    def local_start(self):
        return timezone.localtime(self.start, ZoneInfo(self.time_zone))

    @property
    def local_end(self):
        return timezone.localtime(self.end, ZoneInfo(self.time_zone))

    @property
    def is_past(self):
        return self.end < timezone.now()

    @property
    def location(self):
        parts = [self.venue, self.city, self.get_country_display() if self.country else ""]
        return ", ".join(part for part in parts if part)

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The event cannot end before it starts.")})
        if not self.is_online and not self.city:
            raise ValidationError({"city": _("Give the city of an event that is not online.")})
        if self.is_online and not self.online_url and not self.registration_url:
            raise ValidationError(
                {"online_url": _("Give the link to join, or a registration link.")}
            )
        if self.registration_mode == RegistrationMode.EXTERNAL and not self.registration_url:
            raise ValidationError({"registration_url": _("Give the link where people register.")})


class EventQuestion(Orderable):
    """A question the organiser asks everyone who registers on the site."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short answer")
        LONG_TEXT = "long_text", _("Long answer")
        CHOICE = "choice", _("One of the options")
        CHECKBOX = "checkbox", _("Yes or no")

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="registration_questions")
    label = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SHORT_TEXT)
    options = models.TextField(
        _("options"), blank=True, help_text=_("For “one of the options”: one option a line.")
    )
    required = models.BooleanField(_("required"), default=False)

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("kind"), FieldPanel("required")]),
        FieldPanel("options"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("registration question")

    def __str__(self):
        return self.label

    @property
    def option_list(self):
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if self.kind == self.Kind.CHOICE and len(self.option_list) < 2:
            raise ValidationError({"options": _("Give at least two options, one a line.")})


# Funding calls ---------------------------------------------------------------------------------
class FundingIndexPage(LanguageSwitchMixin, Page):
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
        context["open_calls"] = selectors.open_funding_calls()
        context["closed_calls"] = Paginator(
            selectors.closed_funding_calls(), LISTING_PAGE_SIZE
        ).get_page(request.GET.get("page"))
        return context


class FundingCallPage(LanguageSwitchMixin, RegionalPageMixin, Page):
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

    class Meta:
        verbose_name = _("funding call")

    @property
    def is_open(self):
        return self.deadline >= timezone.now()


def ical_response(request, events, *, filename):
    """An iCalendar file of ``events``; times carry their time zone (VTIMEZONE included)."""
    response = HttpResponse(
        events_calendar(events, request=request), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
