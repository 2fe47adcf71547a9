"""A topic's views are counted without a database write per view (cms.analytics' Redis buffer,
flushed every minute), so an anonymous topic view leaves the page cache alone; links to a post
open the page that shows it, and a reply held for moderation lands on its topic, not a 404."""

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from machina.apps.forum_conversation.models import Post, Topic
from wagtail.models import Site as WagtailSite

from cms import pagecache, tablecache
from cms.analytics import services as analytics
from cms.analytics.tasks import flush_view_counts
from tests.factories import UserFactory
from themes.models import SiteLook

from .factories import member, post_form_data, topic_url, topic_with_posts

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
HELD_NOTICE = "This message will be validated before appearing on the forum."


@pytest.fixture
def redis_buffer(settings):
    settings.ANALYTICS_BUFFER = "redis"
    settings.ANALYTICS_REDIS_KEY = f"tvc:test:analytics:{uuid.uuid4().hex}"
    try:
        analytics.redis_client().ping()
    except analytics.redis.RedisError:
        pytest.skip("Redis is not running")
    yield settings.ANALYTICS_REDIS_KEY
    client = analytics.redis_client()
    for name in client.scan_iter(match=settings.ANALYTICS_REDIS_KEY + "*"):
        client.delete(name)


@pytest.fixture
def site_look(db):
    # Made on the first page ever rendered (a write); made here, as a running site has it.
    SiteLook.for_site(WagtailSite.objects.get(is_default_site=True))


@pytest.fixture
def page_cache_on(settings, site_look):
    settings.PAGE_CACHE_SECONDS = 300


def visitor():
    return Client(HTTP_USER_AGENT=BROWSER)


def writes(captured):
    return [query["sql"] for query in captured if not pagecache.READ_ONLY.match(query["sql"])]


def views_of(topic):
    return Topic.objects.values_list("views_count", flat=True).get(pk=topic.pk)


def test_a_topic_view_is_counted_in_redis_and_added_by_the_flush(
    client, public_group, redis_buffer, site_look
):
    topic = topic_with_posts(public_group, member(public_group), posts=3)
    url = topic_url(topic)
    with CaptureQueriesContext(connection) as captured:
        assert visitor().get(url).status_code == 200
    assert writes(captured) == []  # machina's UPDATE of the topic on every view is gone
    reader = member(public_group)
    client.force_login(reader)
    assert client.get(url).status_code == 200
    assert views_of(topic) == 0

    flush_view_counts()  # the task of Celery beat, every minute (the page views go with them)
    assert views_of(topic) == 2
    flush_view_counts()
    assert views_of(topic) == 2  # added once


def test_without_the_buffer_each_view_is_added_at_once(client, public_group):
    topic = topic_with_posts(public_group, member(public_group), posts=1)
    client.get(topic_url(topic))
    client.get(topic_url(topic))
    assert views_of(topic) == 2


def test_an_anonymous_topic_view_keeps_the_page_cache_a_new_post_empties_it(
    public_group, redis_buffer, page_cache_on
):
    author = member(public_group)
    topic = topic_with_posts(public_group, author, subject="Fibre blends", posts=2)
    url = topic_url(topic)
    assert visitor().get(url)[pagecache.HEADER] == "miss"
    generation = pagecache.current_generation()
    for _ in range(3):
        assert visitor().get(url)[pagecache.HEADER] == "hit"
    assert pagecache.current_generation() == generation
    # The flush adds the four views (the hits included) and leaves the cache as it was.
    flush_view_counts()
    assert views_of(topic) == 4
    assert pagecache.current_generation() == generation
    assert visitor().get(url)[pagecache.HEADER] == "hit"

    Post.objects.create(
        topic=Topic.objects.get(pk=topic.pk), poster=author, content="Blends of 80% cotton sort"
    )
    assert pagecache.current_generation() != generation
    response = visitor().get(url)
    assert response[pagecache.HEADER] == "miss"
    assert "Blends of 80% cotton sort" in response.content.decode()


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


