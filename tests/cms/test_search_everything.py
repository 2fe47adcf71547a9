"""/search/ also finds what the apps contribute through cms.hooks.SEARCH_RESULTS: active public
exchange listings and the forum posts the visitor may read, each kind with its count."""

import pytest
from django.urls import reverse

from exchange.models import ListingState
from tests.exchange.factories import ListingFactory
from tests.factories import UserFactory
from tests.forum.factories import WorkingGroupFactory, member, topic_with_posts

pytestmark = pytest.mark.django_db


def search(client, query, **params):
    response = client.get(reverse("search"), {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_listings_and_readable_forum_posts_are_found(client):
    for n in range(3):
        ListingFactory(title=f"Cotton jersey offcuts {n}", description="Knitted cotton jersey.")
    ListingFactory(title="Cotton jersey draft", state=ListingState.DRAFT)
    poster = UserFactory()
    public = WorkingGroupFactory(name="Knitting", slug="knitting")
    secret = WorkingGroupFactory(name="Secret", slug="secret", visibility="private")
    member(public, poster)
    member(secret, poster)
    topic_with_posts(public, poster, subject="Cotton jersey recycling trial")
    topic_with_posts(secret, poster, subject="Cotton jersey price list")

    html = search(client, "cotton jersey")

    assert "Cotton jersey offcuts 0" in html and "Cotton jersey offcuts 2" in html
    assert "Cotton jersey draft" not in html
    assert "Cotton jersey recycling trial" in html
    assert "Cotton jersey price list" not in html  # a private group's post, for an outsider
    assert 'id="search-group-exchange">Materials exchange <span class="badge">3</span>' in html
    assert 'id="search-group-forum">Forum posts <span class="badge">1</span>' in html


def test_a_member_finds_their_private_group_posts(client):
    poster = UserFactory()
    secret = WorkingGroupFactory(name="Secret", slug="secret", visibility="private")
    member(secret, poster)
    topic_with_posts(secret, poster, subject="Cotton jersey price list")
    client.force_login(poster)
    assert "Cotton jersey price list" in search(client, "jersey")


@pytest.mark.parametrize("query", ['"', 'cotton "jersey', "a & b | !c", "(((", ":*", "x" * 200])
def test_bad_queries_never_fail(client, query):
    ListingFactory(title="Cotton jersey offcuts")
    search(client, query)


def test_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    for n in range(8):
        ListingFactory(title=f"Wool batch {n}")
    with django_assert_max_num_queries(30):
        search(client, "wool")
