"""Grading benchmark: time to grade a 50-question attempt. Called by ``manage.py bench_courses``;
everything it creates is rolled back."""

import statistics
import time
from decimal import Decimal

from django.db import transaction
from django.http import QueryDict

QUESTIONS = 50
RUNS = 7


class _Rollback(Exception):
    pass


def _build_quiz():
    from cms.directory.models import Organisation, OrganisationKind
    from cms.models import HomePage
    from courses.models import CourseIndexPage, CoursePage, ModulePage

    from .models import Answer, MatchPair, NumericalUnit, Question, QuestionType, QuizPage, QuizSlot

    home = HomePage.objects.first()
    catalogue = CourseIndexPage.objects.first() or home.add_child(
        instance=CourseIndexPage(title="Courses", slug="bench-courses")
    )
    provider = Organisation.objects.create(
        name="Bench provider",
        slug="bench-provider-quiz",
        kind=OrganisationKind.COMPANY,
        country="PL",
    )
    course = catalogue.add_child(
        instance=CoursePage(
            title="Bench course",
            slug="bench-course-quiz",
            provider=provider,
            summary="Benchmark",
            estimated_hours=1,
        )
    )
    module = course.add_child(instance=ModulePage(title="Bench module", slug="bench-module"))
    types = list(QuestionType)
    quiz = QuizPage(title="Bench quiz", slug="bench-quiz", shuffle_options=True)
    for n in range(QUESTIONS):
        qtype = types[n % len(types)]
        question = Question(course=course, question_type=qtype, name=f"Q{n}", text=f"Question {n}")
        if qtype == QuestionType.NUMERICAL:
            question.answers.add(Answer(value=Decimal(12), tolerance=Decimal(1), fraction=1))
            question.units.add(NumericalUnit(unit="kg", multiplier=1))
        elif qtype == QuestionType.MATCHING:
            for k in range(4):
                question.pairs.add(MatchPair(prompt=f"P{k}", answer=f"A{k}", sort_order=k))
        elif qtype == QuestionType.SHORT_ANSWER:
            question.answers.add(Answer(text="recycled fib*", fraction=1))
            question.answers.add(Answer(text="fibre", fraction=Decimal("0.5")))
        else:
            for k in range(4):
                question.answers.add(
                    Answer(
                        text=f"Option {k}",
                        fraction=Decimal("0.5") if k < 2 else Decimal("-0.5"),
                        sort_order=k,
                    )
                )
        question.save()
        quiz.slots.add(QuizSlot(question=question, sort_order=n))
    module.add_child(instance=quiz)
    return quiz


def grading_benchmark(stdout):
    """Print the median time to grade a 50-question attempt in memory and to submit one
    (lock, grade, write the marks) through ``attempt_submit``."""
    from cms.accounts.models import User
    from courses.models import Enrolment

    from . import services
    from .demo import answer_data

    grade_times, submit_times = [], []
    try:
        with transaction.atomic():
            quiz = _build_quiz()
            for run in range(RUNS):
                user = User.objects.create(email=f"bench-quiz-{run}@example.org")
                Enrolment.objects.create(user=user, course=quiz.get_course())
                attempt = services.attempt_start(user=user, quiz=quiz)
                data = answer_data(attempt, right=run % 2 == 0)
                services.attempt_save(attempt=attempt, data=data)
                slots = list(
                    attempt.slots.select_related("question").prefetch_related(
                        "question__answers", "question__pairs", "question__units"
                    )
                )
                started = time.perf_counter()
                services.attempt_grade(attempt, slots)
                grade_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                services.attempt_submit(attempt=attempt, data=QueryDict())
                submit_times.append(time.perf_counter() - started)
            raise _Rollback
    except _Rollback:
        pass
    stdout.write(
        f"Quiz grading, {QUESTIONS}-question attempt (median of {RUNS}): "
        f"{statistics.median(grade_times) * 1000:.2f} ms in memory, "
        f"{statistics.median(submit_times) * 1000:.1f} ms for attempt_submit (lock, grade, save)"
    )
    return statistics.median(grade_times), statistics.median(submit_times)
