"""Quizzes of the training platform: per-course question banks, quizzes and attempts.

A QuizPage sits in a course module next to the lessons (see ``courses.models``). Questions live
in a bank per course (``Question`` with ``Answer``, ``MatchPair`` and ``NumericalUnit`` rows),
sorted into optional nested categories. Starting an attempt freezes its questions and option
order in ``AttemptSlot`` rows; grading reads only those slots.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from courses.models import CoursePage
from courses.providers import ProviderPageMixin

from .forms import QuestionBankForm, QuizPageForm

FRACTION_VALIDATORS = [MinValueValidator(-1), MaxValueValidator(1)]
# Fractions are stored as Moodle stores them (NUMBER(12,7)), so its fraction set is exact:
# 0.3333333, 0.1428571, 0.1666667, ... A question's total is compared to 1 at 6 decimals
# (``grading.settle``), the tolerance Moodle uses to call a response right.
FRACTION_DIGITS = {"max_digits": 12, "decimal_places": 7}


class QuestionCategory(models.Model):
    """A folder of a course's question bank; categories may nest."""

    course = models.ForeignKey(
        CoursePage,
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="question_categories",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldPanel("course"),
        FieldPanel("parent"),
        FieldPanel("name"),
        FieldPanel("description"),
    ]

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["course_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "parent", "name"], name="quizzes_category_unique_name"
            )
        ]

    def __str__(self):
        return f"{self.path} ({self.course.title})"

    @property
    def path(self):
        """The category's names from the top, joined with "/" as GIFT's $CATEGORY writes them."""
        names, category, seen = [], self, set()
        while category is not None and category.pk not in seen:
            seen.add(category.pk)
            names.append(category.name)
            category = category.parent
        return "/".join(reversed(names))

    def clean(self):
        if self.parent_id and self.parent.course_id != self.course_id:
            raise ValidationError({"parent": _("The parent category belongs to another course.")})
        ancestor, seen = self.parent, set()
        while ancestor is not None and self.pk:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError({"parent": _("A category cannot be inside itself.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    def descendant_ids(self):
        """This category's id and those of every category below it (one query)."""
        children = {}
        for pk, parent_id in QuestionCategory.objects.filter(course_id=self.course_id).values_list(
            "pk", "parent_id"
        ):
            children.setdefault(parent_id, []).append(pk)
        ids, todo = [], [self.pk]
        while todo:
            pk = todo.pop()
            ids.append(pk)
            todo.extend(children.get(pk, []))
        return ids


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice (partial credit)")
    TRUE_FALSE = "truefalse", _("True/false")
    SHORT_ANSWER = "short", _("Short answer")
    NUMERICAL = "numerical", _("Numerical")
    MATCHING = "matching", _("Matching")
    ESSAY = "essay", _("Essay (graded by a teacher)")
    DESCRIPTION = "description", _("Description (text between questions, no answer)")


class TextFormat(models.TextChoices):
    PLAIN = "plain", _("Plain text")
    HTML = "html", _("HTML (sanitised when shown)")


CHOICE_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE}
# Graded by a person, not by the server: the attempt waits for the grade.
MANUAL_TYPES = {QuestionType.ESSAY}


class QuestionQuerySet(models.QuerySet):
    def for_grading(self):
        return self.prefetch_related("answers", "pairs", "units")


class Question(ClusterableModel):
    """A question of a course's bank. Options, accepted answers and numerical answers are
    ``Answer`` rows (fraction of the mark, feedback); matching questions use ``MatchPair`` rows.

    Multiple choice: fractions add up (negative fractions penalise wrong picks), never below 0.
    Short answer: the best matching accepted answer counts; ``*`` matches any characters.
    Numerical: value ± tolerance; units divide the learner's number by their multiplier.
    """

    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.CASCADE, related_name="questions"
    )
    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    question_type = models.CharField(_("type"), max_length=12, choices=QuestionType.choices)
    name = models.CharField(
        _("name"), max_length=255, help_text=_("Short title shown in the bank.")
    )
    text = models.TextField(_("question text"))
    text_format = models.CharField(
        _("text format"),
        max_length=10,
        choices=TextFormat.choices,
        default=TextFormat.PLAIN,
        help_text=_(
            "Of the question text, the feedback, the options and the matching items. Imported "
            "[html], [markdown] and [moodle] texts are stored as HTML."
        ),
    )
    default_mark = models.DecimalField(
        _("mark"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(0)],
    )
    general_feedback = models.TextField(
        _("general feedback"),
        blank=True,
        help_text=_("Shown after submission, whatever the answer."),
    )
    case_sensitive = models.BooleanField(_("case sensitive (short answer)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()
    base_form_class = QuestionBankForm

    panels = [
        FieldRowPanel([FieldPanel("course"), FieldPanel("category")]),
        FieldRowPanel([FieldPanel("question_type"), FieldPanel("default_mark")]),
        FieldPanel("name"),
        FieldPanel("text"),
        FieldPanel("text_format"),
        FieldPanel("general_feedback"),
        FieldPanel("case_sensitive"),
        InlinePanel(
            "answers",
            heading=_("Options / accepted answers"),
            label=_("Answer"),
            help_text=_(
                "Choice questions: one row per option. Short answer: accepted answers (* is a "
                "wildcard). Numerical: write the number in 'Value' with its tolerance. Fraction is "
                "the share of the mark (1 = 100%, negative = penalty)."
            ),
        ),
        InlinePanel("pairs", heading=_("Matching pairs"), label=_("Pair")),
        InlinePanel("units", heading=_("Units (numerical)"), label=_("Unit")),
    ]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["course_id", "name", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.category_id and self.category.course_id != self.course_id:
            raise ValidationError({"category": _("The category belongs to another course.")})


class Answer(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.CharField(_("text"), max_length=500, blank=True)
    fraction = models.DecimalField(
        _("fraction"),
        **FRACTION_DIGITS,
        default=Decimal("0"),
        validators=FRACTION_VALIDATORS,
    )
    value = models.DecimalField(
        _("value (numerical)"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    tolerance = models.DecimalField(
        _("tolerance (numerical)"),
        max_digits=20,
        decimal_places=6,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    feedback = models.TextField(_("feedback"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("text"), FieldPanel("fraction")]),
        FieldRowPanel([FieldPanel("value"), FieldPanel("tolerance")]),
        FieldPanel("feedback"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("answer")


class MatchPair(Orderable):
    """A prompt and its match. A pair without a prompt is an extra wrong answer to choose from."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="pairs")
    prompt = models.CharField(_("prompt"), max_length=500, blank=True)
    answer = models.CharField(_("matching answer"), max_length=500)

    panels = [FieldRowPanel([FieldPanel("prompt"), FieldPanel("answer")])]

    class Meta(Orderable.Meta):
        verbose_name = _("matching pair")


class NumericalUnit(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="units")
    unit = models.CharField(_("unit"), max_length=30)
    multiplier = models.DecimalField(
        _("multiplier"),
        max_digits=20,
        decimal_places=8,
        default=Decimal("1"),
        help_text=_(
            "The answer in this unit is the base answer times this (e.g. kg = 1, g = 1000)."
        ),
    )

    panels = [FieldRowPanel([FieldPanel("unit"), FieldPanel("multiplier")])]

    class Meta(Orderable.Meta):
        verbose_name = _("unit")


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


class QuizPage(ProviderPageMixin, RoutablePageMixin, Page):
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

    def get_course(self):
        return CoursePage.objects.ancestor_of(self).first()

    @property
    def grading_method_explanation(self):
        return GRADING_METHOD_EXPLANATIONS.get(self.grading_method, "")

    # The learner's pages live under the quiz's own URL; the views are in views.py.
    @path("")
    def index_route(self, request):
        from . import views

        return views.quiz_index(request, self)

    @path("start/")
    def start_route(self, request):
        from . import views

        return views.attempt_start_view(request, self)

    @path("attempt/<int:number>/")
    def attempt_route(self, request, number):
        from . import views

        return views.attempt_view(request, self, number)

    @path("attempt/<int:number>/save/")
    def save_route(self, request, number):
        from . import views

        return views.attempt_save_view(request, self, number)

    @path("attempt/<int:number>/summary/")
    def summary_route(self, request, number):
        from . import views

        return views.attempt_summary_view(request, self, number)

    @path("attempt/<int:number>/review/")
    def review_route(self, request, number):
        from . import views

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


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    # Submitted with an essay to grade: no grade, no completion until a teacher grades it.
    NEEDS_GRADING = "needs_grading", _("Waiting for a teacher's grade")
    FINISHED = "finished", _("Finished")


class AttemptQuerySet(models.QuerySet):
    def finished(self):
        return self.filter(state=AttemptState.FINISHED)

    def in_progress(self):
        return self.filter(state=AttemptState.IN_PROGRESS)

    def needs_grading(self):
        return self.filter(state=AttemptState.NEEDS_GRADING)


class Attempt(models.Model):
    quiz = models.ForeignKey(
        QuizPage, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="attempts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
    )
    number = models.PositiveIntegerField(_("attempt number"))
    state = models.CharField(
        _("state"), max_length=16, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    finished_at = models.DateTimeField(
        _("finished"),
        null=True,
        blank=True,
        help_text=_("When it was submitted, or the deadline if that came first."),
    )
    score = models.DecimalField(_("marks"), max_digits=9, decimal_places=4, null=True, blank=True)
    max_score = models.DecimalField(
        _("out of"), max_digits=9, decimal_places=4, default=Decimal("0")
    )
    percent = models.DecimalField(
        _("grade (%)"), max_digits=7, decimal_places=4, null=True, blank=True
    )

    objects = AttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("quiz attempt")
        ordering = ["quiz_id", "user_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "user", "number"], name="quizzes_attempt_unique_number"
            ),
            models.UniqueConstraint(
                fields=["quiz", "user"],
                condition=Q(state="in_progress"),
                name="quizzes_attempt_one_in_progress",
            ),
        ]

    def __str__(self):
        return f"{self.quiz_id} / {self.user_id} / #{self.number}"

    @property
    def is_finished(self):
        """Submitted: no more answers (graded, or waiting for a teacher's grade)."""
        return self.state != AttemptState.IN_PROGRESS

    @property
    def is_graded(self):
        return self.state == AttemptState.FINISHED

    @property
    def needs_grading(self):
        return self.state == AttemptState.NEEDS_GRADING

    def is_overdue(self, now=None):
        return self.deadline is not None and (now or timezone.now()) >= self.deadline

    def seconds_left(self, now=None):
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - (now or timezone.now())).total_seconds()))

    def passed(self, pass_mark):
        return self.percent is not None and self.percent >= pass_mark


class AttemptSlot(models.Model):
    """A question as frozen for one attempt: its position, mark, option order and response."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="attempt_slots")
    max_mark = models.DecimalField(max_digits=6, decimal_places=2)
    # Choice types: {"options": [[key, answer id], ...]} in display order. Matching:
    # {"prompts": [[key, pair id], ...], "answers": [texts]}. The keys are random per attempt and
    # are all the browser sees, so option values tell neither the author's order nor the right
    # answer. Attempts started before the keys existed hold bare ids (``[id, ...]``; prompts as
    # ids): ``options``/``prompts`` read both.
    layout = models.JSONField(default=list, blank=True)
    response = models.JSONField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    fraction = models.DecimalField(**FRACTION_DIGITS, null=True, blank=True)
    mark = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True)
    flagged = models.BooleanField(default=False)
    # Essays: the teacher's grade is ``mark``; their comment and who graded when.
    comment = models.TextField(blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="quizzes_slot_unique_position"
            )
        ]

    def options(self):
        """``[(key, answer id), ...]`` of a choice question, in display order."""
        if isinstance(self.layout, dict):
            return [(str(key), pk) for key, pk in self.layout.get("options", [])]
        return [(str(pk), pk) for pk in self.layout or []]

    def prompts(self):
        """``[(key, pair id), ...]`` of a matching question, in display order."""
        if not isinstance(self.layout, dict):
            return []
        return [
            (str(item[0]), item[1]) if isinstance(item, list) else (str(item), item)
            for item in self.layout.get("prompts", [])
        ]
