"""The attempt page keeps its questions with the answers saved so far, and the course outline
with the learner's progress, until the next write (attempt.html, quiz_base.html,
cms/fragments.py), with the page cache on as in production: a learner back at their attempt
reads none of its questions; a save shows at once; the clock is never kept."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.quizzes import services
from tests.quizzes.conftest import answers_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept_pages")]


def test_a_kept_attempt_reads_no_question_and_a_save_shows_at_once(client, sorting_quiz, trainee):
    client.force_login(trainee)
    attempt = services.attempt_start(user=trainee, quiz=sorting_quiz)
    url = sorting_quiz.url + "attempt/1/"
    first = client.get(url).content.decode()
    assert "Which fibre are most jeans made of?" in first and " checked" not in first
    with CaptureQueriesContext(connection) as kept:
        again = client.get(url).content.decode()
    statements = " ".join(query["sql"] for query in kept.captured_queries)
    assert "quizzes_attemptslot" not in statements and "quizzes_question" not in statements
    assert again.count('class="quiz-question card') == first.count('class="quiz-question card')

    response = client.post(url + "save/", answers_post(attempt))
    assert response.status_code == 200
    saved = client.get(url).content.decode()
    assert " checked" in saved and 'value="Recycled fibres"' in saved


def test_the_clock_is_never_kept(client, sorting_quiz, trainee, monkeypatch):
    sorting_quiz.time_limit = timedelta(minutes=20)
    sorting_quiz.save()
    client.force_login(trainee)
    services.attempt_start(user=trainee, quiz=sorting_quiz)
    url = sorting_quiz.url + "attempt/1/"

    def seconds_left(html):
        return int(re.search(r'data-seconds-left="(\d+)"', html).group(1))

    first = seconds_left(client.get(url).content.decode())
    later = timezone.now() + timedelta(minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert seconds_left(client.get(url).content.decode()) <= first - 299
