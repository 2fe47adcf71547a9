from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from courses.models import Enrolment
from courses.quizzes import selectors, services
from courses.quizzes.grading import quiz_grade
from courses.quizzes.models import Attempt, AttemptSlot, GradingMethod, QuestionType
from courses.signals import activity_completed
from tests.factories import UserFactory
from tests.quizzes.conftest import answers_post
from tests.quizzes.factories import category, one_of_each, question, quiz

pytestmark = pytest.mark.django_db


class QueryDict(dict):
    """Enough of Django's QueryDict for the services: ``get`` and ``getlist``."""

    def getlist(self, key):
        value = self.get(key, [])
        return value if isinstance(value, list) else [value]


@pytest.fixture
def completions():
    received = []

    def receiver(sender, user, page, **kwargs):
        received.append((sender, user, page))

    activity_completed.connect(receiver)
    yield received
    activity_completed.disconnect(receiver)


def test_start_freezes_questions_and_option_order_and_resumes(sorting_quiz, trainee):
    attempt = services.attempt_start(user=trainee, quiz=sorting_quiz)
    slots = list(attempt.slots.order_by("position"))
    assert len(slots) == 6 and attempt.max_score == 6
    assert attempt.number == 1 and attempt.deadline is None
    single = next(s for s in slots if s.question.question_type == QuestionType.SINGLE)
    assert sorted(pk for _key, pk in single.options()) == sorted(
        single.question.answers.values_list("pk", flat=True)
    )
    # Starting again resumes the same attempt with the same frozen layout.
    again = services.attempt_start(user=trainee, quiz=sorting_quiz)
    assert again.pk == attempt.pk
    assert AttemptSlot.objects.get(pk=single.pk).layout == single.layout


def test_random_questions_from_a_category_and_its_subcategories(course_module, trainee):
    course, module = course_module
    top = category(course, "Fibres")
    sub = category(course, "Synthetic", parent=top)
    fixed = question(
        course, QuestionType.TRUE_FALSE, answers=[("True", 1), ("False", 0)], category=top
    )
    for n in range(4):
        question(course, QuestionType.SHORT_ANSWER, name=f"q{n}", answers=[("x", 1)], category=sub)
    page = quiz(module, [fixed], category=top, random_count=3, shuffle_questions=True)
    attempt = services.attempt_start(user=trainee, quiz=page)
    ids = list(attempt.slots.values_list("question_id", flat=True))
    assert len(ids) == 4 and len(set(ids)) == 4 and fixed.pk in ids


def test_right_answers_pass_and_send_activity_completed_once(sorting_quiz, trainee, completions):
    attempt = services.attempt_start(user=trainee, quiz=sorting_quiz)
    attempt, submitted = services.attempt_submit(
        attempt=attempt, data=QueryDict(answers_post(attempt))
    )
    assert submitted and attempt.percent == 100 and attempt.score == 6
    assert completions == [(type(sorting_quiz), trainee, sorting_quiz)]
    assert selectors.passed_quiz_ids(trainee, sorting_quiz.get_course()) == {sorting_quiz.pk}
    # Passing again does not complete the activity a second time.
    second = services.attempt_start(user=trainee, quiz=sorting_quiz)
    services.attempt_submit(attempt=second, data=QueryDict(answers_post(second)))
    assert len(completions) == 1


def test_double_submit_grades_once(sorting_quiz, trainee, completions):
    attempt = services.attempt_start(user=trainee, quiz=sorting_quiz)
    data = QueryDict(answers_post(attempt))
    first, submitted_first = services.attempt_submit(attempt=attempt, data=data)
    finished_at = first.finished_at
    second, submitted_second = services.attempt_submit(
        attempt=attempt, data=QueryDict(answers_post(attempt, right=False))
    )
    assert (submitted_first, submitted_second) == (True, False)
    assert second.percent == 100 and second.finished_at == finished_at
    assert Attempt.objects.filter(user=trainee).count() == 1 and len(completions) == 1


def test_double_submit_through_the_attempt_page(client, sorting_quiz, trainee, completions):
    client.force_login(trainee)
    attempt = services.attempt_start(user=trainee, quiz=sorting_quiz)
    url = sorting_quiz.url + f"attempt/{attempt.number}/"
    data = {**answers_post(attempt), "action": "submit"}
    assert client.post(url, data).status_code == 302
    assert (
        client.post(url, {**answers_post(attempt, right=False), "action": "submit"}).status_code
        == 302
    )
    attempt.refresh_from_db()
    assert attempt.percent == 100 and len(completions) == 1


