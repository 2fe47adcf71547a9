import io

import pytest
from django.core.management.color import no_style

from cms import demo as core_demo
from courses.quizzes import demo, selectors
from courses.quizzes.models import Attempt, Question, QuestionType, QuizPage
from tests.quizzes.factories import course_tree

pytestmark = pytest.mark.django_db


def run(loader):
    out = io.StringIO()
    loader(stdout=out, style=no_style())
    return out.getvalue()


def test_demo_skips_missing_courses():
    output = run(demo.load)
    assert "not found, skipped" in output and QuizPage.objects.count() == 0


def test_demo_quizzes_are_idempotent_and_cover_every_type():
    run(core_demo.load)
    for slug, title in [
        ("sorting-post-consumer-textiles", "Sorting"),
        ("fibre-identification", "Fibres"),
        ("eu-textile-waste-legislation", "EU law"),
    ]:
        course_tree(slug=slug, title=title)
    run(demo.load)
    counts = (QuizPage.objects.count(), Question.objects.count(), Attempt.objects.count())
    run(demo.load)
    assert (QuizPage.objects.count(), Question.objects.count(), Attempt.objects.count()) == counts
    assert counts[0] == 3
    # Every demo quiz keeps a learner's best attempt, and says so on its page.
    assert set(QuizPage.objects.values_list("grading_method", flat=True)) == {"highest"}
    assert set(Question.objects.values_list("question_type", flat=True)) == set(QuestionType.values)
    assert Question.objects.filter(
        course__slug="fibre-identification", name="Microscope match"
    ).exists()
    sorting = QuizPage.objects.get(slug="sorting-check")
    trainee_attempts = list(
        sorting.attempts.filter(user__email="trainee@example.org").order_by("number")
    )
    assert [attempt.passed(sorting.pass_mark) for attempt in trainee_attempts] == [False, True]
    trainee = trainee_attempts[0].user
    assert selectors.passed_quiz_ids(trainee, sorting.get_course()) == {sorting.pk}
