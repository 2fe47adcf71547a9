from decimal import Decimal

import pytest

from courses.quizzes.formats import (
    export_aiken,
    export_gift,
    parse_aiken,
    parse_gift,
    questions_import,
)
from courses.quizzes.models import Question, QuestionCategory, QuestionType
from tests.quizzes.factories import one_of_each

pytestmark = pytest.mark.django_db

GIFT = r"""// Sorting post-consumer textiles: a GIFT bank
$CATEGORY: $course$/top/Sorting/Fibres

::Denim fibre::Which fibre are most jeans made of? {
    =Cotton#Yes, denim is a cotton twill.
    ~Polyester#Only blended in.
    ~Wool
    ####Denim is woven from cotton yarn.
}

::Natural fibres::Which of these are natural fibres? {~%50%Wool ~%50%Linen ~%-50%Acrylic#Acrylic is synthetic. ~%-50%Polyamide}

// true/false with feedback for a wrong and a right answer
::NIR::Near-infrared sensors identify fibre composition.{TRUE#No: NIR reads the polymer's spectrum.#Right.}

::Output::Mechanical recycling shreds textiles into {=recycled fibre =%50%fibre#Be more precise.} for spinning.

::Waste per person::How many kg of textiles does an EU citizen discard per year?{#12:2}

::Range::What share of textile waste is collected separately in the EU (%)?{#10..20}

::Several numbers::Melting point of PET in °C?{#=260:5 =%50%260:20#Close.}

::Families::Match each fibre to its family. {=Cotton -> cellulosic =Wool -> protein =Polyester -> synthetic}

$CATEGORY: Legislation
::Escapes::Which ratio is 1\:2 and what is \{this\}? {=1\:2 \= half#Yes \# indeed ~2\:1}
"""


def test_gift_parses_every_supported_construct():
    result = parse_gift(GIFT)
    assert result.errors == []
    by_name = {q.name: q for q in result.questions}
    assert len(by_name) == 9
    denim = by_name["Denim fibre"]
    assert denim.question_type == QuestionType.SINGLE and denim.category == "Sorting/Fibres"
    assert [(a.text, a.fraction, a.feedback) for a in denim.answers][0] == (
        "Cotton",
        1,
        "Yes, denim is a cotton twill.",
    )
    assert denim.general_feedback == "Denim is woven from cotton yarn."
    natural = by_name["Natural fibres"]
    assert natural.question_type == QuestionType.MULTIPLE
    assert [a.fraction for a in natural.answers] == [
        Decimal("0.5"),
        Decimal("0.5"),
        Decimal("-0.5"),
        Decimal("-0.5"),
    ]
    nir = by_name["NIR"]
    assert nir.question_type == QuestionType.TRUE_FALSE
    assert [(a.text, a.fraction, a.feedback) for a in nir.answers] == [
        ("True", 1, "Right."),
        ("False", 0, "No: NIR reads the polymer's spectrum."),
    ]
    output = by_name["Output"]
    assert output.question_type == QuestionType.SHORT_ANSWER
    assert output.text == "Mechanical recycling shreds textiles into _____ for spinning."
    assert (
        output.answers[1].fraction == Decimal("0.5")
        and output.answers[1].feedback == "Be more precise."
    )
    assert (
        by_name["Waste per person"].answers[0].value,
        by_name["Waste per person"].answers[0].tolerance,
    ) == (12, 2)
    assert (by_name["Range"].answers[0].value, by_name["Range"].answers[0].tolerance) == (15, 5)
    assert [(a.value, a.tolerance, a.fraction) for a in by_name["Several numbers"].answers] == [
        (260, 5, 1),
        (260, 20, Decimal("0.5")),
    ]
    assert by_name["Families"].pairs == [
        ("Cotton", "cellulosic"),
        ("Wool", "protein"),
        ("Polyester", "synthetic"),
    ]
    escapes = by_name["Escapes"]
    assert escapes.category == "Legislation"
    assert escapes.text == "Which ratio is 1:2 and what is {this}?"
    assert [(a.text, a.feedback) for a in escapes.answers] == [
        ("1:2 = half", "Yes # indeed"),
        ("2:1", ""),
    ]


