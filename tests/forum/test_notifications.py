import pytest
from django.core import mail, signing
from django.urls import reverse
from machina.apps.forum_conversation.models import Post

from cms.notifications.selectors import preference_frequency
from cms.notifications.services import preference_set
from forum import notifications, selectors, services, tasks
from forum.models import PendingNotification, WatchLevel
from tests.factories import UserFactory

from .factories import member, post_form_data, topic_url, topic_with_posts, watch

pytestmark = pytest.mark.django_db


def reply(topic, poster, content, capture):
    with capture(execute=True):
        return Post.objects.create(
            topic=topic, poster=poster, subject=f"Re: {topic.subject}", content=content
        )


def test_topic_watcher_gets_new_post_with_a_link_that_mutes_the_topic(
    client, public_group, coordinator, django_capture_on_commit_callbacks
):
    reader = member(public_group)
    topic = topic_with_posts(public_group, coordinator)
    watch(reader, topic)
    mail.outbox.clear()
    reply(topic, coordinator, "New NIR results are in.", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [reader.email]
    assert "New NIR results are in." in message.body
    assert "List-Unsubscribe" in message.extra_headers
    assert "because you watch this topic" in message.body
    unsubscribe = message.body.split("one click: ")[1].split()[0].replace("http://testserver", "")
    assert client.get(unsubscribe).status_code == 200
    assert client.post(unsubscribe).status_code == 200
    assert selectors.watch_levels(reader, [topic]) == {topic.pk: WatchLevel.MUTED}
    mail.outbox.clear()
    reply(topic, coordinator, "More results.", django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_tampered_unsubscribe_link_is_404(client):
    for name in ("working_groups:legacy_unsubscribe", "notifications:unsubscribe"):
        response = client.get(reverse(name, args=["forged:token"]))
        assert response.status_code == 404
        assert "This link no longer works" in response.content.decode()


def test_links_of_mails_sent_before_the_one_mechanism_still_work(client, public_group, user):
    """An unsubscribe link of the old forum scheme, from an e-mail already delivered."""
    watch(user, public_group.forum)
    old = signing.dumps(
        {"u": user.pk, "k": "forum", "o": public_group.forum.pk},
        salt=notifications.LEGACY_UNSUBSCRIBE_SALT,
    )
    url = reverse("working_groups:legacy_unsubscribe", args=[old])
    assert public_group.forum.name in client.get(url).content.decode()
    # a GET changes nothing
    assert selectors.group_watch_level(user, public_group.forum) == WatchLevel.WATCHING
    # RFC 8058: the mail client's POST carries no cookie and no CSRF token.
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert selectors.group_watch_level(user, public_group.forum) == WatchLevel.NORMAL

    every_post = signing.dumps(
        {"u": user.pk, "k": "all", "o": None}, salt=notifications.LEGACY_UNSUBSCRIBE_SALT
    )
    client.post(reverse("working_groups:legacy_unsubscribe", args=[every_post]))
    assert preference_frequency(topic=notifications.TOPIC_POSTS, user=user) == "off"


def test_no_mail_about_a_post_the_recipient_cannot_read(
    private_group, private_member, django_capture_on_commit_callbacks
):
    topic = topic_with_posts(private_group, private_member)
    former = member(private_group)
    watch(former, topic)
    watch(former, private_group.forum)
    services.membership_leave(group=private_group, user=former)
    assert selectors.watched_and_muted(former) == []
    mail.outbox.clear()
    reply(topic, private_member, "Internal prices", django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_group_watchers_and_poster_excluded(
    client, public_group, coordinator, django_capture_on_commit_callbacks
):
    follower = member(public_group)
    client.force_login(follower)
    response = client.post(
        reverse("working_groups:watch", args=["group", public_group.forum.pk]),
        {"level": "watching"},
    )
    assert response.url == public_group.get_absolute_url()
    watch(coordinator, public_group.forum)
    topic = topic_with_posts(public_group, coordinator)
    mail.outbox.clear()
    reply(topic, coordinator, "Hello followers", django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[follower.email]]


def test_daily_digest(public_group, coordinator, django_capture_on_commit_callbacks):
    reader = member(public_group)
    preference_set(topic=notifications.TOPIC_POSTS, frequency="daily", user=reader)
    topic = topic_with_posts(public_group, coordinator, subject="Digest topic")
    watch(reader, topic)
    mail.outbox.clear()
    reply(topic, coordinator, "First reply", django_capture_on_commit_callbacks)
    reply(topic, coordinator, "Second reply", django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert PendingNotification.objects.filter(user=reader).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_daily_digests.delay().get() == 1
    assert len(mail.outbox) == 1
    assert "First reply" in mail.outbox[0].body and "Second reply" in mail.outbox[0].body
    assert "2 new posts" in mail.outbox[0].subject
    assert not PendingNotification.objects.exists()


def test_mention_notifies_member(
    client, public_group, coordinator, django_capture_on_commit_callbacks
):
    mentioned = member(public_group, UserFactory(display_name="Ewa Editor"))
    outsider = UserFactory(display_name="Not Member")
    services.user_trust(user=coordinator)
    topic = topic_with_posts(public_group, coordinator)
    mail.outbox.clear()
    reply(
        topic,
        coordinator,
        "What do you think, @ewa-editor? And @not-member?",
        django_capture_on_commit_callbacks,
    )
    assert [m.to for m in mail.outbox] == [[mentioned.email]]
    assert "mentioned you" in mail.outbox[0].subject
    assert outsider.email not in str([m.to for m in mail.outbox])


def test_posting_through_machina_sends_mail(
    client, public_group, coordinator, django_capture_on_commit_callbacks
):
    topic = topic_with_posts(public_group, coordinator)
    writer = member(public_group)
    services.user_trust(user=writer)
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
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, post_form_data("Re: x", "Replying through the form"))
    assert response.status_code == 302
    # at the normal level, the topic's author hears of replies
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert topic_url(topic) in mail.outbox[0].body
    assert mail.outbox[0].subject == f"New reply to your topic “{topic.subject}”"


def test_notification_preferences_page(client, user):
    client.force_login(user)
    response = client.post(reverse("working_groups:notifications"), {"frequency": "daily"})
    assert response.status_code == 302
    assert preference_frequency(topic=notifications.TOPIC_POSTS, user=user) == "daily"
    response = client.post(reverse("working_groups:notifications"), {"frequency": "hourly"})
    assert "Select a valid choice" in response.content.decode()
