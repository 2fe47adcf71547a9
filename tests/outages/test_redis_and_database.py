"""Redis gone (a redis-server of our own, stopped mid-test) and the database gone: pages keep
serving, sessions stay valid, jobs wait in the database and are published when Redis is back,
/healthz says what is wrong, a database outage is a friendly 503 page."""

from unittest import mock

import pytest
from celery import Celery
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from cms.celery import app as project_app
from cms.outbox.models import PendingJob
from cms.outbox.tasks import republish_jobs
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def redis_settings(settings, url):
    """What cms/settings/base.py configures when REDIS_URL is set."""
    options = django_settings.REDIS_CACHE_OPTIONS
    settings.CACHES = {
        name: {"BACKEND": "cms.cache.FailSoftRedisCache", "LOCATION": url, "OPTIONS": options}
        | ({"KEY_PREFIX": name} if name != "default" else {})
        for name in ("default", "machina_attachments")
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


@pytest.fixture
def broker_on(private_redis, settings):
    """A Celery app configured as production configures it (jobs really go to the broker)."""
    redis_app = Celery("tvc-outage-test", task_cls="cms.outbox.jobs:DurableTask")
    redis_app.config_from_object("django.conf:settings", namespace="CELERY")
    redis_app.conf.update(broker_url=private_redis.url, task_always_eager=False)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = private_redis.url
    redis_app.set_current()
    try:
        yield redis_app
    finally:
        project_app.set_current()
        redis_app.close()


def test_redis_gone_pages_and_sessions_keep_working(client, private_redis, settings):
    redis_settings(settings, private_redis.url)
    member = UserFactory()
    client.force_login(member)  # the session is in the database and in Redis
    assert client.get(reverse("working_groups:notifications")).status_code == 200
    assert private_redis.client().dbsize() > 0

    private_redis.stop()
    for path in ("/", "/exchange/", reverse("newsletters:subscribe"), "/search/?q=wool"):
        assert client.get(path).status_code == 200, path
    # Still signed in: cached_db reads the session from the database when Redis is away.
    assert client.get(reverse("working_groups:notifications")).status_code == 200

    anonymous = Client()
    signed_in = anonymous.post(
        "/accounts/login/", {"login": UserFactory().email, "password": "textile-demo-2026"}
    )
    assert signed_in.status_code in (200, 302)  # the form answers; allauth's limits fail open
    assert anonymous.post("/accounts/password/reset/", {"email": member.email}).status_code == 302
    subscribed = anonymous.post(
        reverse("newsletters:subscribe"),
        {"email": "reader@example.org", "regions": [RegionFactory().slug]},
    )
    assert subscribed.status_code == 302

    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["cache"]["status"] == "unavailable"

    private_redis.start()  # back: the cache works again, without a restart
    caches["default"].set("back", 1)
    assert caches["default"].get("back") == 1
    assert client.get("/healthz").json()["cache"]["status"] == "ok"


def test_redis_gone_jobs_wait_in_the_database_and_go_out_when_it_is_back(
    client, private_redis, broker_on, django_capture_on_commit_callbacks
):
    from forum import services as forum_services
    from tests.forum.factories import WorkingGroupFactory, member, post_form_data, topic_with_posts

    group = WorkingGroupFactory()
    coordinator = member(group)
    topic = topic_with_posts(group, coordinator)
    writer = member(group)
    forum_services.user_trust(user=writer)
    client.force_login(writer)
    url = reverse(
        "forum_conversation:post_create",
        kwargs={
            "forum_slug": topic.forum.slug,
            "forum_pk": topic.forum.pk,
            "topic_slug": topic.slug,
            "topic_pk": topic.pk,
        },
    )

    private_redis.stop()
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(url, post_form_data("Re: x", "Posted while Redis is down"))
    assert reply.status_code == 302  # the post is saved and the user sees success, no 500
    waiting = PendingJob.objects.get(task="forum.tasks.notify_new_post")
    assert "Connection" in waiting.last_error or "connect" in waiting.last_error.lower()
    assert client.get("/healthz").json()["broker"]["status"] == "unavailable"

    assert republish_jobs.run() == 0  # still down: the job stays
    assert PendingJob.objects.count() == 1

    private_redis.start()
    assert republish_jobs.run() == 1
    assert not PendingJob.objects.exists()
    assert private_redis.client().llen("celery") == 1  # on the broker's queue for a worker


def test_healthz_reports_each_dependency(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["cache"]["status"] == "ok"
    assert body["broker"]["status"] == "inline"  # no Redis configured: jobs run in-process
    assert body["outbox"] == {
        "status": "ok",
        "waiting": 0,
        "oldest_due_seconds": 0,
        "failed": 0,
        "jobs_waiting": 0,
    }


def test_healthz_503_only_when_the_database_does_not_answer(client):
    with mock.patch("cms.health.connection.cursor", side_effect=OperationalError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": {"status": "unavailable"}}


def test_healthz_says_when_mail_is_late(client, settings):
    from datetime import timedelta

    from django.utils import timezone

    from cms.outbox.models import OutgoingEmail

    OutgoingEmail.objects.create(
        to="a@example.org",
        subject="x",
        text_body="x",
        created_at=timezone.now() - timedelta(hours=1),
        next_attempt_at=timezone.now() - timedelta(minutes=1),
    )
    body = client.get("/healthz").json()
    assert (body["status"], body["outbox"]["status"]) == ("degraded", "late")


def test_database_gone_is_a_friendly_503_page(db):
    visitor = Client(raise_request_exception=False)
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("could not connect to server"),
    ):
        response = visitor.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "briefly unavailable" in html and 'lang="pl"' in html

    assert visitor.get("/").status_code == 200  # the next request works again


def test_other_errors_are_still_500(db):
    visitor = Client(raise_request_exception=False)
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=ZeroDivisionError
    ):
        response = visitor.get("/")
    assert response.status_code == 500
