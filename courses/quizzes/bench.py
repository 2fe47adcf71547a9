"""Grading benchmark: time to grade a 50-question attempt. Called by ``manage.py bench_courses``;
everything it creates is rolled back."""

import statistics
import time
from decimal import Decimal

from django.db import transaction

QUESTIONS = 50
RUNS = 7


class _Rollback(Exception):
    pass


def _build_quiz():
    from cms.directory.models import Organisation, OrganisationKind
    from cms.models import HomePage
    from courses.models import CourseIndexPage, CoursePage, ModulePage

    from .models import (
        MANUAL_TYPES,
        Answer,
        MatchPair,
        NumericalUnit,
        Question,
        QuestionType,
        QuizPage,
        QuizSlot,
    )

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
    types = [
        qtype for qtype in QuestionType if qtype not in MANUAL_TYPES | {QuestionType.DESCRIPTION}
    ]
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
    """Print the median time to grade a 50-question attempt answered for real, in memory and
    through ``attempt_submit`` with the learner's answers (lock, read and store the answers,
    grade, write the marks). Half the runs answer rightly, half wrongly; every run checks its
    grade, so the figure never times an empty attempt."""
    from cms.accounts.models import User
    from courses.models import Enrolment

    from . import services
    from .demo import answer_data

    grade_times, submit_times, submit_cpu, pass_times = [], [], [], []
    try:
        with transaction.atomic():
            quiz = _build_quiz()
            for run in range(RUNS):
                user = User.objects.create(email=f"bench-quiz-{run}@example.org")
                Enrolment.objects.create(user=user, course=quiz.get_course())
                attempt = services.attempt_start(user=user, quiz=quiz)
                right = run % 2 == 0
                data = answer_data(attempt, right=right)
                slots = list(
                    attempt.slots.select_related("question").prefetch_related(
                        "question__answers", "question__pairs", "question__units"
                    )
                )
                for slot, response in services.responses_from_post(slots, data).items():
                    slots[slot - 1].response = response
                started = time.perf_counter()
                services.attempt_grade(attempt, slots)
                grade_times.append(time.perf_counter() - started)
                started, cpu_started = time.perf_counter(), time.process_time()
                attempt, _submitted = services.attempt_submit(attempt=attempt, data=data)
                if not right:  # a pass also issues the certificate: timed apart, below
                    submit_times.append(time.perf_counter() - started)
                    submit_cpu.append(time.process_time() - cpu_started)
                else:
                    pass_times.append(time.perf_counter() - started)
                answered = attempt.slots.exclude(response=None).count()
                if answered != QUESTIONS or (attempt.percent > 0) != right:
                    raise AssertionError(
                        f"benchmark attempt graded {attempt.percent} % with {answered} answers"
                    )
            raise _Rollback
    except _Rollback:
        pass
    stdout.write(
        f"Quiz grading, {QUESTIONS}-question attempt answered for real (median of {RUNS}): "
        f"{statistics.median(grade_times) * 1000:.2f} ms in memory, "
        f"{statistics.median(submit_times) * 1000:.1f} ms for attempt_submit with the answers "
        f"(lock, store the answers, grade, save the marks; CPU "
        f"{statistics.median(submit_cpu) * 1000:.1f} ms); "
        f"{statistics.median(pass_times) * 1000:.1f} ms when the pass also completes the course "
        "and issues the certificate"
    )
    return statistics.median(grade_times), statistics.median(submit_times)


def gift_import_benchmark(stdout, count=1000, runs=3):
    """Print the time to read and import a GIFT file of ``count`` questions of every kind
    (with markers, feedback and categories) into a course's bank; rolled back."""
    text = gift_sample(count)
    timings, cpu_timings = [], []
    try:
        with transaction.atomic():
            quiz = _build_quiz()
            course = quiz.get_course()
            from .formats import parse_gift, questions_import

            for _run in range(runs):
                started, cpu_started = time.perf_counter(), time.process_time()
                with transaction.atomic():
                    result = parse_gift(text)
                    if not result.ok or len(result.questions) != count:
                        raise AssertionError(result.errors[:3])
                    questions_import(course=course, parsed=result.questions)
                timings.append(time.perf_counter() - started)
                cpu_timings.append(time.process_time() - cpu_started)
            raise _Rollback
    except _Rollback:
        pass
    stdout.write(
        f"GIFT import of {count} questions (parse, check, save; median of {runs}): "
        f"{statistics.median(timings):.2f} s; CPU {statistics.median(cpu_timings):.2f} s median"
    )
    return statistics.median(timings)


GIFT_KINDS = [
    "::Single {n}::Which stream earns the most ({n})? {{=Reuse#Right. ~Recycling#No. ~Landfill}}",
    "::Multiple {n}::[html]Which are <b>natural</b> fibres ({n})? "
    "{{~%50%Wool ~%50%Linen ~%-100%Acrylic#[html]<em>No</em>.}}",
    "::TF {n}::Separate collection is mandatory from 2025 ({n}).{{TRUE#No.#Yes.####Directive.}}",
    "::Short {n}::Mechanical recycling gives {{=recycled fibre =%50%fibre =%0%*#No.}} ({n}).",
    "::Numerical {n}::How many kg per person ({n})? {{#12:2#Yes.~#Completely wrong}}",
    "::Matching {n}::[markdown]Match **each** fibre ({n}). "
    "{{=Cotton -> cellulosic =Wool -> protein =PET -> synthetic}}",
    "::Essay {n}::Describe a sorting plan ({n}). {{}}",
    "::Description {n}::[markdown]Read the **guide** ({n}).",
]


def gift_sample(count):
    blocks = []
    for n in range(count):
        if n % 100 == 0:
            blocks.append(f"$CATEGORY: Bench/Part {n // 100}")
        blocks.append(GIFT_KINDS[n % len(GIFT_KINDS)].format(n=n))
    return "\n\n".join(blocks) + "\n"
