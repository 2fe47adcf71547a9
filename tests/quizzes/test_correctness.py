"""Quiz correctness and privacy: opaque option values, review options that hide what they say,
Moodle's fractions, and bad input that gets a message instead of a 500."""

import random
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.http import QueryDict

from courses.models import Enrolment
from courses.quizzes import selectors, services
from courses.quizzes.formats import parse_gift
from courses.quizzes.grading import grade
from courses.quizzes.models import Attempt, AttemptState, Question, QuestionType
from tests.factories import UserFactory
from tests.quizzes.conftest import answers_post
from tests.quizzes.factories import question, quiz

pytestmark = pytest.mark.django_db

OPTION_VALUE = re.compile(r'<input type="(?:radio|checkbox)" name="q(\d+)" value="([^"]*)"')


def enrolled(course, n=0):
    user = UserFactory(roles=["Trainee"], email=f"learner-{n}@example.org")
    Enrolment.objects.create(user=user, course=course)
    return user


def form(data):
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


# Opaque option values ---------------------------------------------------------------------------


def test_option_values_reveal_neither_order_nor_correctness(client, course_module):
    course, module = course_module
    # The right answer is written first, so its id is the lowest: the old giveaway.
    single = question(
        course,
        QuestionType.SINGLE,
        text="Which stream earns the most?",
        answers=[("Reuse", 1), ("Recycling", 0), ("Incineration", 0), ("Landfill", 0)],
    )
    page = quiz(module, [single], shuffle_options=False)
    answer_ids = {str(pk) for pk in single.answers.values_list("pk", flat=True)}
    right_ranks, values_seen = set(), []
    for n in range(12):
        learner = enrolled(course, n)
        attempt = services.attempt_start(user=learner, quiz=page, rng=random.Random(n))
        client.force_login(learner)
        html = client.get(page.url + f"attempt/{attempt.number}/").content.decode()
        values = [value for _position, value in OPTION_VALUE.findall(html)]
        assert len(values) == 4
        # Neither ids nor numbers, and different in every attempt.
        assert not answer_ids & set(values)
        assert not any(value.isdigit() for value in values)
        assert not set(values) & {value for seen in values_seen for value in seen}
        values_seen.append(values)
        # The right answer ("Reuse", shown first: no shuffling) is at a random rank when the
        # values are sorted, so sorting them tells nothing.
        right_value = values[0]
        right_ranks.add(sorted(values).index(right_value))
        # The key is what the form posts back, and it still grades right.
        services.attempt_submit(attempt=attempt, data=form({"q1": right_value}))
        assert Attempt.objects.get(pk=attempt.pk).percent == 100
    assert len(right_ranks) >= 3


def test_a_posted_answer_id_counts_for_nothing(course_module, trainee):
    course, module = course_module
    single = question(
        course, QuestionType.SINGLE, answers=[("Reuse", 1), ("Recycling", 0), ("Landfill", 0)]
    )
    page = quiz(module, [single])
    attempt = services.attempt_start(user=trainee, quiz=page)
    right = single.answers.get(fraction=1)
    attempt, _submitted = services.attempt_submit(attempt=attempt, data=form({"q1": str(right.pk)}))
    assert attempt.percent == 0


def test_matching_fields_are_named_by_opaque_keys(client, sorting_quiz, trainee):
    attempt = services.attempt_start(user=trainee, quiz=sorting_quiz)
    client.force_login(trainee)
    html = client.get(sorting_quiz.url + "attempt/1/").content.decode()
    matching = next(s for s in attempt.slots.all() if s.question.question_type == "matching")
    pair_ids = set(matching.question.pairs.values_list("pk", flat=True))
    for key, pk in matching.prompts():
        assert pk in pair_ids and f'name="q{matching.position}-{key}"' in html
        assert f'name="q{matching.position}-{pk}"' not in html


# Review options ------------------------------------------------------------------------------

REVIEW_ON = {
    "review_score": True,
    "review_correctness": True,
    "review_feedback": True,
    "review_correct_answers": True,
}


