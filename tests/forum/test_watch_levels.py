"""Discourse's notification levels per working group and per topic, on cms.notifications:
watching = every new post e-mailed, normal = replies in topics you started or posted in, quotes
of your posts and mentions, muted = nothing and hidden from the new-topic lists. The topic's own
level, normal included, wins over its group's; a topic without one follows its group."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from machina.apps.forum_conversation.models import Post

from cms.notifications.models import NotificationPreference
from forum import selectors
from forum.machina_overrides import quoted_text
from forum.models import FOLLOW_GROUP, WatchLevel
from tests.factories import UserFactory

from .factories import forum_url, member, topic_url, topic_with_posts, watch

pytestmark = pytest.mark.django_db


@pytest.fixture
def posting(django_capture_on_commit_callbacks):
    def post(topic, poster, content):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            Post.objects.create(topic=topic, poster=poster, subject="", content=content)
        return sorted(address for message in mail.outbox for address in message.to)

    return post


def test_levels_decide_who_is_e_mailed(public_group, coordinator, posting):
    author = member(public_group)
    watcher, group_watcher, normal, muted = (member(public_group) for _ in range(4))
    topic = topic_with_posts(public_group, author)
    watch(watcher, topic)
    watch(group_watcher, public_group.forum)
    watch(muted, topic, "muted")
    # normal: nothing about other people's topics; the author hears of replies
    assert posting(topic, normal, "A reply") == sorted(
        [author.email, watcher.email, group_watcher.email]
    )
    # muted: not even a mention
    assert muted.email not in posting(topic, normal, f"@{muted.email.split('@')[0]} look")
    # the author muted their own topic: no reply e-mails
    watch(author, topic, "muted")
    assert author.email not in posting(topic, normal, "Another reply")


def test_the_topics_level_wins_over_the_groups(public_group, coordinator, posting):
    reader = member(public_group)
    loud = topic_with_posts(public_group, coordinator, subject="Loud")
    quiet = topic_with_posts(public_group, coordinator, subject="Quiet")
    watch(reader, public_group.forum, "muted")
    watch(reader, loud)
    assert reader.email in posting(loud, coordinator, "Still told")
    assert reader.email not in posting(quiet, coordinator, "Not told")
    watch(reader, public_group.forum)
    watch(reader, quiet, "muted")
    assert reader.email not in posting(quiet, coordinator, "Muted topic in a watched group")
    assert selectors.watch_levels(reader, [loud, quiet]) == {
        loud.pk: WatchLevel.WATCHING,
        quiet.pk: WatchLevel.MUTED,
    }


def test_one_preference_per_target_and_following_the_group_removes_it(public_group, coordinator):
    reader = member(public_group)
    topic = topic_with_posts(public_group, coordinator)
    watch(reader, topic)
    watch(reader, topic, "muted")
    rows = NotificationPreference.objects.filter(user=reader, topic="forum.topic")
    assert list(rows.values_list("frequency", flat=True)) == ["off"]
    # A topic's normal is a level of its own (it overrides the group's)...
    watch(reader, topic, "normal")
    assert list(rows.values_list("frequency", flat=True)) == ["relevant"]
    # ... following the group is none.
    watch(reader, topic, FOLLOW_GROUP)
    assert not rows.exists()
    # A group's normal is no preference; a group cannot "follow".
    group_rows = NotificationPreference.objects.filter(user=reader, topic="forum.group")
    watch(reader, public_group.forum, "muted")
    watch(reader, public_group.forum, "normal")
    assert not group_rows.exists()
    with pytest.raises(ValidationError):
        watch(reader, public_group.forum, FOLLOW_GROUP)


def test_a_topics_normal_overrides_a_watched_or_muted_group(public_group, coordinator, posting):
    reader, other = member(public_group), member(public_group)
    topic = topic_with_posts(public_group, coordinator, subject="Dyeing trial")
    elsewhere = topic_with_posts(public_group, coordinator, subject="Elsewhere")
    Post.objects.create(topic=topic, poster=reader, subject="", content="My results")
    watch(reader, public_group.forum)
    watch(reader, topic, "normal")
    # Watching the group, normal on this topic: not every post of it...
    assert reader.email in posting(elsewhere, other, "Every post of the group")
    # ... but a reply where the reader took part still comes (normal's own reason).
    assert reader.email in posting(topic, other, "A reply in the dyeing trial")
    Post.objects.filter(topic=topic, poster=reader).delete()
    assert reader.email not in posting(topic, other, "Now the reader never posted here")
    # Muting the group: this topic keeps its normal level and stays in the lists.
    watch(reader, public_group.forum, "muted")
    Post.objects.create(topic=topic, poster=reader, subject="", content="Back again")
    assert reader.email in posting(topic, other, "A reply after the group was muted")
    assert reader.email not in posting(elsewhere, other, "Muted group")
    assert selectors.latest_topics(reader) == [topic]
    assert selectors.watch_levels(reader, [topic, elsewhere]) == {
        topic.pk: WatchLevel.NORMAL,
        elsewhere.pk: WatchLevel.MUTED,
    }
    # Following the group again: muted like the rest of it.
    watch(reader, topic, FOLLOW_GROUP)
    assert reader.email not in posting(topic, other, "Followed the muted group")


def test_normal_is_replies_where_you_took_part_quotes_and_mentions(
    public_group, coordinator, posting
):
    starter, replier, quoted, bystander, other = (member(public_group) for _ in range(5))
    topic = topic_with_posts(public_group, starter, subject="Fibre blends")
    Post.objects.create(topic=topic, poster=replier, subject="", content="I took part")
    quoted_post = Post.objects.create(topic=topic, poster=quoted, subject="", content="Quote me")
    # A plain reply: the starter and everyone who posted in the topic, nobody else.
    told = posting(topic, other, "A plain reply")
    assert told == sorted([starter.email, replier.email, quoted.email])
    to_starter = next(message for message in mail.outbox if message.to == [starter.email])
    assert to_starter.subject == "New reply to your topic “Fibre blends”"
    # A reply quoting a post (the reply box's "Quote"): its author hears it as a quote.
    posting(topic, other, quoted_text(quoted_post) + "Agreed.")
    to_quoted = next(message for message in mail.outbox if message.to == [quoted.email])
    assert "quoted you" in to_quoted.subject
    assert "someone quoted one of your posts" in to_quoted.body
    to_replier = next(message for message in mail.outbox if message.to == [replier.email])
    assert to_replier.subject == "New reply in “Fibre blends”"
    assert "you started or posted in this topic" in to_replier.body
    # Someone who never posted there hears of it only when mentioned.
    handle = bystander.email.split("@")[0]
    assert bystander.email in posting(topic, other, f"@{handle} what do you think?")
    assert bystander.email not in posting(topic, other, "No mention")


def test_muted_topics_are_hidden_from_new_lists(client, public_group, coordinator):
    reader = member(public_group)
    muted = topic_with_posts(public_group, coordinator, subject="Muted thread")
    kept = topic_with_posts(public_group, coordinator, subject="Kept thread")
    watch(reader, muted, "muted")
    assert selectors.latest_topics(reader) == [kept]
    client.force_login(reader)
    unread = client.get(reverse("forum_tracking:unread_topics")).content.decode()
    assert "Kept thread" in unread and "Muted thread" not in unread
    # in the group's own topic list it stays, marked muted and never "new"
    listing = client.get(forum_url(public_group.forum)).content.decode()
    row = listing[listing.index("Muted thread") - 400 : listing.index("Muted thread")]
    assert "Muted" in row and "badge-new" not in row
    # a muted group hides its topics, except one the reader watches
    watch(reader, muted, FOLLOW_GROUP)
    watch(reader, public_group.forum, "muted")
    watch(reader, kept)
    assert selectors.latest_topics(reader) == [kept]


def test_topic_page_control_sets_the_level(client, public_group, coordinator):
    reader = member(public_group)
    topic = topic_with_posts(public_group, coordinator)
    watch(reader, public_group.forum)
    client.force_login(reader)
    html = client.get(topic_url(topic)).content.decode()
    assert html.count('name="level"') == 1
    # Four choices: follow the group (its level named, chosen while the topic has none), or
    # a level of the topic's own; the help text says what normal sends and that it overrides.
    assert '<option value="group" selected>As the group: Watching</option>' in html
    assert '<option value="normal">Normal: replies where you took part' in html
    assert "overrides the group&#x27;s level, for this topic only" in html
    assert "quotes one of your posts or mentions your @name" in html
    url = reverse("working_groups:watch", args=["topic", topic.pk])
    response = client.post(url, {"level": "muted"}, follow=True)
    assert "This topic is muted" in response.content.decode()
    assert selectors.watch_levels(reader, [topic]) == {topic.pk: WatchLevel.MUTED}
    response = client.post(url, {"level": "normal"}, follow=True)
    html = response.content.decode()
    assert "This topic is at normal, whatever the group" in html
    assert '<option value="normal" selected>' in html
    assert selectors.watch_levels(reader, [topic]) == {topic.pk: WatchLevel.NORMAL}
    settings_page = client.get(reverse("working_groups:notifications")).content.decode()
    assert topic.subject in settings_page and public_group.name in settings_page
    row = settings_page[settings_page.index(topic.subject) :]
    assert row[: row.index("</tr>")].rstrip().endswith("<td>Normal</td>")
    response = client.post(url, {"level": "group"}, follow=True)
    assert "follows the group&#x27;s notification level again" in response.content.decode()
    assert selectors.watch_levels(reader, [topic]) == {topic.pk: WatchLevel.WATCHING}


def test_group_page_control(client, public_group, coordinator):
    reader = UserFactory()  # any signed-in reader of a public group may watch it
    client.force_login(reader)
    page = client.get(public_group.get_absolute_url()).content.decode()
    assert 'id="watch-level-group"' in page
    client.post(
        reverse("working_groups:watch", args=["group", public_group.forum.pk]),
        {"level": "watching"},
    )
    assert selectors.group_watch_level(reader, public_group.forum) == WatchLevel.WATCHING


def test_forbidden_and_bad_watch_requests(client, private_group, public_group, coordinator):
    secret = topic_with_posts(private_group, coordinator, subject="Secret")
    outsider = UserFactory()
    urls = [
        reverse("working_groups:watch", args=["topic", secret.pk]),
        reverse("working_groups:watch", args=["group", private_group.forum.pk]),
    ]
    for url in urls:
        assert "/accounts/login/" in client.post(url, {"level": "watching"}).url
    client.force_login(outsider)
    for url in urls:
        assert client.post(url, {"level": "watching"}).status_code == 404
        assert client.get(url).status_code == 405
    assert client.post(reverse("working_groups:watch", args=["poll", 1])).status_code == 404
    # "Follow the group" is a topic's choice only.
    client.post(
        reverse("working_groups:watch", args=["group", public_group.forum.pk]), {"level": "group"}
    )
    assert not NotificationPreference.objects.filter(user=outsider).exists()
    topic = topic_with_posts(public_group, coordinator)
    url = reverse("working_groups:watch", args=["topic", topic.pk])
    for bad in ({"level": "loud"}, {}, {"level": "watching\x00"}, {"level": ["a", "b"]}):
        response = client.post(url, bad, follow=True)
        assert response.status_code == 200
        assert "Choose a notification level." in response.content.decode()
    assert not NotificationPreference.objects.filter(user=outsider).exists()
