"""The topic page after Discourse's: posts in the order written (opening post first), a reply
box under the posts with quoting, replies without "Re:" subjects, likes and accepted answers.
Every forbidden path is tried."""

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from machina.apps.forum_conversation.models import Post, Topic

from forum import services
from forum.models import PostLike, TopicQuestion
from tests.factories import UserFactory

from .factories import member, post_form_data, topic_url, topic_with_posts

pytestmark = pytest.mark.django_db


def post_ids_in_page(html):
    return [int(pk) for pk in re.findall(r'<article id="(\d+)" class="card post', html)]


def reply_url(topic):
    return reverse(
        "forum_conversation:post_create",
        kwargs={
            "forum_slug": topic.forum.slug,
            "forum_pk": topic.forum.pk,
            "topic_slug": topic.slug,
            "topic_pk": topic.pk,
        },
    )


def reply(topic, poster, content):
    return Post.objects.create(topic=topic, poster=poster, subject="", content=content)


@pytest.fixture
def question(public_group, coordinator):
    """A question by a member with two replies by other members."""
    asker = member(public_group)
    topic = topic_with_posts(public_group, asker, subject="Which NIR threshold?")
    first = reply(topic, member(public_group), "95 % cotton.")
    second = reply(topic, member(public_group), "We use 90 %.")
    TopicQuestion.objects.create(topic=topic)
    return topic, asker, first, second


# 1. Order ---------------------------------------------------------------------------------------


def test_posts_in_written_order_with_the_opening_post_first(client, public_group, coordinator):
    topic = topic_with_posts(public_group, coordinator, posts=4)
    ids = list(topic.posts.order_by("pk").values_list("pk", flat=True))
    # Two replies written in the same second keep the order they were written in.
    same_time = timezone.now() - timedelta(hours=1)
    Post.objects.filter(pk__in=ids[2:]).update(created=same_time)
    Post.objects.filter(pk=ids[1]).update(created=same_time - timedelta(minutes=5))
    Post.objects.filter(pk=ids[0]).update(created=same_time - timedelta(hours=2))
    html = client.get(topic_url(topic)).content.decode()
    assert post_ids_in_page(html) == ids


def test_repair_migration_puts_the_opening_post_first(client, public_group, coordinator):
    # What the old demo loader left: the opening post dated after its replies, and machina's
    # tracker pointing at the first reply.
    topic = topic_with_posts(public_group, coordinator, posts=3)
    opening, *replies = topic.posts.order_by("pk")
    start = timezone.now() - timedelta(days=3)
    Topic.objects.filter(pk=topic.pk).update(created=start, first_post=replies[0])
    for index, post in enumerate(replies, start=1):
        Post.objects.filter(pk=post.pk).update(created=start + timedelta(hours=5 * index))
    migration = importlib.import_module("forum.migrations.0007_opening_posts_first")
    migration.repair(django_apps, None)
    topic.refresh_from_db()
    opening.refresh_from_db()
    assert topic.first_post_id == opening.pk
    assert opening.created <= start
    assert topic.last_post_id == replies[-1].pk
    html = client.get(topic_url(topic)).content.decode()
    assert post_ids_in_page(html) == [opening.pk, *(post.pk for post in replies)]


def test_feed_item_is_the_opening_post(client, public_group, coordinator):
    topic = topic_with_posts(public_group, coordinator, posts=1, content="Opening words")
    reply(topic, member(public_group), "Latest reply words")
    feed = client.get(reverse("forum_feeds:latest_topics")).content.decode()
    assert "Opening words" in feed
    assert "Latest reply words" not in feed


def test_search_results_show_the_topic_title_not_re(client, public_group, coordinator):
    topic = topic_with_posts(public_group, coordinator, subject="Carding wool", posts=2)
    assert topic.posts.filter(subject="Re: Carding wool").exists()
    html = client.get(reverse("working_groups:search"), {"q": "reply"}).content.decode()
    assert "Carding wool" in html
    assert "Re: Carding wool" not in html


# 2. Reply box, quoting, no "Re:" -------------------------------------------------------------