def test_a_reply_held_for_moderation_lands_on_the_topic_with_the_notice(client, public_group):
    # 100 approved posts (7 pages of 15) and held replies before this one: machina counted the
    # held ones and sent the member to page 8, a 404.
    regular = member(public_group)
    topic = topic_with_posts(public_group, regular, subject="Sorting thresholds", posts=100)
    for index in range(10):
        Post.objects.create(
            topic=topic, poster=member(public_group), content=f"Held {index}", approved=False
        )
    newcomer = member(public_group)  # not trusted yet: their posts wait for a moderator
    client.force_login(newcomer)
    response = client.post(reply_url(topic), post_form_data("", "My held reply"), follow=True)
    held = Post.objects.get(content="My held reply")
    assert held.approved is False
    assert response.redirect_chain[0][0].endswith(f"?post={held.pk}#{held.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert HELD_NOTICE in html
    assert "Reply 99" in html  # the last page, where the reply will appear once approved
    assert "My held reply" not in html  # not shown before a moderator approves it


def test_a_link_to_a_post_after_held_ones_opens_the_page_that_shows_it(client, public_group):
    regular = member(public_group)
    topic = topic_with_posts(public_group, regular, posts=14)
    newcomer = member(public_group)
    for index in range(3):
        Post.objects.create(topic=topic, poster=newcomer, content=f"Held {index}", approved=False)
    fifteenth = Post.objects.create(topic=topic, poster=regular, content="Fifteenth approved")
    sixteenth = Post.objects.create(topic=topic, poster=regular, content="Sixteenth approved")
    url = topic_url(topic)
    first = client.get(f"{url}?post={fifteenth.pk}")
    assert first.status_code == 200
    assert "Fifteenth approved" in first.content.decode()
    assert "Sixteenth approved" not in first.content.decode()
    second = client.get(f"{url}?post={sixteenth.pk}")
    assert second.status_code == 200
    assert "Sixteenth approved" in second.content.decode()
    # A held post's number, or another topic's, shows the last page (no 404, nothing held).
    held = Post.objects.filter(approved=False).first()
    response = client.get(f"{url}?post={held.pk}")
    assert response.status_code == 200
    assert "Sixteenth approved" in response.content.decode()
    assert "Held 0" not in response.content.decode()


def test_a_warm_topic_page_reads_no_topic_and_every_change_shows_at_once(
    client, redis_buffer, site_look, public_group
):
    """The topic with its forum, group, poll and question is kept until one of their tables is
    written (forum.selectors.topic_for_page): a reader back at a topic does not read it again
    (views are counted through the buffer, as in production); a rename, a lock, a new post, a
    removal show at once; made-up topics are not kept."""
    author, reader = member(public_group), UserFactory()
    topic = topic_with_posts(public_group, author, subject="Bale sizes", posts=2)
    client.force_login(reader)
    url = topic_url(topic)
    for _visit in range(2):  # the first marks the topic read: a write
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    topic_reads = [q["sql"] for q in captured if 'FROM "forum_conversation_topic"' in q["sql"]
                   and '"forum_forum"."name"' in q["sql"]]  # fmt: skip
    assert topic_reads == [], topic_reads

    Topic.objects.filter(pk=topic.pk).update(subject="Bale sizes and weights")
    assert "Bale sizes and weights" in client.get(url).content.decode()
    Topic.objects.filter(pk=topic.pk).update(status=Topic.TOPIC_LOCKED)
    assert "Locked" in client.get(url).content.decode()
    Post.objects.create(topic=topic, poster=author, subject="Re", content="Compressed to 400 kg")
    assert "Compressed to 400 kg" in client.get(url).content.decode()
    stored = set(tablecache._local)
    for made_up in range(topic.pk + 100, topic.pk + 105):
        assert client.get(url.replace(f"-{topic.pk}/", f"-{made_up}/")).status_code == 404
    assert set(tablecache._local) == stored
    topic.delete()
    assert client.get(url).status_code == 404
