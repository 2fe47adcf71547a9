import math
from decimal import Decimal

import pytest

from courses.quizzes.models import Attempt, AttemptSlot, AttemptState, QuestionType
from courses.quizzes.selectors import item_statistics, pearson, quiz_report
from tests.factories import UserFactory
from tests.quizzes.factories import question, quiz

# Four attempts at three one-mark questions, computed by hand:
#   attempt  q1 q2 q3  total
#   A         1  1  1    3
#   B         1  0  1    2
#   C         0  1  0    1
#   D         0  0  0    0
# q1: marks 1,1,0,0; rest of test 2,1,1,0. mean 0.5 and 1; Σ(dx·dy) = 0.5+0+0+0.5 = 1;
#     Σdx² = 1, Σdy² = 2 → r = 1/√2 → discrimination 70.71; facility 50 %.
# q2: marks 1,0,1,0; rest 2,2,0,0 → Σ(dx·dy) = 0.5−0.5−0.5+0.5 = 0 → discrimination 0.
# q3: same as q1.
MARKS = {"A": (1, 1, 1), "B": (1, 0, 1), "C": (0, 1, 0), "D": (0, 0, 0)}


def test_item_statistics_match_the_hand_computed_example():
    marks = {
        attempt: {q: (float(m), 1.0) for q, m in zip((1, 2, 3), row, strict=True)}
        for attempt, row in MARKS.items()
    }
    items = {
        item.question_id: item
        for item in item_statistics(marks, {1: ("q1", "x"), 2: ("q2", "x"), 3: ("q3", "x")})
    }
    assert items[1].facility == 50 and items[2].facility == 50 and items[3].facility == 50
    assert math.isclose(items[1].discrimination, 100 / math.sqrt(2))
    assert math.isclose(items[3].discrimination, 70.71067811865476)
    assert math.isclose(items[2].discrimination, 0, abs_tol=1e-9)


def test_no_variation_gives_no_discrimination():
    assert pearson([1, 1, 1], [0, 1, 2]) is None
    assert pearson([1], [2]) is None


@pytest.mark.django_db
def test_quiz_report_over_stored_attempts(course_module, django_assert_max_num_queries):
    course, module = course_module
    questions = [
        question(course, QuestionType.TRUE_FALSE, name=f"q{n}", answers=[("True", 1), ("False", 0)])
        for n in (1, 2, 3)
    ]
    page = quiz(module, questions, pass_mark=60)
    for row in MARKS.values():
        attempt = Attempt.objects.create(
            quiz=page,
            user=UserFactory(),
            number=1,
            state=AttemptState.FINISHED,
            max_score=3,
            score=sum(row),
            percent=Decimal(sum(row) * 100) / 3,
        )
        AttemptSlot.objects.bulk_create(
            AttemptSlot(attempt=attempt, position=p, question=q, max_mark=1, mark=m, fraction=m)
            for p, (q, m) in enumerate(zip(questions, row, strict=True), start=1)
        )
    with django_assert_max_num_queries(3):
        report = quiz_report(page)
    assert report.attempts == 4 and len(report.learners) == 4
    assert report.pass_rate == 50  # 100 % and 66.7 % pass, 33.3 % and 0 % do not
    by_name = {item.name: item for item in report.items}
    assert (
        round(by_name["q1"].discrimination, 2) == 70.71
        and round(by_name["q2"].discrimination, 2) == 0
    )