def test_reply_box_under_the_posts_posts_a_reply_without_subject(client, public_group, coordinator):
    topic = topic_with_posts(public_group, coordinator, subject="Shared colour grading")
    writer = member(public_group)
    services.user_trust(user=writer)
    client.force_login(writer)
    html = client.get(topic_url(topic)).content.decode()
    box = html.index('id="reply"')
    assert html.rindex('<article id="') < box  # under the last post
    assert f'action="{reply_url(topic)}"' in html[box:]
    assert 'name="subject"' not in html
    response = client.post(reply_url(topic), post_form_data("", "Yes, let us share one."))
    assert response.status_code == 302
    created = topic.posts.get(content="Yes, let us share one.")
    assert created.subject == ""
    assert created.poster == writer
    page = client.get(response.url).content.decode()
    assert "Yes, let us share one." in page
    assert "Re:" not in page


def test_a_forum_permission_changed_shows_on_the_next_page_to_that_member_only(
    client, public_group, coordinator
):
    """A member's permissions on every forum are kept (forum/middleware.py) until a
    permission, group or forum is written: taking replying away from one member hides their
    reply box at once, and nobody else's."""
    from machina.apps.forum_permission.models import ForumPermission, UserForumPermission

    topic = topic_with_posts(public_group, coordinator, subject="Shared colour grading")
    writer, other = member(public_group), member(public_group)
    client.force_login(writer)
    other_client = type(client)()
    other_client.force_login(other)
    for _ in range(2):  # the second visit answers from the kept permissions
        assert 'id="reply"' in client.get(topic_url(topic)).content.decode()
        assert 'id="reply"' in other_client.get(topic_url(topic)).content.decode()
    denied = UserForumPermission.objects.create(
        forum=public_group.forum,
        user=writer,
        permission=ForumPermission.objects.get(codename="can_reply_to_topics"),
        has_perm=False,
    )
    assert 'id="reply"' not in client.get(topic_url(topic)).content.decode()
    assert 'id="reply"' in other_client.get(topic_url(topic)).content.decode()
    assert client.post(reply_url(topic), post_form_data("", "Still here?")).status_code == 403
    denied.delete()
    assert 'id="reply"' in client.get(topic_url(topic)).content.decode()


def test_reply_page_proposes_no_subject_and_old_re_subjects_are_hidden(
    client, public_group, coordinator
):
    topic = topic_with_posts(public_group, coordinator, subject="Tearing speed", posts=3)
    assert topic.posts.filter(subject__startswith="Re:").count() == 2
    client.force_login(member(public_group))
    page = client.get(reply_url(topic)).content.decode()
    assert 'name="subject"' not in page
    assert "Re: Tearing speed" not in page
    assert "Latest posts in this topic" in page
    assert "Re: Tearing speed" not in client.get(topic_url(topic)).content.decode()


def test_editing_a_reply_keeps_it_without_subject(client, public_group, coordinator):
    topic = topic_with_posts(public_group, coordinator)
    writer = member(public_group)
    post = reply(topic, writer, "First version")
    client.force_login(writer)
    url = reverse(
        "forum_conversation:post_update",
        kwargs={
            "forum_slug": topic.forum.slug,
            "forum_pk": topic.forum.pk,
            "topic_slug": topic.slug,
            "topic_pk": topic.pk,
            "pk": post.pk,
        },
    )
    assert 'name="subject"' not in client.get(url).content.decode()
    response = client.post(url, post_form_data("", "Second version", update_reason="typo"))
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.subject, post.content.raw) == ("", "Second version")


def test_quote_fills_from_the_post_source(client, public_group, private_group, coordinator):
    topic = topic_with_posts(public_group, coordinator, content="Use **two** scans.")
    opening = topic.first_post
    client.force_login(member(public_group))
    response = client.get(reverse("working_groups:post_quote", args=[opening.pk]))
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "> **Carla Coordinator:**\n> Use **two** scans.\n\n"
    html = client.get(topic_url(topic)).content.decode()
    assert f'data-quote-url="{reverse("working_groups:post_quote", args=[opening.pk])}"' in html
    # without JavaScript: the reply page starts with the quote
    page = client.get(reply_url(topic) + f"?quote={opening.pk}").content.decode()
    assert "&gt; Use **two** scans." in page


