"""Reads for editors: per-quiz results and item statistics, as Moodle's quiz statistics report
computes them (over every finished attempt).

Facility index = 100 × mean item mark / item max mark.
Discrimination index = 100 × r(item mark, rest of the test), the Pearson correlation between a
question's mark and the attempt's total without that question. Undefined (None) when either
varies not at all, or with fewer than two attempts.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from cms.accounts.models import User
from courses.models import CoursePage, Enrolment
from courses.providers import editable_courses

from .grading import quiz_grade
from .models import MANUAL_TYPES, Attempt, AttemptSlot, AttemptState, Question, QuizPage


@dataclass
class ItemStatistic:
    question_id: int
    name: str
    question_type: str
    attempts: int
    max_mark: float
    mean_mark: float
    facility: float | None
    discrimination: float | None
    marks: list[float] = field(default_factory=list, repr=False)


@dataclass
class LearnerResult:
    learner: str
    email: str
    attempts: int
    grade: Decimal | None
    passed: bool


@dataclass
class QuizReport:
    quiz: QuizPage
    attempts: int
    learners: list[LearnerResult]
    mean_grade: float | None
    pass_rate: float | None
    items: list[ItemStatistic]


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    cov = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    var_x = sum((x - mean_x) ** 2 for x in xs)
    var_y = sum((y - mean_y) ** 2 for y in ys)
    if var_x == 0 or var_y == 0:
        return None
    return cov / math.sqrt(var_x * var_y)


# {attempt id: {question id: (mark, max mark)}} and {question id: (name, type)}.
AttemptMarks = dict[int, dict[int, tuple[float, float]]]
QuestionNames = dict[int, tuple[str, str]]


def item_statistics(attempt_marks: AttemptMarks, names: QuestionNames) -> list[ItemStatistic]:
    """``attempt_marks``: {attempt id: {question id: (mark, max mark)}}; ``names``: {question id:
    (name, type)}. Returns one ItemStatistic per question, in ``names`` order."""
    totals = {pk: sum(mark for mark, _max in marks.values()) for pk, marks in attempt_marks.items()}
    items = []
    for question_id, (name, question_type) in names.items():
        xs: list[float] = []
        rests: list[float] = []
        max_marks: list[float] = []
        for attempt_id, marks in attempt_marks.items():
            if question_id in marks:
                mark, max_mark = marks[question_id]
                xs.append(mark)
                rests.append(totals[attempt_id] - mark)
                max_marks.append(max_mark)
        if not xs:
            continue
        n = len(xs)
        mean = sum(xs) / n
        max_mark = sum(max_marks) / n
        r = pearson(xs, rests)
        items.append(
            ItemStatistic(
                question_id=question_id,
                name=name,
                question_type=question_type,
                attempts=n,
                max_mark=max_mark,
                mean_mark=mean,
                facility=100 * mean / max_mark if max_mark else None,
                discrimination=100 * r if r is not None else None,
            )
        )
    return items


def quiz_report(quiz: QuizPage) -> QuizReport:
    """Results and item statistics of ``quiz``: three queries whatever the number of attempts."""
    attempts = list(
        Attempt.objects.finished()
        .filter(quiz=quiz)
        .select_related("user")
        .order_by("user_id", "number")
    )
    by_user: dict[int, list[Attempt]] = {}
    for attempt in attempts:
        by_user.setdefault(attempt.user_id, []).append(attempt)
    learners = []
    for user_attempts in by_user.values():
        user = user_attempts[0].user
        grade_value = quiz_grade(user_attempts, quiz.grading_method)
        learners.append(
            LearnerResult(
                learner=str(user),
                email=user.email,
                attempts=len(user_attempts),
                grade=grade_value,
                passed=grade_value is not None and grade_value >= quiz.pass_mark,
            )
        )
    attempt_marks: AttemptMarks = {}
    found: dict[int, tuple[str, str] | None] = {}
    slots = AttemptSlot.objects.filter(attempt__in=[a.pk for a in attempts]).values_list(
        "attempt_id", "question_id", "mark", "max_mark"
    )
    for attempt_id, question_id, mark, max_mark in slots:
        attempt_marks.setdefault(attempt_id, {})[question_id] = (float(mark or 0), float(max_mark))
        found[question_id] = None
    for question in (
        Question.objects.filter(pk__in=list(found))
        .only("pk", "name", "question_type")
        .order_by("name")
    ):
        found[question.pk] = (question.name, question.get_question_type_display())
    names: QuestionNames = {
        pk: value
        for pk, value in sorted(found.items(), key=lambda item: (item[1] or ("",))[0])
        if value
    }
    grades = [float(learner.grade) for learner in learners if learner.grade is not None]
    return QuizReport(
        quiz=quiz,
        attempts=len(attempts),
        learners=sorted(learners, key=lambda learner: learner.learner.lower()),
        mean_grade=sum(grades) / len(grades) if grades else None,
        pass_rate=100 * sum(learner.passed for learner in learners) / len(learners)
        if learners
        else None,
        items=item_statistics(attempt_marks, names),
    )


def courses_editable_by(user: User) -> QuerySet[CoursePage]:
    """The CoursePages whose question banks ``user`` may manage: those they may edit."""
    return editable_courses(user, CoursePage.objects.all().order_by("title"))


def question_filter_for(user: User) -> Q:
    """A Q limiting questions (or categories, through ``course``) to the user's courses."""
    if user.is_superuser:
        return Q()
    return Q(course__in=courses_editable_by(user).values("pk"))


