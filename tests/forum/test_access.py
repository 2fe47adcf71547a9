"""Private groups: outsiders get 404 everywhere; public groups: anyone reads, members post."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from machina.apps.forum_conversation.forum_attachments.models import Attachment

from .factories import forum_url, member, post_form_data, topic_url, topic_with_posts

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret_topic(private_group, private_member):
    return topic_with_posts(
        private_group,
        private_member,
        subject="Confidential yarn prices",
        content="Nm 1/14 at 9 EUR",
    )


def test_outsider_gets_404_on_private_group_page_forum_and_topic(
    client, outsider, secret_topic, private_group
):
    client.force_login(outsider)
    for url in (
        private_group.get_absolute_url(),
        forum_url(private_group.forum),
        topic_url(secret_topic),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Confidential yarn prices" not in response.content
        assert b"Secret pilot" not in response.content


def test_anonymous_gets_404_not_a_login_redirect(client, secret_topic, private_group):
    assert client.get(forum_url(private_group.forum)).status_code == 404
    assert client.get(topic_url(secret_topic)).status_code == 404


def test_member_reads_private_topic(client, private_member, secret_topic):
    client.force_login(private_member)
    response = client.get(topic_url(secret_topic))
    assert response.status_code == 200
    assert "Nm 1/14 at 9 EUR" in response.content.decode()


def test_private_group_hidden_from_lists_and_feeds(
    client, outsider, secret_topic, private_group, public_group
):
    client.force_login(outsider)
    listing = client.get(reverse("working_groups:list")).content.decode()
    assert "Sorting technology" in listing
    assert "Secret pilot" not in listing
    feed = reverse("forum_feeds:latest_topics")
    assert "Confidential" not in client.get(feed).content.decode()
    forum_feed = reverse(
        "forum_feeds:forum_latest_topics",
        kwargs={"forum_slug": private_group.forum.slug, "forum_pk": private_group.forum.pk},
    )
    assert client.get(forum_feed).status_code == 404


def test_member_sees_private_forum_feed(client, private_member, secret_topic, private_group):
    client.force_login(private_member)
    forum_feed = reverse(
        "forum_feeds:forum_latest_topics",
        kwargs={"forum_slug": private_group.forum.slug, "forum_pk": private_group.forum.pk},
    )
    response = client.get(forum_feed)
    assert response.status_code == 200
    assert "Confidential yarn prices" in response.content.decode()


def test_attachment_of_private_post_is_404_for_outsider(
    client, outsider, private_member, secret_topic
):
    attachment = Attachment.objects.create(
        post=secret_topic.first_post,
        file=SimpleUploadedFile("prices.txt", b"9 EUR/kg"),
        comment="prices",
    )
    url = reverse("forum_conversation:attachment", kwargs={"pk": attachment.pk})
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(private_member)
    response = client.get(url)
    assert response.status_code == 200
    assert (
        b"".join(response.streaming_content if response.streaming else [response.content])
        == b"9 EUR/kg"
    )


def test_search_hides_private_posts_from_outsiders(
    client, outsider, private_member, secret_topic, public_group, coordinator
):
    topic_with_posts(
        public_group, coordinator, subject="Public yarn thread", content="yarn grading"
    )
    url = reverse("working_groups:search") + "?q=yarn"
    client.force_login(outsider)
    body = client.get(url).content.decode()
    assert "Public yarn thread" in body
    assert "Confidential yarn prices" not in body
    client.force_login(private_member)
    body = client.get(url).content.decode()
    assert "Confidential yarn prices" in body
    # machina's own search URL is served by the same permission-filtered view
    client.force_login(outsider)
    assert "Confidential" not in client.get("/forum/board/search/?q=yarn").content.decode()


def test_anyone_reads_public_group(client, public_group, coordinator):
    topic = topic_with_posts(public_group, coordinator, subject="Open thread", content="Hello all")
    assert client.get(topic_url(topic)).status_code == 200
    assert client.get(public_group.get_absolute_url()).status_code == 200


def test_non_member_cannot_post_in_public_group(client, outsider, public_group, coordinator):
    topic = topic_with_posts(public_group, coordinator)
    client.force_login(outsider)
    create = reverse(
        "forum_conversation:topic_create",
        kwargs={"forum_slug": public_group.forum.slug, "forum_pk": public_group.forum.pk},
    )
    assert client.get(create).status_code == 403
    reply = reverse(
        "forum_conversation:post_create",
        kwargs={
            "forum_slug": public_group.forum.slug,
            "forum_pk": public_group.forum.pk,
            "topic_slug": topic.slug,
            "topic_pk": topic.pk,
        },
    )
    response = client.post(reply, {"subject": "Re", "content": "spam"})
    assert response.status_code == 403
    assert topic.posts.count() == 1


def test_non_member_posting_in_private_group_gets_404(
    client, outsider, private_group, secret_topic
):
    client.force_login(outsider)
    create = reverse(
        "forum_conversation:topic_create",
        kwargs={"forum_slug": private_group.forum.slug, "forum_pk": private_group.forum.pk},
    )
    assert client.post(create, {"subject": "x", "content": "y"}).status_code == 404


def test_member_posts_a_topic(client, public_group):
    user = member(public_group)
    from forum import services

    services.user_trust(user=user)
    create = reverse(
        "forum_conversation:topic_create",
        kwargs={"forum_slug": public_group.forum.slug, "forum_pk": public_group.forum.pk},
    )
    client.force_login(user)
    response = client.post(
        create, post_form_data("Colour grading", "Shall we share a grading sheet?")
    )
    assert response.status_code == 302
    assert public_group.forum.topics.get().subject == "Colour grading"