def test_quote_of_a_private_post_is_not_found_for_outsiders(
    client, private_group, coordinator, outsider
):
    topic = topic_with_posts(private_group, coordinator, content="Supplier price 2.10 EUR/kg")
    url = reverse("working_groups:post_quote", args=[topic.first_post_id])
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404


# 3. Likes ------------------------------------------------------------------------------------


def test_like_toggles_and_the_count_is_shown(client, public_group, coordinator):
    topic = topic_with_posts(public_group, coordinator)
    reader = UserFactory()  # anyone signed in reads a public group
    client.force_login(reader)
    url = reverse("working_groups:post_like", args=[topic.first_post_id])
    response = client.post(url)
    assert response.status_code == 302
    assert response.url.endswith(f"?post={topic.first_post_id}#{topic.first_post_id}")
    assert PostLike.objects.filter(post=topic.first_post, user=reader).count() == 1
    html = client.get(topic_url(topic)).content.decode()
    assert "1 like" in html
    assert 'aria-pressed="true"' in html
    client.post(url)  # a second click takes the like back
    assert not PostLike.objects.exists()
    assert 'aria-pressed="false"' in client.get(topic_url(topic)).content.decode()


def test_likes_are_counted_per_person(client, public_group, coordinator):
    topic = topic_with_posts(public_group, coordinator)
    for _ in range(3):
        client.force_login(UserFactory())
        client.post(reverse("working_groups:post_like", args=[topic.first_post_id]))
    assert PostLike.objects.filter(post=topic.first_post).count() == 3
    client.logout()
    html = client.get(topic_url(topic)).content.decode()
    assert "3 likes" in html
    assert "like-button" not in html  # anonymous readers see the count only


def test_nobody_likes_their_own_post(client, public_group, coordinator):
    topic = topic_with_posts(public_group, coordinator)
    client.force_login(coordinator)
    assert "like-button" not in client.get(topic_url(topic)).content.decode()
    client.post(reverse("working_groups:post_like", args=[topic.first_post_id]))
    assert not PostLike.objects.exists()
    with pytest.raises(PermissionDenied):
        services.post_like_toggle(post=topic.first_post, user=coordinator)


def test_like_in_a_private_group_you_are_not_in(
    client, private_group, private_member, coordinator, outsider
):
    topic = topic_with_posts(private_group, coordinator)
    url = reverse("working_groups:post_like", args=[topic.first_post_id])
    assert client.post(url).status_code == 302  # anonymous: to the sign-in page
    assert "/accounts/login/" in client.post(url).url
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    assert client.get(url).status_code in (404, 405)
    assert not PostLike.objects.exists()
    client.force_login(private_member)
    client.post(url)
    assert PostLike.objects.filter(user=private_member).exists()


def test_like_is_post_only_and_a_held_post_cannot_be_liked(client, public_group, coordinator):
    topic = topic_with_posts(public_group, coordinator)
    held = reply(topic, member(public_group), "Waiting for approval")
    Post.objects.filter(pk=held.pk).update(approved=False)
    client.force_login(UserFactory())
    assert client.get(reverse("working_groups:post_like", args=[held.pk])).status_code == 405
    assert client.post(reverse("working_groups:post_like", args=[held.pk])).status_code == 403
    assert client.post(reverse("working_groups:post_like", args=[999999])).status_code == 404
    assert not PostLike.objects.exists()


# 3. Accepted answers -------------------------------------------------------------------------