def _reviewed(client, course_module, trainee, **options):
    course, module = course_module
    single = question(
        course,
        QuestionType.SINGLE,
        text="Which fibre are most jeans made of?",
        answers=[("Cotton", 1, "Yes: denim is cotton twill."), ("Wool", 0, "Wool felts.")],
        general_feedback="Denim is a cotton twill weave.",
    )
    short = question(
        course,
        QuestionType.SHORT_ANSWER,
        text="What does mechanical recycling produce?",
        answers=[("recycled fibre*", 1)],
    )
    page = quiz(module, [single, short], **{**REVIEW_ON, **options})
    attempt = services.attempt_start(user=trainee, quiz=page)
    wool = next(
        key
        for key, pk in attempt.slots.get(position=1).options()
        if pk != single.answers.get(fraction=1).pk
    )
    services.attempt_submit(attempt=attempt, data=form({"q1": wool, "q2": ""}))
    client.force_login(trainee)
    response = client.get(page.url + "attempt/1/review/")
    assert response.status_code == 200
    return response.content.decode()


def test_review_with_every_option_on_shows_everything(client, course_module, trainee):
    html = _reviewed(client, course_module, trainee)
    assert "0 out of 1" in html and "Marks" in html
    assert "quiz-incorrect" in html and "quiz-wrong" in html and "Incorrect" in html
    assert "Wool felts." in html and "Denim is a cotton twill weave." in html
    assert "The correct answer is:" in html and "Cotton" in html
    # The blank short answer is "not answered", never "incorrect".
    assert "Not answered" in html and "quiz-notanswered" in html


def test_review_without_score_hides_every_mark(client, course_module, trainee):
    html = _reviewed(client, course_module, trainee, review_score=False)
    assert "out of 1" not in html.replace("marked out of 1", "")
    assert "marked out of 1" in html
    assert "Marks" not in html and "quiz-attempt-grade" not in html
    assert "Not passed" not in html and "0 %" not in html


def test_review_without_correctness_hides_borders_and_signs(client, course_module, trainee):
    html = _reviewed(client, course_module, trainee, review_correctness=False)
    for sign in ("quiz-incorrect", "quiz-correct", "quiz-partial", "quiz-notanswered"):
        assert f' {sign}"' not in html  # no coloured border on any question
    assert "quiz-wrong" not in html and "quiz-right" not in html
    assert "Incorrect" not in html and ">wrong<" not in html
    # A blank answer is still "not answered": that says nothing about correctness.
    assert "Not answered" in html


def test_review_without_feedback_hides_specific_and_general_feedback(
    client, course_module, trainee
):
    html = _reviewed(client, course_module, trainee, review_feedback=False)
    assert "Wool felts." not in html and "Denim is a cotton twill weave." not in html
    assert "quiz-feedback" not in html


def test_review_without_right_answer_hides_it(client, course_module, trainee):
    html = _reviewed(client, course_module, trainee, review_correct_answers=False)
    assert "The correct answer is:" not in html and "recycled fibre" not in html


# Fractions ------------------------------------------------------------------------------------

MOODLE_SPLITS = [
    ["100"],
    ["90", "10"],
    ["83.33333", "16.66667"],
    ["80", "20"],
    ["75", "25"],
    ["70", "30"],
    ["66.66667", "33.33333"],
    ["60", "40"],
    ["50", "50"],
    ["40", "60"],
    ["33.33333"] * 3,
    ["25"] * 4,
    ["20"] * 5,
    ["16.66667"] * 6,
    ["14.28571"] * 7,
    ["12.5"] * 8,
    ["11.11111"] * 9,
    ["10"] * 10,
    ["5"] * 20,
]


@pytest.mark.parametrize("split", MOODLE_SPLITS, ids=lambda split: "+".join(split))
def test_moodle_fraction_splits_add_up_to_full_marks(split):
    """Written as GIFT weights, imported, every right option picked: full marks, as in Moodle;
    one wrong option with a negative Moodle fraction takes its share off."""
    options = " ".join(f"~%{weight}%right {n}" for n, weight in enumerate(split))
    gift = f"::Split::Pick all the right ones. {{{options} ~%-33.33333%wrong}}"
    parsed = parse_gift(gift)
    assert parsed.ok, parsed.errors
    item = parsed.questions[0]
    assert item.question_type == QuestionType.MULTIPLE
    answers = [_answer(n, a.fraction) for n, a in enumerate(item.answers, start=1)]
    q = SimpleNamespace(question_type=item.question_type, answers=_Answers(answers))
    all_right = [a.pk for a in answers if a.fraction > 0]
    result = grade(q, [], all_right)
    assert result.fraction == 1 and result.state == "correct"
    with_wrong = grade(q, [], [*all_right, answers[-1].pk])
    assert Decimal("0.666666") <= with_wrong.fraction <= Decimal("0.666667")
    assert with_wrong.state == "partial"