def essays_to_grade(user: User) -> QuerySet[AttemptSlot]:
    """The essay answers waiting for a grade in the courses ``user`` may edit, oldest first."""
    return (
        AttemptSlot.objects.filter(
            attempt__state=AttemptState.NEEDS_GRADING,
            question__question_type__in=MANUAL_TYPES,
            mark__isnull=True,
            question__course__in=courses_editable_by(user).values("pk"),
        )
        .select_related("question")
        .order_by("attempt__finished_at", "attempt_id", "position")
    )


# What the course platform asks of the quizzes ----------------------------------------------------


def can_attempt(user: User | AnonymousUser | None, quiz: QuizPage) -> bool:
    """Whether ``user`` may take ``quiz``: signed in and enrolled in the quiz's course. Every
    view and service asks this one function."""
    if not (user and user.is_authenticated):
        return False
    return Enrolment.objects.of_activity(user=user, page=quiz) is not None


class GradingRule(Protocol):
    """What deciding a pass needs of a quiz: a QuizPage, or its three values read alone."""

    @property
    def pk(self) -> int: ...

    @property
    def pass_mark(self) -> Decimal: ...

    @property
    def grading_method(self) -> str: ...


@dataclass(frozen=True)
class QuizRule:
    pk: int
    pass_mark: Decimal
    grading_method: str


def quiz_passed(quiz: GradingRule, attempts: list[Attempt]) -> bool:
    grade_value = quiz_grade(attempts, quiz.grading_method)
    return grade_value is not None and grade_value >= quiz.pass_mark


def passed_quiz_ids(user: User | AnonymousUser | None, course: CoursePage) -> set[int]:
    """The ids of the QuizPages of ``course`` that ``user`` has passed (by the quiz's grading
    method). Used by the course completion rule. Two queries, whatever the number of quizzes."""
    if not user or not user.is_authenticated:
        return set()
    return passed_among(
        user, QuizPage.objects.descendant_of(course).only("pk", "pass_mark", "grading_method")
    )


def finished_attempt_rows(user: User, quiz_ids: Iterable[int]) -> QuerySet:
    """(quiz id, attempt number, percent) of ``user``'s finished attempts at those quizzes,
    unordered: what ``passed_in`` needs. A queryset, so that a caller may read it together with
    other rows of the learner (``courses.selectors.course_progress``)."""
    return (
        Attempt.objects.finished()
        .filter(user=user, quiz_id__in=list(quiz_ids))
        .order_by()
        .values_list("quiz_id", "number", "percent")
    )


def passed_in(
    quizzes: Iterable[GradingRule], rows: Iterable[tuple[int, int | None, Decimal | None]]
) -> set[int]:
    """The ids of ``quizzes`` (with their pass mark and grading method) passed by the finished
    attempts in ``rows`` (``finished_attempt_rows``; rows of other pages, such as the lessons
    of ``courses.selectors``' combined rows, are ignored)."""
    by_id = {quiz.pk: quiz for quiz in quizzes}
    attempts_by_quiz: dict[int, list[Attempt]] = {}
    # In attempt order (the grading methods "first" and "last" depend on it).
    for quiz_id, _number, percent in sorted(
        (row for row in rows if row[0] in by_id), key=lambda row: (row[0], row[1] or 0)
    ):
        attempts_by_quiz.setdefault(quiz_id, []).append(Attempt(quiz_id=quiz_id, percent=percent))
    return {pk for pk, attempts in attempts_by_quiz.items() if quiz_passed(by_id[pk], attempts)}


def passed_among(user: User | AnonymousUser | None, quizzes: Iterable[QuizPage]) -> set[int]:
    """The ids of ``quizzes`` (QuizPages with their pass mark and grading method) that ``user``
    has passed: one query for the attempts, whatever the number of quizzes and courses (My
    learning asks for the quizzes of all the learner's courses at once)."""
    quizzes = list(quizzes)
    if not user or not user.is_authenticated or not quizzes:
        return set()
    return passed_in(quizzes, finished_attempt_rows(user, [quiz.pk for quiz in quizzes]))
