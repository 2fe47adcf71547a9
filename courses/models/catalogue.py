"""The course catalogue's page tree: HomePage → CourseIndexPage (/courses/) → CoursePage →
ModulePage. The lessons are in ``lessons``, the external courses in ``external``."""

from django import forms
from django.core.validators import MinValueValidator
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms import tablecache
from cms.blocks import BodyBlock
from cms.links import absolute_url
from cms.models import CachedViewRestrictionsMixin
from courses.hooks import HookContextMixin
from courses.providers import CoursePageForm, ProviderPageMixin

# Languages a course can be taught in: the interface languages first, then the partner regions'.
COURSE_LANGUAGES = [
    ("en", _("English")),
    ("pl", _("Polish")),
    ("it", _("Italian")),
    ("de", _("German")),
    ("cs", _("Czech")),
    ("sl", _("Slovenian")),
    ("hr", _("Croatian")),
    ("hu", _("Hungarian")),
]


class CertificateDesign(models.TextChoices):
    CLASSIC = "classic", _("Classic (serif, framed)")
    MODERN = "modern", _("Modern (sans-serif, colour band)")


class CatalogueEntry(models.Model):
    """What the catalogue lists, filters and searches of every course, of this platform
    (CoursePage) or run elsewhere (ExternalCoursePage): who provides it, for which region, in
    which language, its topics and its summary."""

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
    language = models.CharField(
        _("language of instruction"), max_length=8, choices=COURSE_LANGUAGES, default="en"
    )
    topics = ParentalManyToManyField(
        "cms.Topic", verbose_name=_("topics"), blank=True, related_name="+"
    )
    summary = models.TextField(_("summary"), max_length=600)

    # Run elsewhere (ExternalCoursePage): the catalogue shows it with its own card.
    is_external = False

    # The catalogue's filters and the provider's and topics' names, in each page's search_fields.
    catalogue_search_fields = [
        index.FilterField("language"),
        index.FilterField("region"),
        index.FilterField("provider"),
        index.RelatedFields("provider", [index.SearchField("name")]),
        index.RelatedFields("topics", [index.SearchField("name")]),
    ]

    class Meta:
        abstract = True


class CourseIndexPage(CachedViewRestrictionsMixin, HookContextMixin, ProviderPageMixin, Page):
    """The course catalogue at /courses/: filters (region, provider, language, topic), search
    and pagination over the live courses below it (``courses.views.catalogue_context``)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage", "courses.ExternalCoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")


class CoursePage(
    CachedViewRestrictionsMixin, HookContextMixin, ProviderPageMixin, CatalogueEntry, Page
):
    """A course: who made it ("links to the developers"), for whom, and its modules in order;
    to a learner, their progress and certificate (``courses.views.course_context``)."""

    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)]
    )
    learning_outcomes = models.TextField(
        _("learning outcomes"),
        blank=True,
        help_text=_("One outcome per line: what a trainee can do after the course."),
    )
    prerequisites = models.TextField(
        _("prerequisites"),
        blank=True,
        help_text=_("What a trainee should know or have before starting; leave empty if none."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("introduction"), blank=True)
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("listing image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Show the course on the home page.")
    )
    enrolment_key = models.CharField(
        _("enrolment key"),
        max_length=64,
        blank=True,
        help_text=_("If set, trainees must enter this key to enrol (e.g. a class-room course)."),
    )
    certificate_design = models.CharField(
        _("certificate design"),
        max_length=20,
        choices=CertificateDesign.choices,
        default=CertificateDesign.CLASSIC,
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate validity (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for certificates that do not expire."),
    )
    signature_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signatory_name = models.CharField(_("signatory name"), max_length=150, blank=True)
    signatory_title = models.CharField(_("signatory title"), max_length=150, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("provider"), FieldPanel("region")]),
        FieldRowPanel(
            [FieldPanel("language"), FieldPanel("estimated_hours"), FieldPanel("featured")]
        ),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("listing_image"),
        FieldPanel("learning_outcomes"),
        FieldPanel("prerequisites"),
        FieldPanel("body"),
    ]
    settings_panels = [
        *Page.settings_panels,
        FieldPanel("enrolment_key"),
        MultiFieldPanel(
            [
                FieldPanel("certificate_design"),
                FieldPanel("certificate_validity_months"),
                FieldPanel("signature_image"),
                FieldRowPanel([FieldPanel("signatory_name"), FieldPanel("signatory_title")]),
            ],
            heading=_("Certificate"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("learning_outcomes"),
        index.SearchField("body"),
        *CatalogueEntry.catalogue_search_fields,
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]
    base_form_class = CoursePageForm

    class Meta:
        verbose_name = _("course")

    @property
    def outcome_list(self):
        return [line.strip(" -•\t") for line in self.learning_outcomes.splitlines() if line.strip()]

    @property
    def prerequisite_list(self):
        return [line.strip(" -•\t") for line in self.prerequisites.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.listing_image_id:
            rendition = self.listing_image.get_rendition("fill-1200x630")
            context["og_image_url"] = absolute_url(rendition.url)
        return context


class CourseActivityMixin:
    """A lesson or quiz: a page below a module of a course, which reads its course (with the
    provider) once per page object, since the gate, the context and the outline of a request
    all ask for it."""

    def course_paths(self) -> list[str]:
        """The paths of the page's ancestors, among which is its course's."""
        step = self.steplen
        return [self.path[:end] for end in range(step, len(self.path), step)]

    def get_course(self):
        """The course above the page, with its provider: kept until a page or an organisation
        is written (cms/tablecache.py; a learner's every lesson and quiz asks it), and read
        once per page object. (A page not saved yet, in a preview, reads it.)"""
        if "_course" not in self.__dict__:
            from cms.directory.models import Organisation

            def read():
                return (
                    CoursePage.objects.filter(path__in=self.course_paths())
                    .select_related("provider")
                    .first()
                )

            self.__dict__["_course"] = (
                read()
                if self.pk is None
                else tablecache.cached(
                    "activity-course",
                    self.pk,
                    self.path,
                    tables=tablecache.page_tables() | tablecache.tables_of(Organisation),
                    compute=read,
                    keep=lambda course: course is not None,
                )
            )
        return self.__dict__["_course"]


class ModulePage(CachedViewRestrictionsMixin, ProviderPageMixin, Page):
    """A module of a course: an ordered sequence of lessons and quizzes."""

    summary = models.TextField(_("summary"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage", "quizzes.QuizPage"]

    class Meta:
        verbose_name = _("module")

    def serve(self, request, *args, **kwargs):
        # A module is shown as a section of its course page.
        return redirect(self.get_parent().url + f"#module-{self.slug}")