def test_topic_author_accepts_an_answer(client, question):
    topic, asker, first, second = question
    client.force_login(asker)
    html = client.get(topic_url(topic)).content.decode()
    assert "Accept as the answer" in html
    response = client.post(reverse("working_groups:answer_accept", args=[second.pk]))
    assert response.status_code == 302
    state = TopicQuestion.objects.get(topic=topic)
    assert (state.answer, state.accepted_by) == (second, asker)
    html = client.get(topic_url(topic)).content.decode()
    # shown under the opening post, before the first reply
    box = html.index('class="accepted-answer"')
    assert html.index(f'<article id="{topic.first_post_id}"') < box
    assert box < html.index(f'<article id="{first.pk}"')
    assert "We use 90 %." in html[box : html.index(f'<article id="{first.pk}"')]
    # the answer's own post is marked, and only it
    assert f'<article id="{second.pk}" class="card post post-accepted"' in html
    assert f'<article id="{first.pk}" class="card post"' in html
    assert html.count("post-accepted") == 1
    # and the topic is marked solved in the group's topic list
    listing = client.get(
        reverse("forum:forum", kwargs={"slug": topic.forum.slug, "pk": topic.forum.pk})
    ).content.decode()
    assert "badge-solved" in listing
    # another reply replaces it; unmarking opens the question again
    client.post(reverse("working_groups:answer_accept", args=[first.pk]))
    assert TopicQuestion.objects.get(topic=topic).answer == first
    client.post(reverse("working_groups:answer_clear", args=[first.pk]))
    assert TopicQuestion.objects.get(topic=topic).answer is None
    listing = client.get(
        reverse("forum:forum", kwargs={"slug": topic.forum.slug, "pk": topic.forum.pk})
    ).content.decode()
    assert "badge-question" in listing


def test_accept_on_someone_elses_topic_is_forbidden(client, question, public_group):
    topic, _asker, first, _second = question
    other_member = member(public_group)
    client.force_login(other_member)
    assert "Accept as the answer" not in client.get(topic_url(topic)).content.decode()
    assert client.post(reverse("working_groups:answer_accept", args=[first.pk])).status_code == 403
    # even the reply's own author cannot accept it
    client.force_login(first.poster)
    assert client.post(reverse("working_groups:answer_accept", args=[first.pk])).status_code == 403
    assert TopicQuestion.objects.get(topic=topic).answer is None


def test_a_moderator_accepts_an_answer(client, question, coordinator):
    topic, _asker, first, _second = question
    client.force_login(coordinator)  # the group's coordinator moderates its forum
    client.post(reverse("working_groups:answer_accept", args=[first.pk]))
    assert TopicQuestion.objects.get(topic=topic).accepted_by == coordinator


def test_accept_in_a_private_group_you_are_not_in(client, private_group, coordinator, outsider):
    topic = topic_with_posts(private_group, coordinator)
    answer = reply(topic, member(private_group), "Secret")
    TopicQuestion.objects.create(topic=topic)
    client.force_login(outsider)
    assert client.post(reverse("working_groups:answer_accept", args=[answer.pk])).status_code == 404
    assert TopicQuestion.objects.get(topic=topic).answer is None


def test_only_a_reply_of_a_question_can_be_accepted(client, public_group):
    asker = member(public_group)
    topic = topic_with_posts(public_group, asker)
    answer = reply(topic, member(public_group), "Not a question")
    client.force_login(asker)
    response = client.post(reverse("working_groups:answer_accept", args=[answer.pk]), follow=True)
    assert "Only a question can have an accepted answer." in response.content.decode()
    assert not TopicQuestion.objects.exists()
    TopicQuestion.objects.create(topic=topic)
    response = client.post(
        reverse("working_groups:answer_accept", args=[topic.first_post_id]), follow=True
    )
    assert "Only a visible reply can be the accepted answer." in response.content.decode()
    assert TopicQuestion.objects.get(topic=topic).answer is None


def test_a_new_topic_asked_as_a_question(client, public_group):
    author = member(public_group)
    services.user_trust(user=author)
    client.force_login(author)
    create = reverse(
        "forum_conversation:topic_create",
        kwargs={"forum_slug": public_group.forum.slug, "forum_pk": public_group.forum.pk},
    )
    assert "This is a question" in client.get(create).content.decode()
    response = client.post(
        create, post_form_data("Who tears wool?", "Looking for a tearer.", is_question="on")
    )
    assert response.status_code == 302
    topic = Topic.objects.get(subject="Who tears wool?")
    assert TopicQuestion.objects.filter(topic=topic, answer=None).exists()
    html = client.get(topic_url(topic)).content.decode()
    assert "badge-question" in html