def test_fractions_are_stored_as_moodle_stores_them(course_module, trainee):
    course, module = course_module
    third = Decimal("0.3333333")
    multiple = question(
        course,
        QuestionType.MULTIPLE,
        answers=[("a", third), ("b", third), ("c", third), ("d", -1)],
    )
    assert sorted(multiple.answers.values_list("fraction", flat=True))[1:] == [third] * 3
    page = quiz(module, [multiple])
    attempt = services.attempt_start(user=trainee, quiz=page)
    keys = [
        key for key, pk in attempt.slots.get().options() if pk != multiple.answers.get(text="d").pk
    ]
    attempt, _ = services.attempt_submit(attempt=attempt, data=form({"q1": keys}))
    assert attempt.percent == 100 and attempt.score == 1
    assert selectors.passed_quiz_ids(trainee, course) == {page.pk}


def test_two_right_answers_make_a_single_choice_question():
    parsed = parse_gift("::Two::Which is a natural fibre? {=Wool =Linen ~Polyester}")
    assert parsed.ok
    item = parsed.questions[0]
    assert item.question_type == QuestionType.SINGLE
    assert [a.fraction for a in item.answers] == [1, 1, 0]


class _Answers(list):
    def all(self):
        return self


def _answer(pk, fraction):
    from courses.quizzes.models import Answer

    return Answer(pk=pk, text=f"option {pk}", fraction=fraction)


# Bad input --------------------------------------------------------------------------------------


@pytest.fixture
def text_quiz(course_module):
    course, module = course_module
    short = question(
        course, QuestionType.SHORT_ANSWER, text="Output?", answers=[("recycled fibre*", 1)]
    )
    numerical = question(
        course, QuestionType.NUMERICAL, text="How many kg?", answers=[(12, 1, 1)], units=[("kg", 1)]
    )
    return quiz(module, [short, numerical], slug="text-quiz")


