"""Bounded queries: the count does not grow with the number of groups, topics or posts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import services
from tests.factories import UserFactory

from .factories import WorkingGroupFactory, forum_url, member, topic_url, topic_with_posts

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(db):
    return UserFactory()


def test_forum_index_group_list_does_not_grow(
    client, reader, django_assert_max_num_queries, warm_query_count
):
    groups = [WorkingGroupFactory() for _ in range(3)]
    for group in groups:
        topic_with_posts(group, member(group, reader), posts=2)
    client.force_login(reader)
    small = {url: warm_query_count(client, url) for url in (reverse("working_groups:list"),)}
    for _ in range(6):
        group = WorkingGroupFactory()
        topic_with_posts(group, member(group, reader), posts=2)
    for url, before in small.items():
        assert warm_query_count(client, url) == before, url
    with django_assert_max_num_queries(22):
        client.get(reverse("working_groups:list"))
    # machina's index (two queries per forum) hands over to the group list
    assert client.get(reverse("forum:index")).url == reverse("working_groups:list")


def test_forum_page_does_not_grow_with_topics(
    client, reader, public_group, django_assert_max_num_queries, warm_query_count
):
    author = member(public_group, reader)
    for index in range(3):
        topic_with_posts(public_group, author, subject=f"Topic {index}", posts=2)
    client.force_login(reader)
    url = forum_url(public_group.forum)
    before = warm_query_count(client, url)
    for index in range(3, 15):
        topic_with_posts(public_group, UserFactory(), subject=f"Topic {index}", posts=2)
    assert warm_query_count(client, url) == before
    with django_assert_max_num_queries(35):
        client.get(url)


def test_topic_with_100_posts(
    client, reader, public_group, django_assert_max_num_queries, warm_query_count
):
    authors = [member(public_group) for _ in range(5)]
    topic = topic_with_posts(public_group, authors[0], posts=10)
    client.force_login(reader)
    url = topic_url(topic)
    before = warm_query_count(client, url)
    from machina.apps.forum_conversation.models import Post

    for index in range(90):
        Post.objects.create(
            topic=topic, poster=authors[index % 5], subject="Re", content=f"Reply {index}"
        )
    # machina paginates topics (15 posts a page); every page costs the same
    assert warm_query_count(client, url) <= before + 2
    assert warm_query_count(client, url + "?page=7") <= before + 2
    with django_assert_max_num_queries(40):
        client.get(url)


def test_group_detail_bounded(
    client, reader, public_group, coordinator, django_assert_max_num_queries
):
    for index in range(12):
        topic_with_posts(public_group, member(public_group), subject=f"Topic {index}")
    client.force_login(reader)
    # warm the per-process caches (content types, site look), as in a running site
    client.get(public_group.get_absolute_url())
    # 25 with the reader's watch level and the question badges of the listed topics
    with django_assert_max_num_queries(25):
        response = client.get(public_group.get_absolute_url())
    assert response.status_code == 200


def test_topic_with_100_liked_posts_and_an_accepted_answer(
    client, reader, public_group, django_assert_max_num_queries, warm_query_count
):
    """Likes, the accepted answer, the reply box and the watch control cost a fixed number of
    queries per page: none per post."""
    from machina.apps.forum_conversation.models import Post

    from forum.models import PostLike, TopicQuestion

    authors = [member(public_group) for _ in range(5)]
    plain = topic_with_posts(public_group, authors[0], subject="Plain", posts=100)
    liked = topic_with_posts(public_group, authors[0], subject="Liked", posts=100)
    likers = [member(public_group) for _ in range(3)]
    PostLike.objects.bulk_create(
        PostLike(post=post, user=user) for post in liked.posts.all() for user in likers
    )
    PostLike.objects.create(post=liked.first_post, user=reader)
    answer = Post.objects.filter(topic=liked).order_by("pk")[5]
    TopicQuestion.objects.create(topic=liked, answer=answer, accepted_by=authors[0])
    member(public_group, reader)
    client.force_login(reader)
    for page in ("", "?page=4", "?page=7"):
        without = warm_query_count(client, topic_url(plain) + page)
        with_likes = warm_query_count(client, topic_url(liked) + page)
        # the question (one query) and the likes of the page (one query, the same for 1 or
        # 15 posts): nothing per post
        assert with_likes <= without + 1, page
    html = client.get(topic_url(liked)).content.decode()
    assert "4 likes" in html and "3 likes" in html and 'class="accepted-answer"' in html
    with django_assert_max_num_queries(45):
        client.get(topic_url(liked) + "?page=7")


def test_topic_page_costs_the_same_whoever_wrote_the_posts(
    client, reader, public_group, django_assert_max_num_queries, warm_query_count
):
    """Authors with organisations, likes, attachments, an accepted answer, a watch level: the
    page of 15 posts costs what the page of one author's plain posts costs (one query more for
    the attachments when some post of the page has one)."""
    from django.core.files.base import ContentFile
    from machina.apps.forum_conversation.forum_attachments.models import Attachment
    from machina.apps.forum_conversation.models import Post

    from forum.models import PostLike, TopicQuestion
    from tests.factories import OrganisationFactory

    plain = topic_with_posts(public_group, member(public_group), subject="Plain", posts=30)
    authors = [
        member(public_group, UserFactory(organisation=OrganisationFactory())) for _ in range(15)
    ]
    busy = topic_with_posts(public_group, authors[0], subject="Busy", posts=1)
    for index in range(29):
        Post.objects.create(topic=busy, poster=authors[index % 15], content=f"Reply {index}")
    posts = list(busy.posts.order_by("created", "pk"))
    PostLike.objects.bulk_create(PostLike(post=post, user=reader) for post in posts[1:])
    Attachment.objects.create(post=posts[3], file=ContentFile(b"sorting data", name="nir.csv"))
    TopicQuestion.objects.create(topic=busy, answer=posts[4], accepted_by=authors[0])
    member(public_group, reader)
    services.watch_level_set(user=reader, target=busy, level="watching")
    client.force_login(reader)
    for page in ("", "?page=2"):
        assert warm_query_count(client, topic_url(busy) + page) <= warm_query_count(
            client, topic_url(plain) + page
        ) + (1 if not page else 0), page
    html = client.get(topic_url(busy)).content.decode()
    assert authors[1].organisation.name in html and "nir.csv" in html
    assert 'class="accepted-answer"' in html and "1 like" in html
    # machina's permissions for this member are worked out once for every forum, then kept
    # until a permission, group or forum is written (tests/forum/test_topic_page.py); once kept,
    # the forums themselves are not read either
    with CaptureQueriesContext(connection) as captured:
        client.get(topic_url(busy))
    asked = [
        query
        for query in captured
        if "forum_permission_" in query["sql"] or 'FROM "forum_forum"' in query["sql"]
    ]
    assert asked == [], [query["sql"][:80] for query in asked]
    with django_assert_max_num_queries(18):
        client.get(topic_url(busy))


def test_reading_a_read_topic_writes_nothing_and_news_make_it_unread(client, public_group):
    from machina.apps.forum_conversation.models import Post

    author = member(public_group)
    topic = topic_with_posts(public_group, author, subject="Bale weights", posts=2)
    reader = member(public_group)
    client.force_login(reader)
    client.get(topic_url(topic))  # marks it read
    with CaptureQueriesContext(connection) as captured:
        client.get(topic_url(topic))
    writes = [
        query["sql"]
        for query in captured
        if query["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
        and "forum_tracking" in query["sql"]
    ]
    assert writes == []
    Post.objects.create(topic=topic, poster=author, content="New weights for May")
    unread = client.get(reverse("forum_tracking:unread_topics")).content.decode()
    assert "Bale weights" in unread
    client.get(topic_url(topic))
    unread = client.get(reverse("forum_tracking:unread_topics")).content.decode()
    assert "Bale weights" not in unread


def test_coming_back_to_a_read_topic_asks_nothing_and_lost_read_marks_are_made_again(
    client, public_group
):
    """Whether the reader has read the topic is kept until a read mark is written
    (forum.selectors.topic_is_read): coming back asks the database nothing about it; when the
    reader's marks are gone (erased with their data, say), the next visit marks it read again."""
    from machina.apps.forum_tracking.models import ForumReadTrack, TopicReadTrack

    topic = topic_with_posts(public_group, member(public_group), subject="Bale weights")
    reader = member(public_group)
    client.force_login(reader)
    client.get(topic_url(topic))  # marks it read
    client.get(topic_url(topic))  # keeps that it is read
    with CaptureQueriesContext(connection) as captured:
        client.get(topic_url(topic))
    assert not [query for query in captured if "forum_tracking" in query["sql"]]
    TopicReadTrack.objects.filter(user=reader).delete()
    ForumReadTrack.objects.filter(user=reader).delete()
    assert "Bale weights" in client.get(reverse("forum_tracking:unread_topics")).text
    client.get(topic_url(topic))
    assert "Bale weights" not in client.get(reverse("forum_tracking:unread_topics")).text


def test_the_permission_tag_sees_the_same_methods_of_the_request_handler():
    """Machina's ``get_permission`` tag accepts the handler's public methods, found with
    ``inspect.getmembers``: the request's handler names those (and only those) at once."""
    import inspect

    from machina.apps.forum_permission.handler import PermissionHandler

    from forum.middleware import RequestPermissionHandler

    def public_methods(handler):
        members = inspect.getmembers(handler, predicate=inspect.ismethod)
        return [name for name, _method in members if not name.startswith("_")]

    names = public_methods(RequestPermissionHandler())
    assert names == public_methods(PermissionHandler())
    assert "can_add_post" in names and "can_access_moderation_queue" in names
    assert len(dir(RequestPermissionHandler())) == len(names)