def test_wrong_answers_fail_then_retake_passes_by_highest_grade(sorting_quiz, trainee):
    attempt = services.attempt_start(user=trainee, quiz=sorting_quiz)
    attempt, _ = services.attempt_submit(
        attempt=attempt, data=QueryDict(answers_post(attempt, right=False))
    )
    assert attempt.percent == 0 and not attempt.passed(sorting_quiz.pass_mark)
    assert selectors.passed_quiz_ids(trainee, sorting_quiz.get_course()) == set()
    retake = services.attempt_start(user=trainee, quiz=sorting_quiz)
    assert retake.number == 2
    services.attempt_submit(attempt=retake, data=QueryDict(answers_post(retake)))
    assert selectors.passed_quiz_ids(trainee, sorting_quiz.get_course()) == {sorting_quiz.pk}


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (GradingMethod.HIGHEST, 90),
        (GradingMethod.LAST, 30),
        (GradingMethod.FIRST, 50),
        (GradingMethod.AVERAGE, Decimal("56.6667")),
    ],
)
def test_grading_methods(method, expected):
    attempts = [Attempt(percent=Decimal(p)) for p in (50, 90, 30)]
    assert quiz_grade(attempts, method) == expected


def test_attempts_allowed_is_enforced(course_module, trainee):
    course, module = course_module
    page = quiz(module, one_of_each(course)[:1], attempts_allowed=1)
    attempt = services.attempt_start(user=trainee, quiz=page)
    services.attempt_submit(attempt=attempt, data=QueryDict())
    with pytest.raises(services.QuizError):
        services.attempt_start(user=trainee, quiz=page)


def test_late_submission_is_graded_as_at_the_deadline(course_module, trainee):
    course, module = course_module
    page = quiz(module, one_of_each(course), time_limit=timedelta(minutes=10))
    attempt = services.attempt_start(user=trainee, quiz=page)
    assert 590 <= attempt.seconds_left() <= 600
    right, wrong = answers_post(attempt), answers_post(attempt, right=False)
    # Before the deadline: wrong answers saved.
    assert services.attempt_save(attempt=attempt, data=QueryDict(wrong))
    late = attempt.deadline + timedelta(minutes=2)
    # After it: saving is refused, and the submission's own answers are ignored.
    assert not services.attempt_save(attempt=attempt, data=QueryDict(right), now=late)
    attempt, submitted = services.attempt_submit(attempt=attempt, data=QueryDict(right), now=late)
    assert submitted and attempt.percent == 0
    assert attempt.finished_at == attempt.deadline


def test_overdue_attempt_is_closed_when_the_learner_comes_back(client, course_module, trainee):
    course, module = course_module
    page = quiz(module, one_of_each(course), time_limit=timedelta(minutes=1))
    attempt = services.attempt_start(user=trainee, quiz=page)
    services.attempt_save(attempt=attempt, data=QueryDict(answers_post(attempt)))
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    client.force_login(trainee)
    response = client.get(page.url + "attempt/1/")
    assert response.status_code == 302 and response.url.endswith("/attempt/1/review/")
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.percent == 100


def test_save_endpoint_saves_and_answers_nothing_about_correctness(client, sorting_quiz, trainee):
    client.force_login(trainee)
    attempt = services.attempt_start(user=trainee, quiz=sorting_quiz)
    response = client.post(sorting_quiz.url + "attempt/1/save/", answers_post(attempt))
    assert response.status_code == 200
    assert set(response.json()) == {"saved", "finished", "seconds_left", "saved_at"}
    assert attempt.slots.filter(response__isnull=False).count() == 6


