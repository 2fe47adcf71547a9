"""The quiz page, placed in a course module next to the lessons, and its question slots."""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from cms.models import CachedViewRestrictionsMixin
from courses.models import CourseActivityMixin
from courses.providers import ProviderPageMixin

from ..forms import QuizPageForm
from .bank import Question, QuestionCategory


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Highest grade")
    LAST = "last", _("Last attempt")
    AVERAGE = "average", _("Average grade")
    FIRST = "first", _("First attempt")


GRADING_METHOD_EXPLANATIONS = {
    GradingMethod.HIGHEST: _("your grade is the highest grade of your attempts"),
    GradingMethod.LAST: _("your grade is the grade of your last attempt"),
    GradingMethod.AVERAGE: _("your grade is the average of your attempts"),
    GradingMethod.FIRST: _("your grade is the grade of your first attempt"),
}


class QuizPage(
    CachedViewRestrictionsMixin, CourseActivityMixin, ProviderPageMixin, RoutablePageMixin, Page
):
    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    required = models.BooleanField(_("required for completion"), default=True)
    pass_mark = models.DecimalField(
        _("pass mark (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    attempts_allowed = models.PositiveIntegerField(
        _("attempts allowed"), default=0, help_text=_("0 = unlimited")
    )
    grading_method = models.CharField(
        _("grading method"),
        max_length=10,
        choices=GradingMethod.choices,
        default=GradingMethod.HIGHEST,
    )
    time_limit = models.DurationField(
        _("time limit"),
        null=True,
        blank=True,
        help_text=_("HH:MM:SS, e.g. 00:20:00. Empty = no limit."),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    review_score = models.BooleanField(_("show the score"), default=True)
    review_correctness = models.BooleanField(
        _("show whether each answer was correct"), default=True
    )
    review_correct_answers = models.BooleanField(_("show the correct answers"), default=False)
    review_feedback = models.BooleanField(_("show feedback"), default=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel(
            "slots",
            heading=_("Questions"),
            label=_("Question or random draw"),
            help_text=_(
                "Either one question of this course's bank, or N random questions from a category."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("required"),
                FieldPanel("pass_mark"),
                FieldPanel("attempts_allowed"),
                FieldPanel("grading_method"),
                FieldPanel("time_limit"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_options"),
            ],
            heading=_("Settings"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("review_score"),
                FieldPanel("review_correctness"),
                FieldPanel("review_correct_answers"),
                FieldPanel("review_feedback"),
            ],
            heading=_("After submission the learner sees"),
        ),
    ]
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []
    base_form_class = QuizPageForm

    class Meta:
        verbose_name = _("quiz")

    @property
    def grading_method_explanation(self):
        return GRADING_METHOD_EXPLANATIONS.get(self.grading_method, "")

    # The learner's pages live under the quiz's own URL; the views are in views.py. Wagtail's
    # RoutablePageMixin needs the routes as methods of the page class, and the views import these
    # models: each route imports the views when it is called (the one exception of the layers
    # contract in pyproject.toml).
    @path("")
    def index_route(self, request):
        from .. import views

        return views.quiz_index(request, self)

    @path("start/")
    def start_route(self, request):
        from .. import views

        return views.attempt_start_view(request, self)

    @path("attempt/<int:number>/")
    def attempt_route(self, request, number):
        from .. import views

        return views.attempt_view(request, self, number)

    @path("attempt/<int:number>/save/")
    def save_route(self, request, number):
        from .. import views

        return views.attempt_save_view(request, self, number)

    @path("attempt/<int:number>/summary/")
    def summary_route(self, request, number):
        from .. import views

        return views.attempt_summary_view(request, self, number)

    @path("attempt/<int:number>/review/")
    def review_route(self, request, number):
        from .. import views

        return views.attempt_review_view(request, self, number)

    def clean(self):
        super().clean()
        if self.time_limit is not None and self.time_limit < timedelta(seconds=10):
            raise ValidationError({"time_limit": _("A time limit must be at least 10 seconds.")})


class QuizSlot(Orderable):
    """One fixed question, or ``random_count`` questions drawn at random from a category."""

    page = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="slots")
    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("random from category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    random_count = models.PositiveIntegerField(_("how many random questions"), default=1)
    include_subcategories = models.BooleanField(_("include subcategories"), default=True)

    panels = [
        FieldPanel("question"),
        FieldRowPanel(
            [
                FieldPanel("category"),
                FieldPanel("random_count"),
                FieldPanel("include_subcategories"),
            ]
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("quiz question")

    def clean(self):
        if bool(self.question_id) == bool(self.category_id):
            raise ValidationError(_("Choose either a question or a category to draw from."))
