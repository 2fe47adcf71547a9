"""Bounded queries: the count does not grow with the number of groups, topics or posts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory

from .factories import WorkingGroupFactory, forum_url, member, topic_url, topic_with_posts

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    client.get(url)  # warm the per-process caches (content types, site, session)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def reader(db):
    return UserFactory()


def test_forum_index_group_list_does_not_grow(client, reader, django_assert_max_num_queries):
    groups = [WorkingGroupFactory() for _ in range(3)]
    for group in groups:
        topic_with_posts(group, member(group, reader), posts=2)
    client.force_login(reader)
    small = {url: count_queries(client, url) for url in (reverse("working_groups:list"),)}
    for _ in range(6):
        group = WorkingGroupFactory()
        topic_with_posts(group, member(group, reader), posts=2)
    for url, before in small.items():
        assert count_queries(client, url) == before, url
    with django_assert_max_num_queries(22):
        client.get(reverse("working_groups:list"))
    # machina's index (two queries per forum) hands over to the group list
    assert client.get(reverse("forum:index")).url == reverse("working_groups:list")


def test_forum_page_does_not_grow_with_topics(
    client, reader, public_group, django_assert_max_num_queries
):
    author = member(public_group, reader)
    for index in range(3):
        topic_with_posts(public_group, author, subject=f"Topic {index}", posts=2)
    client.force_login(reader)
    url = forum_url(public_group.forum)
    before = count_queries(client, url)
    for index in range(3, 15):
        topic_with_posts(public_group, UserFactory(), subject=f"Topic {index}", posts=2)
    assert count_queries(client, url) == before
    with django_assert_max_num_queries(35):
        client.get(url)


def test_topic_with_100_posts(client, reader, public_group, django_assert_max_num_queries):
    authors = [member(public_group) for _ in range(5)]
    topic = topic_with_posts(public_group, authors[0], posts=10)
    client.force_login(reader)
    url = topic_url(topic)
    before = count_queries(client, url)
    from machina.apps.forum_conversation.models import Post

    for index in range(90):
        Post.objects.create(
            topic=topic, poster=authors[index % 5], subject="Re", content=f"Reply {index}"
        )
    # machina paginates topics (15 posts a page); every page costs the same
    assert count_queries(client, url) <= before + 2
    assert count_queries(client, url + "?page=7") <= before + 2
    with django_assert_max_num_queries(40):
        client.get(url)


def test_group_detail_bounded(
    client, reader, public_group, coordinator, django_assert_max_num_queries
):
    for index in range(12):
        topic_with_posts(public_group, member(public_group), subject=f"Topic {index}")
    client.force_login(reader)
    with django_assert_max_num_queries(25):
        response = client.get(public_group.get_absolute_url())
    assert response.status_code == 200
