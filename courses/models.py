"""The training platform's page tree, authored in the Wagtail admin.

HomePage → CourseIndexPage (/courses/, the catalogue) → CoursePage → ModulePage (in order) →
LessonPage and quizzes.QuizPage (in order). Lessons and quizzes are the *activities* of a
course; the completion rule is "every required lesson completed and every required quiz
passed". Learner state (enrolments, lesson completions, certificates) lives in ordinary models
next to these pages; quiz state (question bank, attempts) lives in ``courses.quizzes``.
"""

import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BodyBlock
from cms.files import random_file_name
from cms.links import absolute_url
from cms.storage import private_storage

from .providers import CoursePageForm, ProviderGroup, ProviderPageMixin  # noqa: F401

INTRO_FEATURES = ["bold", "italic", "link", "ul", "ol"]

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


class CourseIndexPage(ProviderPageMixin, Page):
    """The course catalogue at /courses/: filters (region, provider, language, topic), search
    and pagination over the live courses below it."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage", "courses.ExternalCoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from courses.filters import catalogue_filtersets

        context = super().get_context(request, *args, **kwargs)
        course_filter, external_filter = catalogue_filtersets(request.GET, self)
        # Courses of this platform and external courses in one list: two queries (plus their
        # prefetches) whatever the filters, merged and paginated here.
        entries = sorted(
            [*course_filter.qs, *external_filter.qs],
            key=lambda entry: (not entry.featured, entry.title.lower()),
        )
        paginator = Paginator(entries, settings.COURSES_CATALOGUE_PER_PAGE)
        context["courses"] = paginator.get_page(request.GET.get("page"))
        context["filter"] = course_filter
        context["filter_form"] = course_filter.form
        context["is_filtered"] = any(value for key, value in request.GET.items() if key != "page")
        context["enrolment_states"] = {}
        if request.user.is_authenticated:
            context["enrolment_states"] = {
                course_id: ("completed" if completed_at else "enrolled")
                for course_id, completed_at in Enrolment.objects.filter(
                    user=request.user
                ).values_list("course_id", "completed_at")
            }
        return context


class CoursePage(ProviderPageMixin, Page):
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
    language = models.CharField(
        _("language of instruction"), max_length=8, choices=COURSE_LANGUAGES, default="en"
    )
    topics = ParentalManyToManyField(
        "cms.Topic", verbose_name=_("topics"), blank=True, related_name="+"
    )
    summary = models.TextField(_("summary"), max_length=600)
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
        index.FilterField("language"),
        index.FilterField("region"),
        index.FilterField("provider"),
        index.RelatedFields("provider", [index.SearchField("name")]),
        index.RelatedFields("topics", [index.SearchField("name")]),
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
        from courses import selectors

        context = super().get_context(request, *args, **kwargs)
        context["modules"] = selectors.course_outline(course=self)
        context["enrolment"] = None
        if self.listing_image_id:
            rendition = self.listing_image.get_rendition("fill-1200x630")
            context["og_image_url"] = absolute_url(rendition.url)
        if request.user.is_authenticated:
            enrolment = (
                Enrolment.objects.filter(user=request.user, course=self)
                .select_related("last_activity")
                .first()
            )
            context["enrolment"] = enrolment
            if enrolment:
                context["progress"] = selectors.course_progress(
                    user=request.user, course=self, outline=context["modules"]
                )
                context["certificate"] = Certificate.objects.filter(
                    user=request.user, course=self
                ).first()
        return context


class ModulePage(ProviderPageMixin, Page):
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


class LessonPage(ProviderPageMixin, Page):
    """A lesson: content from the shared block library. Only enrolled trainees read it."""

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

    def get_course(self):
        return CoursePage.objects.ancestor_of(self).select_related("provider").first()

    def serve(self, request, *args, **kwargs):
        from courses import services

        course = self.get_course()
        enrolment = None
        if request.user.is_authenticated:
            enrolment = Enrolment.objects.filter(user=request.user, course=course).first()
        if enrolment is None and not getattr(request, "is_preview", False):
            messages.info(request, _("Enrol in the course to read its lessons."))
            return redirect(course.url + "#enrol")
        if enrolment is not None:
            services.enrolment_record_visit(enrolment=enrolment, page=self)
        request.course = course
        request.enrolment = enrolment
        if self.scorm_package_id and enrolment is not None:
            from courses.scorm import services as scorm_services

            request.scorm_attempt = scorm_services.attempt_current(user=request.user, lesson=self)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from courses import selectors

        context = super().get_context(request, *args, **kwargs)
        course = getattr(request, "course", None) or self.get_course()
        outline = selectors.course_outline(course=course)
        context["course"] = course
        context["modules"] = outline
        activities = [activity for module in outline for activity in module.activities]
        index_of = {activity.page.pk: position for position, activity in enumerate(activities)}
        position = index_of.get(self.pk)
        if position is not None:
            context["previous_activity"] = activities[position - 1] if position > 0 else None
            context["next_activity"] = (
                activities[position + 1] if position + 1 < len(activities) else None
            )
        if request.user.is_authenticated:
            context["progress"] = selectors.course_progress(
                user=request.user, course=course, outline=outline
            )
            context["is_completed"] = self.pk in context["progress"].completed_lesson_ids
        attempt = getattr(request, "scorm_attempt", None)
        if attempt is not None:
            from courses.scorm import services as scorm_services

            context["scorm"] = {
                "attempt": attempt,
                "package": self.scorm_package,
                "launch_url": reverse(
                    "courses:scorm_file", args=[self.scorm_package.uuid, "-"]
                ).removesuffix("-")
                + self.scorm_package.launch_path,
                "settings": {
                    "version": self.scorm_package.version,
                    "commitUrl": reverse("courses:scorm_commit", args=[attempt.pk])
                    + "?token="
                    + scorm_services.commit_token(attempt),
                    "cmi": scorm_services.initial_cmi(
                        attempt=attempt, learner_name=request.user.get_display_name()
                    ),
                },
            }
        return context


# Learner state ----------------------------------------------------------------------------------
class EnrolmentQuerySet(models.QuerySet):
    def in_progress(self):
        return self.filter(completed_at__isnull=True)

    def completed(self):
        return self.filter(completed_at__isnull=False)


class Enrolment(models.Model):
    """A trainee taking a course, and where they left off."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrolments"
    )
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    last_activity = models.ForeignKey(
        Page,
        verbose_name=_("last visited activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_accessed_at = models.DateTimeField(_("last visit"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-last_accessed_at", "-enrolled_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="unique_enrolment_per_course")
        ]

    def __str__(self):
        return f"{self.user} – {self.course}"

    @property
    def is_completed(self):
        return self.completed_at is not None


class LessonCompletion(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lesson completion")
        verbose_name_plural = _("lesson completions")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="unique_lesson_completion")
        ]