def test_gift_reports_each_broken_question_with_its_line_and_saves_nothing(course_module):
    broken = "::A::Fine question {=yes ~no}\n\n::B::No answers here\n\n// comment\n::C::Open {=a ~b\n\n::D::Essay {}\n\n::E::Bad weight {~%150%a =b}\n"
    result = parse_gift(broken)
    # B (no block) is a description and D ({}) an essay, as Moodle reads them.
    assert [line for line, _message in result.errors] == [6, 10]
    assert "never closed" in result.errors[0][1]
    assert [q.question_type for q in result.questions] == ["single", "description", "essay"]
    assert not result.ok
    assert Question.objects.count() == 0


def test_gift_import_creates_categories_and_questions(course_module):
    course, _ = course_module
    created = questions_import(course=course, parsed=parse_gift(GIFT).questions)
    assert len(created) == 9
    fibres = QuestionCategory.objects.get(name="Fibres")
    assert fibres.parent.name == "Sorting" and fibres.path == "Sorting/Fibres"
    assert Question.objects.filter(category=fibres).count() == 8
    assert Question.objects.get(name="Families").pairs.count() == 3


def test_gift_round_trip(course_module):
    course, _ = course_module
    questions_import(course=course, parsed=parse_gift(GIFT).questions)
    originals = list(Question.objects.for_grading().select_related("category").order_by("pk"))
    exported = export_gift(originals)
    again = parse_gift(exported)
    assert again.errors == []

    def shape(q):
        answers = [
            (a.text, Decimal(a.fraction), a.feedback, a.value, Decimal(a.tolerance))
            for a in q.answers
        ]
        return (
            q.name,
            q.question_type,
            q.text,
            q.general_feedback,
            q.category,
            answers,
            list(q.pairs),
        )

    def model_shape(q):
        answers = [
            (
                a.text,
                Decimal(a.fraction).normalize(),
                a.feedback,
                a.value and a.value.normalize(),
                Decimal(a.tolerance).normalize(),
            )
            for a in q.answers.all()
        ]
        pairs = [(p.prompt, p.answer) for p in q.pairs.all()]
        return (
            q.name,
            q.question_type,
            q.text,
            q.general_feedback,
            q.category.path if q.category else "",
            answers,
            pairs,
        )

    def normalise(shape_):
        name, qtype, text, general, category, answers, pairs = shape_
        answers = [
            (t, Decimal(f).normalize(), fb, v and Decimal(v).normalize(), Decimal(tol).normalize())
            for t, f, fb, v, tol in answers
        ]
        return (name, qtype, text, general, category, answers, pairs)

    assert sorted(normalise(shape(q)) for q in again.questions) == sorted(
        normalise(model_shape(q)) for q in originals
    )


def test_round_trip_of_the_factory_questions(course_module):
    course, _ = course_module
    one_of_each(course)
    exported = export_gift(Question.objects.for_grading().select_related("category"))
    parsed = parse_gift(exported)
    assert parsed.errors == []
    assert [q.question_type for q in parsed.questions] == [
        QuestionType.SINGLE,
        QuestionType.MULTIPLE,
        QuestionType.TRUE_FALSE,
        QuestionType.SHORT_ANSWER,
        QuestionType.NUMERICAL,
        QuestionType.MATCHING,
    ]


AIKEN = """Which EU directive makes separate collection of textiles mandatory from 2025?
A. The Waste Framework Directive (2008/98/EC, as amended in 2018)
B. The Ecodesign Directive
C) The Packaging Directive
ANSWER: A

What does EPR stand for?
A. Extended Producer Responsibility
B. European Product Register
ANSWER: A
"""


def test_aiken_parse_import_and_round_trip(course_module):
    course, _ = course_module
    result = parse_aiken(AIKEN)
    assert result.errors == [] and len(result.questions) == 2
    assert [a.fraction for a in result.questions[0].answers] == [1, 0, 0]
    questions_import(course=course, parsed=result.questions)
    text, skipped = export_aiken(Question.objects.for_grading().order_by("pk"))
    assert skipped == []
    assert text == AIKEN.replace("C) ", "C. ")


def test_aiken_errors_have_line_numbers():
    result = parse_aiken(
        "Question one\nA. yes\nB. no\n\nQuestion two\nA. yes\nB. no\nANSWER: C\n\nThree\nA. only\nnot an option\nANSWER: A\n"
    )
    assert [line for line, _message in result.errors] == [3, 8, 12]
