"""The scale-out test's way of queueing from the test process (``queue_app``) really sends
tasks to its own Redis, even after tasks ran inline earlier in the same process, as they do
in every test before it in the suite."""

import json

from cms.celery import app as default_app
from cms.tasks import send_email


def test_tasks_reach_the_test_broker_after_inline_ones(
    db, mailoutbox, request, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_email.delay(to=["inline@example.org"], subject="Sent inline", text_body="x")
    assert [message.subject for message in mailoutbox] == ["Sent inline"]

    app, queue = request.getfixturevalue("queue_app")
    private_redis = request.getfixturevalue("private_redis")
    send_email.delay(to=["queued@example.org"], subject="Queued", text_body="x")

    queued = [json.loads(raw) for raw in private_redis.client().lrange(queue, 0, -1)]
    assert [message["headers"]["task"] for message in queued] == ["cms.tasks.send_email"]
    assert [message.subject for message in mailoutbox] == ["Sent inline"]  # not run here
    assert app is default_app and not app.conf.task_always_eager


def test_inline_tasks_again_after_the_queue_app(db, mailoutbox, django_capture_on_commit_callbacks):
    """The fixture puts the site's app back as the other tests expect it: tasks run inline."""
    assert default_app.conf.task_always_eager
    assert default_app.conf.broker_url == "memory://"
    with django_capture_on_commit_callbacks(execute=True):
        send_email.delay(to=["inline@example.org"], subject="Inline again", text_body="x")
    assert [message.subject for message in mailoutbox] == ["Inline again"]
