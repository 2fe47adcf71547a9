import time

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from cms.celery import app
from cms.mail import email_queue
from cms.tasks import send_email


@pytest.fixture
def redis_celery():
    """A Celery app configured as production configures it when REDIS_URL is set (broker on
    Redis, tasks really queued), made current so `send_email.delay` goes through it."""
    url = settings.REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"No Redis answers at {url}; the real-worker test needs one.")
    redis_app = Celery("tvc-redis-test", task_cls="cms.outbox.jobs:DurableTask")
    redis_app.config_from_object("django.conf:settings", namespace="CELERY")
    redis_app.conf.update(broker_url=url, task_always_eager=False)
    redis_app.set_current()
    try:
        yield redis_app
    finally:
        app.set_current()
        redis_app.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_an_email_through_redis(redis_celery, mailoutbox):
    # Committed rows, so the worker's thread sees them; serialized_rollback restores the
    # migrations' content afterwards (without it the flush's post_migrate recreates the role
    # groups under new ids and the next serialized test cannot load its copy).
    """The e-mail is written to the outbox at once (autocommit here); the kick after the commit
    goes through Redis to a real worker, which sends it."""
    from django.core import mail

    with start_worker(redis_celery, perform_ping_check=False, shutdown_timeout=10):
        email_queue(to=["a@example.org"], subject="Through Redis", text_body="Hello")
        deadline = time.monotonic() + 20
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.05)
    # mail.outbox, not the fixture's list: the database set-up replaces the list.
    assert [message.subject for message in mail.outbox] == ["Through Redis"]


def test_jobs_queued_before_the_outbox_still_send(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    """A ``cms.tasks.send_email`` job still in the broker when the outbox was deployed."""
    with django_capture_on_commit_callbacks(execute=True):
        send_email.delay(to=["old@example.org"], subject="From the old queue", text_body="x")
    assert [message.to for message in mailoutbox] == [["old@example.org"]]


def test_without_redis_tasks_run_inline(db, mailoutbox, django_capture_on_commit_callbacks):
    assert app.conf.task_always_eager
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(to=["b@example.org"], subject="Inline", text_body="Hi", html_body="<p>Hi</p>")
    assert mailoutbox[0].subject == "Inline"
    assert mailoutbox[0].alternatives[0][1] == "text/html"


def test_queued_email_is_dropped_when_the_transaction_rolls_back(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    # on_commit callbacks of a rolled-back block never run; capture shows none were queued.
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                email_queue(to=["c@example.org"], subject="Never", text_body="x")
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mailoutbox == []