@pytest.mark.parametrize(
    "data",
    [
        {"q1": "recycled\x00fibre", "q2": "12"},
        {"q1": "recycled fibre", "q2": "1\x002"},
        {"q1": "recycled fibre", "q2": "12", "q2-unit": "k\x00g"},
    ],
    ids=["short-answer", "numerical", "unit"],
)
def test_a_nul_byte_gets_a_message_and_saves_nothing(client, text_quiz, trainee, data):
    client.force_login(trainee)
    client.post(text_quiz.url + "start/")
    attempt = Attempt.objects.get(user=trainee)
    # Auto-save: a 400 with the reason, nothing stored.
    response = client.post(text_quiz.url + "attempt/1/save/", data)
    assert response.status_code == 400
    assert "NUL character" in response.json()["error"] and response.json()["saved"] is False
    assert not attempt.slots.filter(saved_at__isnull=False).exists()
    # "Save answers": back to the attempt with the message.
    response = client.post(text_quiz.url + "attempt/1/", {**data, "action": "save"}, follow=True)
    assert response.status_code == 200 and "NUL character" in response.content.decode()
    assert not attempt.slots.filter(saved_at__isnull=False).exists()
    # "Submit": refused with the message; the attempt stays open and can still be submitted.
    response = client.post(text_quiz.url + "attempt/1/", {**data, "action": "submit"}, follow=True)
    assert "NUL character" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS and attempt.score is None
    response = client.post(
        text_quiz.url + "attempt/1/", {"q1": "recycled fibre", "q2": "12", "action": "submit"}
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.percent == 100


@pytest.mark.parametrize("number", ["1e400", "1e9999999", "-1e9999999", "nan", "1" * 49])
def test_huge_or_odd_numbers_are_wrong_answers_not_errors(client, text_quiz, trainee, number):
    client.force_login(trainee)
    client.post(text_quiz.url + "start/")
    response = client.post(
        text_quiz.url + "attempt/1/", {"q1": "recycled fibre", "q2": number, "action": "submit"}
    )
    assert response.status_code == 302
    attempt = Attempt.objects.get(user=trainee)
    assert attempt.is_finished and attempt.percent == 50


@pytest.fixture
def staff(admin_user, client):
    client.force_login(admin_user)
    return admin_user


@pytest.mark.parametrize(
    ("gift", "message"),
    [
        ("::Nul::Which\x00one? {=a ~b}", "NUL character"),
        ("::Huge::How many? {#1e400}", "is too large"),
        ("::Huge range::How many? {#1..1e400}", "is too large"),
        ("::NaN::How many? {#nan}", "is not a number"),
        ("::Inf::How many? {#12:Infinity}", "is not a number"),
        ("::Digits::How many? {#123456789012345678901234567890}", "is too large"),
        ("::Decimals::How many? {#0.1234567}", "more than 6 decimal places"),
    ],
    ids=["nul", "1e400", "range", "nan", "infinity", "30-digits", "decimals"],
)
def test_import_confirm_with_bad_input_says_why_and_saves_nothing(
    client, staff, course_module, gift, message
):
    course = course_module[0]
    url = f"/admin/quizzes/bank/{course.pk}/import/"
    response = client.post(
        url, {"file_format": "gift", "content": gift, "category": "", "confirm": "1"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Question.objects.count() == 0


def test_an_uploaded_file_with_a_nul_byte_is_refused(client, staff, course_module):
    from django.core.files.uploadedfile import SimpleUploadedFile

    course = course_module[0]
    upload = SimpleUploadedFile("bank.gift", b"::Q::Which? {=a ~b}\x00\n", "text/plain")
    response = client.post(
        f"/admin/quizzes/bank/{course.pk}/import/", {"file_format": "gift", "file": upload}
    )
    assert response.status_code == 200 and "NUL character" in response.content.decode()
    assert Question.objects.count() == 0


def test_answers_post_uses_option_keys(sorting_quiz, trainee):
    attempt = services.attempt_start(user=trainee, quiz=sorting_quiz)
    attempt, _ = services.attempt_submit(attempt=attempt, data=form(answers_post(attempt)))
    assert attempt.percent == 100


# Finishing ---------------------------------------------------------------------------------------


def test_finish_leads_to_the_summary_and_submitting_from_it_keeps_the_answers(
    client, sorting_quiz, trainee
):
    client.force_login(trainee)
    client.post(sorting_quiz.url + "start/")
    attempt = Attempt.objects.get(user=trainee)
    # "Save answers" is a secondary button; "Finish attempt…" the primary one, and says it
    # leads somewhere (the summary) rather than submitting at once.
    page_html = client.get(sorting_quiz.url + "attempt/1/").content.decode()
    assert 'value="save" class="button button-secondary quiz-save">Save answers<' in page_html
    assert 'value="finish" class="button quiz-finish">Finish attempt…<' in page_html
    data = answers_post(attempt)
    del data["q4"]  # the short answer is left blank
    response = client.post(
        sorting_quiz.url + "attempt/1/", {**data, "q2-flag": "1", "action": "finish"}
    )
    assert response.status_code == 302 and response.url.endswith("/attempt/1/summary/")
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS  # nothing is submitted yet
    html = client.get(response.url).content.decode()
    assert "1 question is not answered yet." in html
    assert html.count('class="quiz-summary-missing"') == 1 and ">Flagged<" in html
    response = client.post(sorting_quiz.url + "attempt/1/", {"action": "submit", "from": "summary"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.percent == Decimal("83.3333")


def test_quiz_page_and_review_state_the_same_grade(client, course_module, trainee):
    """Average grading: the second attempt alone passes, the quiz grade does not; both pages
    say "Not passed yet" for the quiz and explain the grading method."""
    course, module = course_module
    single = question(course, QuestionType.SINGLE, answers=[("Reuse", 1), ("Landfill", 0)])
    page = quiz(module, [single], pass_mark=60, grading_method="average")
    for right in (False, True):
        attempt = services.attempt_start(user=trainee, quiz=page)
        pick = next(
            key
            for key, pk in attempt.slots.get().options()
            if (pk == single.answers.get(fraction=1).pk) == right
        )
        services.attempt_submit(attempt=attempt, data=form({"q1": pick}))
    client.force_login(trainee)
    quiz_html = client.get(page.url).content.decode()
    review_html = client.get(page.url + "attempt/2/review/").content.decode()
    for html in (quiz_html, review_html):
        assert "Your grade for this quiz: 50 %" in html and "Not passed yet" in html
        assert "your grade is the average of your attempts" in html
        assert ">Passed<" not in html
    assert "100 %" in review_html  # this attempt's own grade, named as such