def test_the_attempt_page_and_save_responses_never_reveal_answers(client, sorting_quiz, trainee):
    client.force_login(trainee)
    client.post(sorting_quiz.url + "start/")
    attempt = Attempt.objects.get(user=trainee)
    save = client.post(sorting_quiz.url + "attempt/1/save/", answers_post(attempt)).content.decode()
    html = client.get(sorting_quiz.url + "attempt/1/").content.decode()
    assert "Which fibre are most jeans made of?" in html
    secrets = [
        "Yes: denim is cotton twill.",  # option feedback
        "Denim is a cotton twill weave.",  # general feedback
        "recycled fibre*",  # accepted short answer
        "fraction",
        "correct",
        'Cellulosic natural" selected',  # no pre-selected matching answer before the learner's own
    ]
    for secret in secrets:
        assert secret not in html.replace("Incorrect", ""), secret
        assert secret not in save, secret


def test_anonymous_is_sent_to_sign_in_and_others_attempts_are_404(client, sorting_quiz, trainee):
    assert client.post(sorting_quiz.url + "start/").status_code == 302
    assert "/accounts/login/" in client.get(sorting_quiz.url + "attempt/1/").url
    assert client.post(sorting_quiz.url + "attempt/1/save/").status_code == 403
    attempt = services.attempt_start(user=trainee, quiz=sorting_quiz)
    other = UserFactory()  # enrolled in the same course, but it is not their attempt
    Enrolment.objects.create(user=other, course=sorting_quiz.get_course())
    client.force_login(other)
    assert client.get(sorting_quiz.url + f"attempt/{attempt.number}/").status_code == 404
    assert client.post(sorting_quiz.url + f"attempt/{attempt.number}/save/", {}).status_code == 404
    assert client.get(sorting_quiz.url + f"attempt/{attempt.number}/review/").status_code == 404


def test_review_shows_only_what_the_review_options_allow(client, sorting_quiz, trainee):
    client.force_login(trainee)
    attempt = services.attempt_start(user=trainee, quiz=sorting_quiz)
    client.post(
        sorting_quiz.url + "attempt/1/", {**answers_post(attempt, right=False), "action": "submit"}
    )
    html = client.get(sorting_quiz.url + "attempt/1/review/").content.decode()
    assert "0 %" in html and "Incorrect" in html and "Denim is a cotton twill weave." in html
    assert "The correct answer is:" not in html  # review_correct_answers is off by default
    sorting_quiz.review_correct_answers = True
    sorting_quiz.review_feedback = False
    sorting_quiz.review_score = False
    sorting_quiz.save()
    html = client.get(sorting_quiz.url + "attempt/1/review/").content.decode()
    assert "The correct answer is: Cotton" in html
    assert "Denim is a cotton twill weave." not in html and "0 %" not in html


def test_quiz_page_lists_attempts_and_grade(client, sorting_quiz, trainee):
    attempt = services.attempt_start(user=trainee, quiz=sorting_quiz)
    services.attempt_submit(attempt=attempt, data=QueryDict(answers_post(attempt)))
    client.force_login(trainee)
    html = client.get(sorting_quiz.url).content.decode()
    assert "Your grade for this quiz: 100 %" in html and "Re-attempt quiz" in html


def test_timed_attempt_page_has_a_polite_live_region_and_no_ticking_announcements(
    client, course_module, trainee
):
    course, module = course_module
    page = quiz(module, one_of_each(course), time_limit=timedelta(minutes=20))
    client.force_login(trainee)
    client.post(page.url + "start/")
    html = client.get(page.url + "attempt/1/").content.decode()
    assert 'data-seconds-left="' in html
    assert "20:00" in html or "19:59" in html
    assert html.count('aria-live="polite"') == 2  # the timer's announcements and the save status
    assert 'class="quiz-timer-clock"' in html and 'quiz-timer-clock" aria-live' not in html


def test_quiz_page_counts_random_draws(client, course_module, trainee):
    course, module = course_module
    top = category(course, "All")
    one_of_each(course, category=top)
    page = quiz(module, [], category=top, random_count=4)
    client.force_login(trainee)
    html = client.get(page.url).content.decode()
    assert "<dd>4</dd>" in html


def test_a_learner_not_enrolled_in_the_course_cannot_start_the_quiz(client, sorting_quiz):
    outsider = UserFactory(roles=["Trainee"])
    with pytest.raises(PermissionDenied):
        services.attempt_start(user=outsider, quiz=sorting_quiz)
    client.force_login(outsider)
    assert client.post(sorting_quiz.url + "start/").status_code == 403
    assert not Attempt.objects.filter(user=outsider).exists()
