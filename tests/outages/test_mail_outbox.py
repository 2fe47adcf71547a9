"""E-mail is never lost: the outbox against a real SMTP server on loopback that refuses an
address, goes away and comes back. No user action answers 500 because mail failed."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cms.mail import email_queue
from cms.newsletters.models import Subscription
from cms.outbox import services
from cms.outbox.models import EmailStatus, OutgoingEmail
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def queue(*addresses, capture):
    with capture(execute=True):
        for address in addresses:
            email_queue(to=[address], subject=f"For {address}", text_body="Hello")


def test_one_refused_address_never_blocks_the_others(smtp_sink, django_capture_on_commit_callbacks):
    smtp_sink.handler.refused = {"gone@example.org"}
    queue(
        "first@example.org",
        "gone@example.org",
        "third@example.org",
        capture=django_capture_on_commit_callbacks,
    )
    assert smtp_sink.handler.recipients() == ["first@example.org", "third@example.org"]
    refused = OutgoingEmail.objects.get(to="gone@example.org")
    assert refused.status == EmailStatus.FAILED  # 550 is final: a dead letter, not retried
    assert "550" in refused.last_error
    assert OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() == 2
    services.outbox_send_due()
    assert len(smtp_sink.handler.messages) == 2  # nothing sent twice


def test_newsletter_batch_with_a_refused_subscriber_reaches_everyone_else(
    smtp_sink, django_capture_on_commit_callbacks
):
    from cms.newsletters.services import subscription_confirm
    from cms.newsletters.tokens import confirm_token
    from tests.cms.factories import make_newsletter_issue

    region = RegionFactory(name="Prato")
    addresses = [f"reader{n}@example.org" for n in range(5)]
    for address in addresses:
        Subscription.objects.create(email=address, region=region)
    subscription_confirm(token=confirm_token(email="x", region_ids=[]))  # no-op, valid token
    for address in addresses:
        subscription_confirm(token=confirm_token(email=address, region_ids=[region.pk]))
    smtp_sink.handler.refused = {"reader1@example.org"}
    issue = make_newsletter_issue(region=region, publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        issue.save_revision().publish()
    assert smtp_sink.handler.recipients() == [a for a in addresses if a != "reader1@example.org"]
    assert OutgoingEmail.objects.get(to="reader1@example.org").status == EmailStatus.FAILED


def test_mail_server_down_then_back_nothing_lost(smtp_sink, django_capture_on_commit_callbacks):
    smtp_sink.stop()  # connection refused on the configured port
    queue("a@example.org", "b@example.org", capture=django_capture_on_commit_callbacks)
    waiting = OutgoingEmail.objects.filter(status=EmailStatus.QUEUED)
    assert waiting.count() == 2
    assert all("Connection" in row.last_error or "refused" in row.last_error for row in waiting)
    first_retry = min(row.next_attempt_at for row in waiting)
    assert first_retry > timezone.now() + timedelta(seconds=30)  # back-off, no hammering

    assert services.outbox_send_due() == {"sent": 0, "failed": 0, "retry": 0}  # not due yet
    smtp_sink.start()
    with time_machine.travel(first_retry + timedelta(seconds=1)):
        assert services.outbox_send_due()["sent"] == 2
    assert smtp_sink.handler.recipients() == ["a@example.org", "b@example.org"]


def test_back_off_grows_to_hours_then_a_dead_letter(settings, smtp_sink):
    settings.OUTBOX_MAX_ATTEMPTS = 15
    delays = [services.retry_delay(attempt).total_seconds() for attempt in range(1, 15)]
    assert delays[:4] == [60, 120, 240, 480]
    assert max(delays) == settings.OUTBOX_RETRY_MAX_DELAY == 3600
    assert sum(delays) > 8 * 3600  # retried for hours before giving up

    smtp_sink.stop()
    email_queue(to=["patient@example.org"], subject="Later", text_body="x")
    row = OutgoingEmail.objects.get()
    now = timezone.now()
    for _attempt in range(settings.OUTBOX_MAX_ATTEMPTS):
        row.refresh_from_db()
        with time_machine.travel(max(row.next_attempt_at, now) + timedelta(seconds=1)):
            services.outbox_send_due()
            now = timezone.now()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (EmailStatus.FAILED, 15)


def test_staff_see_dead_letters_and_send_them_again(client, smtp_sink):
    smtp_sink.handler.refused = {"typo@example.org"}
    email_queue(to=["typo@example.org"], subject="Your certificate", text_body="x")
    services.outbox_send_due()
    dead = OutgoingEmail.objects.get()
    assert dead.status == EmailStatus.FAILED

    client.force_login(UserFactory(roles=["Regional editor"]))
    assert client.get(reverse("outbox_index")).status_code in (302, 403)
    assert client.post(reverse("outbox_retry"), {"all": "failed"}).status_code in (302, 403)
    dead.refresh_from_db()
    assert dead.status == EmailStatus.FAILED

    client.force_login(UserFactory(is_superuser=True, roles=["Administrator"]))
    page = client.get(reverse("outbox_index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "typo@example.org" in html and "550" in html
    smtp_sink.handler.refused = set()  # the address was fixed at the provider
    client.post(reverse("outbox_retry"), {"email": [dead.pk]})
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == (EmailStatus.QUEUED, 0)
    services.outbox_send_due()
    assert smtp_sink.handler.recipients() == ["typo@example.org"]


def test_a_rolled_back_action_queues_nothing(smtp_sink):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        email_queue(to=["never@example.org"], subject="Never", text_body="x")
        raise RuntimeError
    assert not OutgoingEmail.objects.exists()


@pytest.mark.parametrize("down", [False, True])
def test_sign_up_password_reset_newsletter_and_forum_reply_succeed_with_smtp_down(
    client, smtp_sink, down, django_capture_on_commit_callbacks
):
    from forum import services as forum_services
    from tests.forum.factories import WorkingGroupFactory, member, post_form_data, topic_with_posts

    if down:
        smtp_sink.stop()
    with django_capture_on_commit_callbacks(execute=True):
        signup = client.post(
            "/accounts/signup/",
            {
                "email": "new@example.org",
                "display_name": "Nina New",
                "password1": "recycled-fibre-2026",
                "password2": "recycled-fibre-2026",
            },
        )
    assert signup.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        reset = client.post("/accounts/password/reset/", {"email": UserFactory().email})
    assert reset.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        subscribe = client.post(
            reverse("newsletters:subscribe"),
            {"email": "reader@example.org", "regions": [RegionFactory().slug]},
        )
    assert subscribe.status_code == 302

    group = WorkingGroupFactory()
    coordinator = member(group)
    topic = topic_with_posts(group, coordinator)
    forum_services.watch_level_set(user=coordinator, target=topic, level="watching")
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
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(url, post_form_data("Re: x", "A reply while mail is down"))
    assert reply.status_code == 302

    rows = OutgoingEmail.objects.order_by("pk")
    assert rows.count() == 4  # verification, reset link, confirmation, new post
    expected = EmailStatus.QUEUED if down else EmailStatus.SENT
    assert {row.status for row in rows} == {expected}
    if down:
        smtp_sink.start()
        with time_machine.travel(timezone.now() + timedelta(minutes=5)):
            services.outbox_send_due()
        assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}
    assert len(smtp_sink.handler.messages) == 4
