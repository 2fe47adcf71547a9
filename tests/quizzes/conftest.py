import pytest

from courses.models import Enrolment
from tests.factories import UserFactory
from tests.quizzes.factories import course_tree, one_of_each, quiz


@pytest.fixture
def course_module(db):
    return course_tree()


@pytest.fixture
def trainee(course_module):
    """A trainee enrolled in the course: only enrolled learners may take its quizzes."""
    user = UserFactory(roles=["Trainee"])
    Enrolment.objects.create(user=user, course=course_module[0])
    return user


@pytest.fixture
def sorting_quiz(course_module):
    course, module = course_module
    return quiz(module, one_of_each(course), pass_mark=60, shuffle_options=True)


def answers_post(attempt, *, right=True):
    """Form data answering every slot of ``attempt`` rightly (or wrongly)."""
    from courses.quizzes.models import QuestionType

    data = {}
    for slot in attempt.slots.select_related("question").prefetch_related(
        "question__answers", "question__pairs"
    ):
        question, name = slot.question, f"q{slot.position}"
        answers = list(question.answers.all())
        key_of = {pk: key for key, pk in slot.options()}
        if question.question_type in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
            pick = (
                max(answers, key=lambda a: a.fraction)
                if right
                else min(answers, key=lambda a: a.fraction)
            )
            data[name] = key_of[pick.pk]
        elif question.question_type == QuestionType.MULTIPLE:
            data[name] = [key_of[a.pk] for a in answers if (a.fraction > 0) == right]
        elif question.question_type == QuestionType.SHORT_ANSWER:
            data[name] = "Recycled fibres" if right else "landfill"
        elif question.question_type == QuestionType.NUMERICAL:
            data[name] = "12" if right else "40"
            data[f"{name}-unit"] = "kg"
        elif question.question_type == QuestionType.MATCHING:
            pairs = [p for p in question.pairs.all() if p.prompt]
            prompt_key = {pk: key for key, pk in slot.prompts()}
            for index, pair in enumerate(pairs):
                wrong = pairs[(index + 1) % len(pairs)].answer
                data[f"{name}-{prompt_key[pair.pk]}"] = pair.answer if right else wrong
    return data
