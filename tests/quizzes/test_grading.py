from decimal import Decimal

import pytest

from courses.quizzes.grading import grade, parse_number, short_answer_matches
from courses.quizzes.models import QuestionType
from tests.quizzes.factories import question

pytestmark = pytest.mark.django_db


def ids(q):
    return {a.text: a.pk for a in q.answers.all()}


def test_single_choice_gives_the_option_fraction_and_its_feedback(course_module):
    course, _ = course_module
    q = question(
        course,
        QuestionType.SINGLE,
        answers=[("Cotton", 1, "Yes"), ("Wool", 0, "No: wool is rare in denim")],
    )
    result = grade(q, [], ids(q)["Wool"])
    assert result.fraction == 0 and result.feedback == ["No: wool is rare in denim"]
    assert grade(q, [], ids(q)["Cotton"]).fraction == 1
    assert grade(q, [], None).fraction == 0


def test_multiple_choice_partial_credit_penalty_and_floor_at_zero(course_module):
    course, _ = course_module
    q = question(
        course,
        QuestionType.MULTIPLE,
        answers=[("Wool", 0.5), ("Linen", 0.5), ("Acrylic", -0.5), ("Nylon", -0.5)],
    )
    a = ids(q)
    assert grade(q, [], [a["Wool"], a["Linen"]]).fraction == 1
    assert grade(q, [], [a["Wool"]]).fraction == Decimal("0.5")
    assert grade(q, [], [a["Wool"], a["Linen"], a["Acrylic"]]).fraction == Decimal("0.5")
    assert grade(q, [], [a["Wool"], a["Acrylic"], a["Nylon"]]).fraction == 0  # never below 0
    # Ticking everything does not earn full marks.
    assert grade(q, [], list(a.values())).fraction == 0


def test_short_answer_wildcard_case_and_best_fraction(course_module):
    course, _ = course_module
    q = question(
        course,
        QuestionType.SHORT_ANSWER,
        answers=[("recycled fib*", 1, "Right"), ("fibre", 0.5, "Half")],
    )
    assert grade(q, [], "  Recycled   FIBRES ").fraction == 1
    assert grade(q, [], "fibre").feedback == ["Half"]
    assert grade(q, [], "fibres").fraction == 0  # whole-answer match, no wildcard here
    strict = question(course, QuestionType.SHORT_ANSWER, answers=[("PET", 1)], case_sensitive=True)
    assert grade(strict, [], "PET").fraction == 1
    assert grade(strict, [], "pet").fraction == 0
    assert short_answer_matches(r"5\*", "5*", False)
    assert not short_answer_matches(r"5\*", "55", False)


def test_numerical_tolerance_units_and_partial_answers(course_module):
    course, _ = course_module
    q = question(
        course,
        QuestionType.NUMERICAL,
        answers=[(12, 1, 1), (12, 3, 0.5)],
        units=[("kg", 1), ("g", 1000)],
    )
    assert grade(q, [], {"number": "12.9", "unit": "kg"}).fraction == 1
    assert grade(q, [], {"number": "12000", "unit": "g"}).fraction == 1
    assert grade(q, [], {"number": "14,5", "unit": "kg"}).fraction == Decimal("0.5")
    assert grade(q, [], {"number": "12", "unit": "lb"}).fraction == 0  # unknown unit
    assert grade(q, [], {"number": "about twelve", "unit": "kg"}).fraction == 0
    assert grade(q, [], "12").fraction == 1  # no unit: the base unit
    assert parse_number("1e3 g", {"g": Decimal(1000)}) == 1


def test_matching_gives_credit_per_correct_pair(course_module):
    course, _ = course_module
    q = question(
        course,
        QuestionType.MATCHING,
        pairs=[("Cotton", "Cellulose"), ("Wool", "Protein"), ("PET", "Synthetic"), ("", "Mineral")],
    )
    pairs = {p.prompt: p.pk for p in q.pairs.all()}
    response = {
        str(pairs["Cotton"]): "Cellulose",
        str(pairs["Wool"]): "Synthetic",
        str(pairs["PET"]): "Synthetic",
    }
    result = grade(q, {}, response)
    assert result.fraction == Decimal("0.666667")  # Moodle compares at 6 decimals
    assert result.parts == {pairs["Cotton"]: True, pairs["Wool"]: False, pairs["PET"]: True}