def test_group_page_marks_questions_and_solved_topics(client, question, public_group):
    topic, asker, first, _second = question
    topic_with_posts(public_group, asker, subject="Plain discussion")
    html = client.get(public_group.get_absolute_url()).content.decode()
    assert html.count("badge-question") == 1 and "badge-solved" not in html
    services.answer_accept(post=first, by=asker)
    html = client.get(public_group.get_absolute_url()).content.decode()
    assert html.count("badge-solved") == 1 and "badge-question" not in html


def test_likes_are_personal_data(public_group, coordinator):
    from forum import privacy

    topic = topic_with_posts(public_group, coordinator, subject="Carding")
    reader = UserFactory()
    services.post_like_toggle(post=topic.first_post, user=reader)
    exported = privacy.personal_data(reader)["forum_likes"]
    assert [(like["post"], like["topic"]) for like in exported] == [
        (topic.first_post_id, "Carding")
    ]
    privacy.erase_personal_data(reader)
    assert not PostLike.objects.filter(user=reader).exists()


# 5. Each reader's controls -------------------------------------------------------------------


def controls(html):
    """{post id: sorted addresses of the post's controls (links and forms) and the author's
    handle}, as the page shows them to its reader."""
    found = {}
    for pk, article in re.findall(r'<article id="(\d+)"(.*?)</article>', html, re.S):
        footer = article.split('<footer class="post-controls">')[1]
        addresses = re.findall(r'(?:href|action|data-quote-url)="([^"]+)"', footer)
        handle = re.search(r'<span class="handle">@([^<]*)</span>', article)
        found[int(pk)] = (sorted(addresses), handle.group(1) if handle else None)
    return found


def post_urls(topic, post, *names):
    """The addresses of the URLs ``names`` for ``post`` of ``topic``."""
    in_topic = (topic.forum.slug, topic.forum.pk, topic.slug, topic.pk)
    args = {
        "forum_conversation:topic_update": in_topic,
        "forum_conversation:post_update": (*in_topic, post.pk),
        "forum_conversation:post_delete": (*in_topic, post.pk),
    }
    return [reverse(name, args=args.get(name, (post.pk,))) for name in names]


def test_each_reader_sees_the_controls_their_permissions_give_on_each_post(
    client, public_group, coordinator
):
    """The author edits and deletes their own reply, likes and reports the others'; the
    coordinator (a moderator of the group) edits and deletes every post; a visitor gets none.
    Every address is the post's own."""
    topic = topic_with_posts(public_group, coordinator, subject="Bale weights")
    opening = topic.first_post
    writer = member(public_group, UserFactory(display_name="Wanda Writer"))
    own = reply(topic, writer, "My reply")
    others = reply(topic, member(public_group), "Another reply")

    def expected(post, *names):
        """The addresses of ``names`` for ``post``, with the quote's link to the reply page."""
        return sorted([*post_urls(topic, post, *names), f"{reply_url(topic)}?quote={post.pk}"])

    client.force_login(writer)
    seen = controls(client.get(topic_url(topic)).content.decode())
    common = ("working_groups:post_quote",)
    reader_of = ("working_groups:post_like", "working_groups:post_report", *common)
    assert seen[own.pk] == (
        expected(own, "forum_conversation:post_update", "forum_conversation:post_delete", *common),
        "wanda-writer",
    )
    assert seen[others.pk][0] == expected(others, *reader_of)
    assert seen[opening.pk] == (expected(opening, *reader_of), "carla-coordinator")

    client.force_login(coordinator)
    seen = controls(client.get(topic_url(topic)).content.decode())
    moderator = ("forum_conversation:post_update", "forum_conversation:post_delete")
    assert seen[own.pk][0] == expected(own, *moderator, *reader_of)
    # the opening post is edited as the topic (its subject with it)
    assert seen[opening.pk][0] == expected(
        opening, "forum_conversation:topic_update", "forum_conversation:post_delete", *common
    )

    client.logout()
    seen = controls(client.get(topic_url(topic)).content.decode())
    assert all(addresses == [] for addresses, _handle in seen.values())
