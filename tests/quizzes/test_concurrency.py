"""Two submissions of one attempt at the same moment (double click, two tabs) grade it once.
Needs a database with row locks (PostgreSQL); SQLite serialises writers anyway."""

import threading

import pytest
from django.db import connection, connections

from courses.quizzes import services
from courses.quizzes.models import Attempt
from courses.signals import activity_completed
from tests.factories import UserFactory
from tests.quizzes.conftest import answers_post
from tests.quizzes.factories import course_tree, one_of_each, quiz
from tests.quizzes.test_attempts import QueryDict


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_submits_grade_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    course, module = course_tree()
    page = quiz(module, one_of_each(course))
    learner = UserFactory()
    attempt = services.attempt_start(user=learner, quiz=page)
    data = QueryDict(answers_post(attempt))
    received, results = [], []
    activity_completed.connect(
        lambda sender, **kwargs: received.append(kwargs), weak=False, dispatch_uid="concurrency"
    )
    barrier = threading.Barrier(2)

    def submit():
        try:
            barrier.wait()
            results.append(services.attempt_submit(attempt=attempt, data=data)[1])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        activity_completed.disconnect(dispatch_uid="concurrency")
    assert sorted(results) == [False, True]
    assert len(received) == 1
    assert Attempt.objects.get(pk=attempt.pk).percent == 100
