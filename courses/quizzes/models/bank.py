"""A course's question bank: nested categories, questions and their answers, matching pairs and
units."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable

from courses.models import CoursePage

from ..forms import QuestionBankForm

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
