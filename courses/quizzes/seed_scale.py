"""The quizzes part of `manage.py seed_scale` (SEED_SCALE hook, after the courses part): a
question bank per course (single-choice questions with four answers), a quiz at the end of
each course drawing ten random questions, and finished attempts by enrolled trainees (the
first few hundred with their questions, so attempt and review pages have content)."""

from decimal import Decimal

from django.utils import timezone

from cms.seed_scale import bulk_create_pages, bulk_insert
from courses.models import ModulePage
from courses.seed_scale import enrol

from .models import (
    Answer,
    Attempt,
    AttemptSlot,
    AttemptState,
    Question,
    QuestionCategory,
    QuestionType,
    QuizPage,
    QuizSlot,
)

QUESTIONS_PER_QUIZ = 10
ATTEMPTS_WITH_SLOTS = 500


def seed_quizzes(*, seed):
    size, rng = seed.size, seed.rng
    courses = getattr(seed, "courses", [])
    if not courses:
        return
    per_course = max(QUESTIONS_PER_QUIZ, size.questions // len(courses))
    with seed.step(f"{size.questions:,} questions, {len(courses):,} quizzes"):
        categories = bulk_insert(
            QuestionCategory,
            [QuestionCategory(course_id=course.pk, name="Seed bank") for course in courses],
        )
        questions = bulk_insert(
            Question,
            [
                Question(
                    course_id=category.course_id,
                    category_id=category.pk,
                    question_type=QuestionType.SINGLE,
                    name=f"Q{n}",
                    text=f"Which fibre family does sample {n} belong to?",
                    default_mark=Decimal(1),
                )
                for category in categories
                for n in range(per_course)
            ],
        )
        answers = bulk_insert(
            Answer,
            [
                Answer(
                    question_id=question.pk,
                    sort_order=position,
                    text=text,
                    fraction=Decimal(1 if position == 0 else 0),
                )
                for question in questions
                for position, text in enumerate(["Cellulosic", "Protein", "Synthetic", "Blend"])
            ],
            batch_size=5000,
        )
        last_modules = {
            module.get_parent().pk: module
            for module in ModulePage.objects.filter(
                slug="module-2", url_path__contains="/seed-course-"
            )
        }
        quizzes = []
        for course in courses:
            module = last_modules.get(course.pk)
            if module is not None:
                quizzes += bulk_create_pages(
                    module,
                    [QuizPage(title="Final quiz", slug="final-quiz", pass_mark=Decimal(60))],
                    index=False,
                )
        answers_of = {}
        for answer in answers:
            answers_of.setdefault(answer.question_id, []).append(answer.pk)
        category_of = {category.course_id: category.pk for category in categories}
        bulk_insert(
            QuizSlot,
            [
                QuizSlot(
                    page_id=quiz.pk,
                    sort_order=0,
                    category_id=category_of[quiz.get_parent().get_parent().pk],
                    random_count=QUESTIONS_PER_QUIZ,
                )
                for quiz in quizzes
            ],
        )
    seed.counts["questions"] = len(questions)
    with seed.step(f"{size.attempts:,} quiz attempts (and enrolments)"):
        course_of = {quiz.pk: quiz.get_parent().get_parent().pk for quiz in quizzes}
        questions_of = {}
        for question in questions:
            questions_of.setdefault(question.course_id, []).append(question.pk)
        users = seed.user_ids
        now = timezone.now()
        attempts, pairs = [], set()
        for n in range(size.attempts):
            quiz = quizzes[n % len(quizzes)]
            user = users[(n // len(quizzes)) % len(users)]
            number = 1 + n // (len(quizzes) * len(users))
            percent = Decimal(rng.randint(0, 100))
            started = now - timezone.timedelta(
                days=rng.randint(1, 700), minutes=rng.randint(0, 600)
            )
            attempts.append(
                Attempt(
                    quiz_id=quiz.pk,
                    user_id=user,
                    number=number,
                    state=AttemptState.FINISHED,
                    started_at=started,
                    finished_at=started + timezone.timedelta(minutes=rng.randint(3, 40)),
                    score=percent / 10,
                    max_score=Decimal(QUESTIONS_PER_QUIZ),
                    percent=percent,
                )
            )
            pairs.add((user, course_of[quiz.pk]))
        enrol(seed, sorted(pairs))
        attempts = bulk_insert(Attempt, attempts, batch_size=5000)
        bulk_insert(
            AttemptSlot,
            [
                AttemptSlot(
                    attempt_id=attempt.pk,
                    position=position,
                    question_id=question,
                    max_mark=Decimal(1),
                    layout=answers_of[question],
                    fraction=Decimal(1),
                    mark=Decimal(1),
                )
                for attempt in attempts[:ATTEMPTS_WITH_SLOTS]
                for position, question in enumerate(
                    rng.sample(
                        questions_of[course_of[attempt.quiz_id]],
                        QUESTIONS_PER_QUIZ,
                    ),
                    start=1,
                )
            ],
        )
    seed.counts["quiz_attempts"] = len(attempts)