def new_certificate_code():
    # 16 random bytes: unguessable, and short enough to print under a QR code.
    return secrets.token_urlsafe(16)


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        today = timezone.localdate()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=today)
        )


def certificate_pdf_path(instance, filename):
    """A random name: the verification code is public, so the file's name must not be it."""
    return random_file_name("certificates", filename, extension="pdf")


class Certificate(models.Model):
    """A course certificate, issued once per trainee and course.

    What it says is copied at issue time (name, course, provider, region, hours), so a later
    edit of the course does not change a certificate already in someone's hands; the learner's
    name is refreshed only when the PDF is regenerated on request."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    code = models.CharField(
        _("verification code"), max_length=40, unique=True, default=new_certificate_code
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    course = models.ForeignKey(
        CoursePage,
        verbose_name=_("course"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    learner_name = models.CharField(_("learner's name"), max_length=150)
    course_title = models.CharField(_("course title"), max_length=255)
    provider_name = models.CharField(_("provider"), max_length=200)
    region_name = models.CharField(_("region"), max_length=120, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    completed_on = models.DateField(_("completion date"))
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    # Private: only the learner and the course's editors download it (views.certificate_download).
    pdf = models.FileField(
        _("PDF"), upload_to=certificate_pdf_path, storage=private_storage, blank=True
    )
    pdf_rendered_at = models.DateTimeField(_("PDF rendered"), null=True, blank=True)
    # The Open Badges 3.0 credential (a signed VC-JWT, see courses/badges.py), issued with the
    # certificate and again when the learner's name is refreshed.
    badge_credential = models.TextField(_("Open Badges credential"), blank=True, editable=False)
    badge_issued_at = models.DateTimeField(_("badge issued"), null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="one_certificate_per_trainee_and_course"
            )
        ]

    def __str__(self):
        return f"{self.learner_name} – {self.course_title}"

    @property
    def status(self):
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_on and self.expires_on < timezone.localdate():
            return self.Status.EXPIRED
        return self.Status.VALID

    def get_absolute_url(self):
        return reverse("courses:certificate_verify", kwargs={"code": self.code})

    def get_verify_url(self):
        """The URL printed on the certificate and in its QR code: the same whatever the
        language of the request or job that renders it (the unprefixed, default-language
        path that PRODUCT.md promises)."""
        with translation.override(settings.LANGUAGE_CODE):
            return settings.SITE_URL.rstrip("/") + self.get_absolute_url()

    def get_download_url(self):
        return reverse("courses:certificate_download", kwargs={"code": self.code})

    def get_badge_url(self, file_format):
        """The learner's download of the badge: ``png`` (baked), ``json`` or ``jwt``."""
        return reverse(
            "courses:certificate_badge", kwargs={"code": self.code, "file_format": file_format}
        )

    def get_badge_url_png(self):
        return self.get_badge_url("png")

    def get_badge_url_json(self):
        return self.get_badge_url("json")


# Page types kept in their own modules, registered with the app here (they import this module).
from .external import DeliveryMode, ExternalCoursePage  # noqa: E402, F401
