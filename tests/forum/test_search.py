"""Forum search in the database (forum/search.py): no haystack, no index on disk."""

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from forum import search
from forum.selectors import search_posts

from .factories import member, topic_with_posts

pytestmark = pytest.mark.django_db


def test_no_haystack_and_machina_search_url_answered_by_ours():
    assert not apps.is_installed("haystack")
    assert not apps.is_installed("machina.apps.forum_search")
    assert reverse("forum_search:search") == "/forum/board/search/"


def test_search_words_strip_operators_and_limit_their_number():
    assert search.search_words("Yarn & (wool) | !cotton:* 'x'") == [
        "yarn",
        "wool",
        "cotton",
        "x",
    ]
    assert search.search_words("_ ;; --") == []
    assert len(search.search_words(" ".join(f"w{n}" for n in range(20)))) == search.MAX_WORDS


def test_every_word_must_match_as_a_word_prefix(public_group, coordinator, outsider):
    topic_with_posts(
        public_group, coordinator, subject="Recycling polyester", content="Mechanical route"
    )
    topic_with_posts(public_group, coordinator, subject="Cotton", content="Recycled cotton")
    subjects = {post.subject for post in search_posts(outsider, "recycl")}
    assert subjects == {"Recycling polyester", "Cotton"}
    assert [post.subject for post in search_posts(outsider, "RECYCL mechanical")] == [
        "Recycling polyester"
    ]
    assert list(search_posts(outsider, "recycl wool")) == []
    # tsquery's operators in what people type are words, never syntax (no error)
    assert list(search_posts(outsider, "cotton & !:* ' |")) != []
    assert list(search_posts(outsider, "&&& !!!")) == []


def test_private_posts_found_only_by_members(private_group, coordinator, outsider):
    topic_with_posts(private_group, coordinator, subject="Prices", content="Confidential bale")
    insider = member(private_group)
    assert list(search_posts(outsider, "confidential")) == []
    assert list(search_posts(insider, "confidential")) != []


def test_search_page_rejects_hostile_input(client, public_group, coordinator):
    topic_with_posts(public_group, coordinator, subject="Wool", content="Carded wool")
    url = reverse("working_groups:search")
    assert client.get(url, {"q": "wool\x00"}).status_code == 200
    assert client.get(url, {"q": "w" * 5000}).status_code == 200
    assert "Wool" in client.get(url, {"q": "woo"}).content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_postgresql_has_the_full_text_index_and_ranks_matches():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", [search.SEARCH_INDEX_NAME]
        )
        (definition,) = cursor.fetchone()
    assert "gin" in definition.lower() and "to_tsvector" in definition
