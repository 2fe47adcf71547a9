"""Reads for editors: per-quiz results and item statistics, as Moodle's quiz statistics report
computes them (over every finished attempt).

Facility index = 100 × mean item mark / item max mark.
Discrimination index = 100 × r(item mark, rest of the test), the Pearson correlation between a
question's mark and the attempt's total without that question. Undefined (None) when either
varies not at all, or with fewer than two attempts.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from courses.providers import course_filter_for

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
    marks: list = field(default_factory=list, repr=False)


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


def pearson(xs, ys):
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


def item_statistics(attempt_marks, names):
    """``attempt_marks``: {attempt id: {question id: (mark, max mark)}}; ``names``: {question id:
    (name, type)}. Returns one ItemStatistic per question, in ``names`` order."""
    totals = {pk: sum(mark for mark, _max in marks.values()) for pk, marks in attempt_marks.items()}
    items = []
    for question_id, (name, question_type) in names.items():
        xs, rests, max_marks = [], [], []
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


def quiz_report(quiz):
    """Results and item statistics of ``quiz``: three queries whatever the number of attempts."""
    attempts = list(
        Attempt.objects.finished()
        .filter(quiz=quiz)
        .select_related("user")
        .order_by("user_id", "number")
    )
    by_user = {}
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
    attempt_marks, names = {}, {}
    slots = AttemptSlot.objects.filter(attempt__in=[a.pk for a in attempts]).values_list(
        "attempt_id", "question_id", "mark", "max_mark"
    )
    for attempt_id, question_id, mark, max_mark in slots:
        attempt_marks.setdefault(attempt_id, {})[question_id] = (float(mark or 0), float(max_mark))
        names[question_id] = None
    for question in (
        Question.objects.filter(pk__in=list(names))
        .only("pk", "name", "question_type")
        .order_by("name")
    ):
        names[question.pk] = (question.name, question.get_question_type_display())
    names = {
        pk: value
        for pk, value in sorted(names.items(), key=lambda item: (item[1] or ("",))[0])
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


def courses_editable_by(user):
    """The CoursePages whose question banks ``user`` may manage: those they may edit."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    from courses.models import CoursePage

    courses = CoursePage.objects.all().order_by("title")
    if user.is_superuser:
        return courses
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change"])
    # Training providers: only their organisations' courses (courses/providers.py).
    return courses.filter(course_filter_for(user), pk__in=editable.values("pk"))


def question_filter_for(user):
    """A Q limiting questions (or categories, through ``course``) to the user's courses."""
    if user.is_superuser:
        return Q()
    return Q(course__in=courses_editable_by(user).values("pk"))


def essays_to_grade(user):
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
