"""Factories for the quizzes: a course tree built from the skeleton page models, questions of
every type and quizzes drawing them."""

from decimal import Decimal

from courses.models import CourseIndexPage, CoursePage, ModulePage
from courses.quizzes.models import (
    Answer,
    MatchPair,
    NumericalUnit,
    Question,
    QuestionCategory,
    QuestionType,
    QuizPage,
    QuizSlot,
)
from tests.cms.factories import home_page
from tests.factories import OrganisationFactory


def course_tree(*, slug="sorting-post-consumer-textiles", title="Sorting post-consumer textiles"):
    """A published catalogue → course → module-1, returned as (course, module)."""
    home = home_page()
    catalogue = CourseIndexPage.objects.first()
    if catalogue is None:
        catalogue = home.add_child(instance=CourseIndexPage(title="Courses", slug="courses"))
    course = catalogue.add_child(
        instance=CoursePage(
            title=title,
            slug=slug,
            provider=OrganisationFactory(),
            summary="How sorting plants grade post-consumer textiles for reuse and recycling.",
            estimated_hours=Decimal("4"),
        )
    )
    module = course.add_child(instance=ModulePage(title="Module 1", slug="module-1"))
    return course, module


def question(
    course,
    question_type,
    *,
    name=None,
    text="?",
    answers=(),
    pairs=(),
    units=(),
    category=None,
    **fields,
):
    """``answers``: (text, fraction[, feedback]) or for numerical (value, tolerance, fraction)."""
    q = Question(
        course=course,
        category=category,
        question_type=question_type,
        name=name or f"{question_type} question",
        text=text,
        **fields,
    )
    for order, answer in enumerate(answers):
        if question_type == QuestionType.NUMERICAL:
            value, tolerance, fraction = answer[:3]
            q.answers.add(
                Answer(
                    value=Decimal(str(value)),
                    tolerance=Decimal(str(tolerance)),
                    fraction=Decimal(str(fraction)),
                    sort_order=order,
                )
            )
        else:
            text_, fraction = answer[:2]
            feedback = answer[2] if len(answer) > 2 else ""
            q.answers.add(
                Answer(
                    text=text_, fraction=Decimal(str(fraction)), feedback=feedback, sort_order=order
                )
            )
    for order, (prompt, match) in enumerate(pairs):
        q.pairs.add(MatchPair(prompt=prompt, answer=match, sort_order=order))
    for order, (unit, multiplier) in enumerate(units):
        q.units.add(NumericalUnit(unit=unit, multiplier=Decimal(str(multiplier)), sort_order=order))
    q.save()
    return q


def one_of_each(course, category=None):
    """Six questions, one of each type, about textile sorting."""
    return [
        question(
            course,
            QuestionType.SINGLE,
            name="Main fibre of jeans",
            text="Which fibre are most jeans made of?",
            answers=[
                ("Cotton", 1, "Yes: denim is cotton twill."),
                ("Polyester", 0, "Polyester is blended in at most."),
                ("Wool", 0),
            ],
            general_feedback="Denim is a cotton twill weave.",
            category=category,
        ),
        question(
            course,
            QuestionType.MULTIPLE,
            name="Natural fibres",
            text="Which of these are natural fibres?",
            answers=[("Wool", 0.5), ("Linen", 0.5), ("Polyamide", -0.5), ("Acrylic", -0.5)],
            category=category,
        ),
        question(
            course,
            QuestionType.TRUE_FALSE,
            name="NIR sorting",
            text="Near-infrared sensors can identify fibre composition.",
            answers=[("True", 1), ("False", 0)],
            category=category,
        ),
        question(
            course,
            QuestionType.SHORT_ANSWER,
            name="Mechanical recycling output",
            text="What does mechanical recycling of textiles produce?",
            answers=[("recycled fibre*", 1), ("fibre", 0.5)],
            category=category,
        ),
        question(
            course,
            QuestionType.NUMERICAL,
            name="EU textile waste",
            text="How many kg of textiles does an EU citizen discard per year (about)?",
            answers=[(12, 1, 1), (12, 3, 0.5)],
            units=[("kg", 1), ("g", 1000)],
            category=category,
        ),
        question(
            course,
            QuestionType.MATCHING,
            name="Fibre families",
            text="Match each fibre to its family.",
            pairs=[
                ("Cotton", "Cellulosic natural"),
                ("Wool", "Protein natural"),
                ("Polyester", "Synthetic"),
            ],
            category=category,
        ),
    ]


def quiz(
    module,
    questions=(),
    *,
    title="Sorting quiz",
    slug="sorting-quiz",
    category=None,
    random_count=0,
    **fields,
):
    page = QuizPage(title=title, slug=slug, **fields)
    for order, q in enumerate(questions):
        page.slots.add(QuizSlot(question=q, sort_order=order))
    if category is not None:
        page.slots.add(
            QuizSlot(category=category, random_count=random_count, sort_order=len(questions))
        )
    module.add_child(instance=page)
    return page


def category(course, name, parent=None):
    return QuestionCategory.objects.create(course=course, name=name, parent=parent)
