"""Demo quizzes (LOAD_DEMO order 210): a quiz in module 1 of each of the learn part's demo
courses, question banks with every question type (one imported from the GIFT file next to this
module), and attempts by demo learners, one of whom fails and then passes. Idempotent; a
course that is not there is skipped."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.http import QueryDict

from courses.models import CoursePage, ModulePage

from .. import services
from ..formats import parse_gift, questions_import
from ..models import (
    Answer,
    GradingMethod,
    MatchPair,
    NumericalUnit,
    Question,
    QuestionCategory,
    QuestionType,
    QuizPage,
    QuizSlot,
)

GIFT_FILE = Path(__file__).with_name("fibre-identification.gift")

SORTING_QUESTIONS = [
    {
        "name": "Reuse grade",
        "question_type": QuestionType.SINGLE,
        "text": "A sorter finds a clean wool coat with a broken zip. Which stream should it go to?",
        "general_feedback": "Sorting plants earn most from reuse grades; small repairs do not disqualify an item.",
        "answers": [
            (
                "Reuse (export or second-hand shop)",
                1,
                "Right: repairable garments in good condition are reused.",
            ),
            ("Mechanical recycling", 0, "Recycling destroys the value of a reusable coat."),
            ("Energy recovery", 0, "Energy recovery is the last resort for contaminated textiles."),
        ],
    },
    {
        "name": "Contaminants",
        "question_type": QuestionType.MULTIPLE,
        "text": "Which items must be removed before textiles are shredded for fibre-to-fibre recycling?",
        "answers": [
            ("Zips and buttons", Decimal("0.5"), "Hard parts damage the shredder and the fibre."),
            (
                "Printed or coated patches",
                Decimal("0.5"),
                "Coatings contaminate the recycled fibre.",
            ),
            ("Cotton labels", Decimal("-0.5"), "Cotton labels can stay with cotton feedstock."),
            (
                "Seams",
                Decimal("-0.5"),
                "Seams of the same fibre are usually shredded with the garment.",
            ),
        ],
    },
    {
        "name": "Separate collection",
        "question_type": QuestionType.TRUE_FALSE,
        "text": "EU member states must organise separate collection of textile waste from 1 January 2025.",
        "answers": [
            ("True", 1, "Right: Article 11 of the Waste Framework Directive."),
            ("False", 0, "Check the 2018 amendment of the Waste Framework Directive."),
        ],
    },
    {
        "name": "Cream grade",
        "question_type": QuestionType.SHORT_ANSWER,
        "text": "What do sorters call the best-quality fraction of collected clothing, sold at the highest price?",
        "answers": [
            ("cream", 1, "Yes: the 'crème' is a few per cent of the input."),
            ("crème", 1, ""),
            ("premium*", Decimal("0.5"), "Close: the trade word is 'cream'."),
        ],
    },
    {
        "name": "Share reused",
        "question_type": QuestionType.NUMERICAL,
        "text": "Of 1 tonne of collected post-consumer clothing, roughly how much is sold for reuse? (give kilograms or tonnes)",
        "answers": [
            (Decimal("600"), Decimal("100"), 1, "About 50–70 % is reusable."),
            (Decimal("600"), Decimal("250"), Decimal("0.5"), "In the right region, but a bit far."),
        ],
        "units": [("kg", 1), ("t", Decimal("0.001"))],
    },
    {
        "name": "Sorting streams",
        "question_type": QuestionType.MATCHING,
        "text": "Match each sorted fraction with where it goes.",
        "pairs": [
            ("Wearable summer clothing", "Second-hand export"),
            ("Worn cotton T-shirts", "Wiping rags"),
            ("Mixed-fibre knitwear", "Mechanical recycling into insulation"),
            ("", "Landfill"),
        ],
    },
]

LEGISLATION_QUESTIONS = [
    (
        "EPR",
        "What does EPR stand for in the EU textile strategy?",
        [
            ("Extended producer responsibility", 1),
            ("European product register", 0),
            ("Environmental performance rating", 0),
        ],
    ),
    (
        "Ecodesign",
        "Which regulation sets ecodesign requirements for textiles?",
        [
            ("The Ecodesign for Sustainable Products Regulation (ESPR)", 1),
            ("REACH", 0),
            ("The Packaging Regulation", 0),
        ],
    ),
    (
        "Destruction ban",
        "The ESPR bans large companies from destroying unsold clothing and footwear.",
        None,
    ),
    (
        "Waste shipment",
        "Which rules govern exporting used textiles out of the EU?",
        [("The Waste Shipment Regulation", 1), ("The Textile Labelling Regulation", 0)],
    ),
]


def _question(course, category, spec):
    question = Question(
        course=course,
        category=category,
        question_type=spec["question_type"],
        name=spec["name"],
        text=spec["text"],
        general_feedback=spec.get("general_feedback", ""),
    )
    for order, answer in enumerate(spec.get("answers", [])):
        if spec["question_type"] == QuestionType.NUMERICAL:
            value, tolerance, fraction, feedback = answer
            question.answers.add(
                Answer(
                    value=value,
                    tolerance=tolerance,
                    fraction=fraction,
                    feedback=feedback,
                    sort_order=order,
                )
            )
        else:
            text, fraction, feedback = answer
            question.answers.add(
                Answer(text=text, fraction=fraction, feedback=feedback, sort_order=order)
            )
    for order, (prompt, match) in enumerate(spec.get("pairs", [])):
        question.pairs.add(MatchPair(prompt=prompt, answer=match, sort_order=order))
    for order, (unit, multiplier) in enumerate(spec.get("units", [])):
        question.units.add(NumericalUnit(unit=unit, multiplier=multiplier, sort_order=order))
    question.save()
    return question


def _module(course):
    return (
        ModulePage.objects.child_of(course).filter(slug="module-1").first()
        or ModulePage.objects.child_of(course).first()
    )


def _quiz(module, *, slug, title, intro, questions=(), category=None, random_count=0, **settings):
    existing = QuizPage.objects.child_of(module).filter(slug=slug).first()
    if existing:
        return existing, False
    page = QuizPage(title=title, slug=slug, intro=intro, **settings)
    for order, question in enumerate(questions):
        page.slots.add(QuizSlot(question=question, sort_order=order))
    if category is not None:
        page.slots.add(
            QuizSlot(category=category, random_count=random_count, sort_order=len(questions))
        )
    module.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def answer_data(attempt, *, right):
    """Form data answering every question of ``attempt`` rightly or wrongly (demo learners)."""
    data = QueryDict(mutable=True)
    for slot in attempt.slots.select_related("question").prefetch_related(
        "question__answers", "question__pairs", "question__units"
    ):
        question, name = slot.question, f"q{slot.position}"
        answers = sorted(question.answers.all(), key=lambda answer: answer.fraction, reverse=right)
        key_of = {pk: key for key, pk in slot.options()}
        if question.question_type in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
            data[name] = key_of[answers[0].pk]
        elif question.question_type == QuestionType.MULTIPLE:
            data.setlist(
                name, [key_of[answer.pk] for answer in answers if (answer.fraction > 0) == right]
            )
        elif question.question_type == QuestionType.SHORT_ANSWER:
            data[name] = answers[0].text.replace("*", "") if right else "no idea"
        elif question.question_type == QuestionType.NUMERICAL:
            numbers = [answer for answer in answers if answer.value is not None]
            data[name] = f"{numbers[0].value:f}" if right else "-1"
            unit = next(iter(question.units.all()), None)
            if unit:
                data[f"{name}-unit"] = unit.unit
        elif question.question_type == QuestionType.MATCHING:
            pairs = [pair for pair in question.pairs.all() if pair.prompt]
            prompt_key = {pk: key for key, pk in slot.prompts()}
            for index, pair in enumerate(pairs):
                data[f"{name}-{prompt_key[pair.pk]}"] = (
                    pair.answer if right else pairs[(index + 1) % len(pairs)].answer
                )
    return data


def _attempt(user, quiz, *, right):
    from courses.models import Enrolment

    course = quiz.get_course()
    Enrolment.objects.get_or_create(user=user, course=course)
    attempt = services.attempt_start(user=user, quiz=quiz)
    services.attempt_submit(attempt=attempt, data=answer_data(attempt, right=right))


def load(*, stdout, style):
    courses = {
        course.slug: course
        for course in CoursePage.objects.filter(
            slug__in=[
                "sorting-post-consumer-textiles",
                "fibre-identification",
                "eu-textile-waste-legislation",
            ]
        )
    }
    quizzes = {}

    course = courses.get("sorting-post-consumer-textiles")
    if course and _module(course):
        category, _created = QuestionCategory.objects.get_or_create(
            course=course, parent=None, name="Sorting practice"
        )
        if not Question.objects.filter(course=course, name="Reuse grade").exists():
            for spec in SORTING_QUESTIONS:
                _question(course, category, spec)
        questions = list(Question.objects.filter(course=course, category=category).order_by("pk"))
        quizzes["sorting"], _created = _quiz(
            _module(course),
            slug="sorting-check",
            title="Check your sorting knowledge",
            intro="<p>Six questions on grading collected clothing for reuse and recycling.</p>",
            questions=questions,
            pass_mark=Decimal("60"),
            attempts_allowed=3,
            grading_method=GradingMethod.HIGHEST,
            review_correct_answers=True,
        )
    else:
        stdout.write("  quizzes: course sorting-post-consumer-textiles not found, skipped")

    course = courses.get("fibre-identification")
    if course and _module(course):
        if not Question.objects.filter(course=course, name="Burning cotton").exists():
            result = parse_gift(GIFT_FILE.read_text(encoding="utf-8"))
            if result.errors:  # a broken demo file is a bug in this repository
                raise ValueError(f"{GIFT_FILE.name}: {result.errors}")
            questions_import(course=course, parsed=result.questions)
        top = QuestionCategory.objects.get(course=course, parent=None, name="Fibre identification")
        quizzes["fibre"], _created = _quiz(
            _module(course),
            slug="fibre-identification-quiz",
            title="Identify the fibre",
            intro="<p>Five questions drawn at random from the fibre identification bank, 15 minutes.</p>",
            category=top,
            random_count=5,
            shuffle_questions=True,
            time_limit=timedelta(minutes=15),
            pass_mark=Decimal("70"),
            grading_method=GradingMethod.HIGHEST,
        )
    else:
        stdout.write("  quizzes: course fibre-identification not found, skipped")

    course = courses.get("eu-textile-waste-legislation")
    if course and _module(course):
        category, _created = QuestionCategory.objects.get_or_create(
            course=course, parent=None, name="EU law"
        )
        if not Question.objects.filter(course=course, name="EPR").exists():
            for name, text, answers in LEGISLATION_QUESTIONS:
                if answers is None:
                    spec = {
                        "name": name,
                        "text": text,
                        "question_type": QuestionType.TRUE_FALSE,
                        "answers": [("True", 1, ""), ("False", 0, "")],
                    }
                else:
                    spec = {
                        "name": name,
                        "text": text,
                        "question_type": QuestionType.SINGLE,
                        "answers": [(t, f, "") for t, f in answers],
                    }
                _question(course, category, spec)
        quizzes["legislation"], _created = _quiz(
            _module(course),
            slug="legislation-quiz",
            title="EU rules on textile waste",
            intro="<p>Four questions on the Waste Framework Directive, ESPR and waste shipments.</p>",
            questions=list(
                Question.objects.filter(course=course, category=category).order_by("pk")
            ),
            pass_mark=Decimal("75"),
            grading_method=GradingMethod.HIGHEST,
            review_feedback=True,
        )
    else:
        stdout.write("  quizzes: course eu-textile-waste-legislation not found, skipped")

    User = get_user_model()
    trainee = User.objects.filter(email="trainee@example.org").first()
    sorting = quizzes.get("sorting")
    if trainee and sorting and not sorting.attempts.filter(user=trainee).exists():
        _attempt(trainee, sorting, right=False)  # fails first…
        _attempt(trainee, sorting, right=True)  # …then passes
    moderator = User.objects.filter(email="moderator@example.org").first()
    fibre = quizzes.get("fibre")
    if moderator and fibre and not fibre.attempts.filter(user=moderator).exists():
        _attempt(moderator, fibre, right=True)
    stdout.write(
        f"  quizzes: {len(quizzes)} demo quizzes, {Question.objects.count()} questions in the banks"
    )
