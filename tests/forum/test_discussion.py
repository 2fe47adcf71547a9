"""machina's discussion features working inside a group: polls, topic subscriptions, unread
markers, coordinators editing and deleting posts."""

import pytest
from django.urls import reverse
from machina.apps.forum_conversation.forum_polls.models import TopicPoll, TopicPollVote

from forum import selectors, services

from .factories import forum_url, member, post_form_data, topic_url, topic_with_posts

pytestmark = pytest.mark.django_db


def test_member_creates_a_poll_and_members_vote(client, public_group):
    author = member(public_group)
    services.user_trust(user=author)
    client.force_login(author)
    data = post_form_data(
        "Next meeting",
        "Where do we meet?",
        poll_question="Venue?",
        poll_max_options=1,
        poll_duration=0,
        **{"poll-TOTAL_FORMS": 2, "poll-0-text": "Prato", "poll-1-text": "Łódź"},
    )
    create = reverse(
        "forum_conversation:topic_create",
        kwargs={"forum_slug": public_group.forum.slug, "forum_pk": public_group.forum.pk},
    )
    assert client.post(create, data).status_code == 302
    poll = TopicPoll.objects.get(question="Venue?")
    voter = member(public_group)
    client.force_login(voter)
    option = poll.options.get(text="Łódź")
    response = client.post(
        reverse("forum_conversation:topic_poll_vote", args=[poll.pk]), {"options": [option.pk]}
    )
    assert response.status_code == 302
    assert TopicPollVote.objects.filter(poll_option=option, voter=voter).exists()
    assert "Venue?" in client.get(topic_url(poll.topic)).content.decode()


def test_machina_subscriptions_are_watch_levels(client, public_group, coordinator):
    topic = topic_with_posts(public_group, coordinator)
    reader = member(public_group)
    client.force_login(reader)
    response = client.post(reverse("forum_member:topic_subscribe", args=[topic.pk]))
    assert response.status_code == 302
    assert selectors.watch_levels(reader, [topic]) == {topic.pk: "watching"}
    assert not topic.subscribers.exists()  # machina's own table stays empty
    listing = client.get(reverse("forum_member:user_subscriptions"), follow=True)
    assert listing.redirect_chain[-1][0] == reverse("working_groups:notifications")
    assert topic.subject in listing.content.decode()
    client.post(reverse("forum_member:topic_unsubscribe", args=[topic.pk]))
    assert selectors.watch_levels(reader, [topic]) == {topic.pk: "normal"}


def test_unread_marker_until_the_topic_is_read(client, public_group, coordinator):
    reader = member(public_group)
    client.force_login(reader)
    client.get(reverse("forum_tracking:mark_all_forums_read"))
    client.post(reverse("forum_tracking:mark_all_forums_read"))
    topic_with_posts(public_group, coordinator, subject="Fresh news")
    page = client.get(forum_url(public_group.forum)).content.decode()
    assert "unread" in page
    topic = public_group.forum.topics.get(subject="Fresh news")
    client.get(topic_url(topic))
    unread = client.get(reverse("forum_tracking:unread_topics")).content.decode()
    assert "Fresh news" not in unread


def test_coordinator_edits_and_deletes_posts_plain_member_cannot(client, public_group, coordinator):
    author = member(public_group)
    topic = topic_with_posts(public_group, author, posts=2)
    reply = topic.posts.order_by("created").last()
    kwargs = {
        "forum_slug": topic.forum.slug,
        "forum_pk": topic.forum.pk,
        "topic_slug": topic.slug,
        "topic_pk": topic.pk,
        "pk": reply.pk,
    }
    delete = reverse("forum_conversation:post_delete", kwargs=kwargs)
    other = member(public_group)
    client.force_login(other)
    assert client.post(delete).status_code == 403
    client.force_login(coordinator)
    update = reverse("forum_conversation:post_update", kwargs=kwargs)
    response = client.post(
        update, post_form_data("Re: edited", "Edited by the coordinator", update_reason="tone")
    )
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.content.raw == "Edited by the coordinator"
    assert client.post(delete).status_code == 302
    assert not topic.posts.filter(pk=reply.pk).exists()
