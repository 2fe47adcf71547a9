"""A search's results kept until the next write (cms/search/views.py, cms/fragments.py): apart
for each member, alike for anonymous visitors. Coming back to the same results reads nothing
of what was searched; whatever is written since shows at once; no one is ever shown what
another visitor may read; the rate limit counts every search, kept or not."""

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.models import WorkingGroup
from tests.cms.factories import make_story, story_index
from tests.cms.searching import result_titles
from tests.factories import UserFactory
from tests.forum.factories import WorkingGroupFactory, member, topic_with_posts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept_pages")]


@pytest.fixture
def private_group():
    return WorkingGroupFactory(
        name="Secret pilot",
        slug="secret-pilot",
        visibility=WorkingGroup.Visibility.PRIVATE,
        coordinators=[UserFactory()],
    )


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def found(client, query, **params):
    response = client.get(reverse("search"), {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_back_at_the_same_results_is_not_searched_for_again():
    story_index()
    for n in range(12):
        make_story(title=f"Denim recycling case {n}")
    client = signed_in(UserFactory())
    with CaptureQueriesContext(connection) as searched:
        first = found(client, "denim")
    with CaptureQueriesContext(connection) as kept:
        again = found(client, "denim")
    assert result_titles(again) == result_titles(first) != []
    # no search, no count: the session, the member, nothing of the pages or the other kinds
    assert [q for q in searched.captured_queries if "wagtailsearch_indexentry" in q["sql"]]
    assert not [q for q in kept.captured_queries if "wagtailsearch_indexentry" in q["sql"]]
    assert len(kept) < len(searched)
    assert len(kept) <= 4
    # another page of the same search is searched (and then kept too)
    second_page = found(client, "denim", page=2)
    assert len(result_titles(second_page)) == 2
    assert set(result_titles(second_page)).isdisjoint(result_titles(first))


def test_what_is_written_since_shows_at_once():
    story_index()
    make_story(title="Denim sorting in Prato")
    client = signed_in(UserFactory())
    assert result_titles(found(client, "denim")) == ["Denim sorting in Prato"]
    make_story(title="Denim shredding in Łódź")
    assert sorted(result_titles(found(client, "denim"))) == [
        "Denim shredding in Łódź",
        "Denim sorting in Prato",
    ]


def test_no_one_is_shown_what_another_visitor_may_read(private_group):
    poster = private_group.coordinator_group.user_set.first()
    topic_with_posts(private_group, poster, subject="Bale prices", content="Confidential bale")
    insider, outsider = member(private_group), UserFactory()
    assert "Bale prices" in found(signed_in(insider), "confidential")
    # with the insider's results kept, neither another member nor a visitor sees them
    assert "Bale prices" not in found(signed_in(outsider), "confidential")
    assert "Bale prices" not in found(Client(), "confidential")
    # and the other way round: a member who joins is searched for as a member at once
    assert "Bale prices" not in found(signed_in(outsider), "confidential")
    member(private_group, outsider)
    assert "Bale prices" in found(signed_in(outsider), "confidential")
    # a member who leaves stops finding them at once
    Group.objects.get(pk=private_group.member_group_id).user_set.remove(insider)
    assert "Bale prices" not in found(signed_in(insider), "confidential")


def test_an_unknown_kind_is_still_explained_when_the_results_are_kept():
    story_index()
    make_story(title="Denim sorting in Prato")
    client = signed_in(UserFactory())
    for _visit in range(2):
        html = found(client, "denim", kind="no-such-kind")
        assert "There is no such kind of result" in html
        assert result_titles(html) == ["Denim sorting in Prato"]


# django-ratelimit's windows are fixed: a clock that stands still keeps the posts in one (a
# run that crossed the end of a window was let through).
@time_machine.travel("2026-03-02 10:00:05Z", tick=False)
def test_kept_searches_count_against_the_rate_limit(settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "search": "3/m"}
    story_index()
    make_story(title="Denim sorting in Prato")
    client = signed_in(UserFactory())
    for _search in range(3):
        assert result_titles(found(client, "denim")) == ["Denim sorting in Prato"]
    response = client.get(reverse("search"), {"q": "denim"})
    assert response.status_code == 429
    assert "Denim sorting in Prato" not in response.content.decode()


def test_kept_results_carry_the_query_string_asked_for():
    """The facets' and pages' links carry the query string: another one is another key."""
    story_index()
    for n in range(12):
        make_story(title=f"Denim recycling case {n}")
    client = signed_in(UserFactory())
    assert "ref=newsletter" in found(client, "denim", ref="newsletter")
    html = found(client, "denim")
    assert "ref=newsletter" not in html
    assert "q=denim" in html  # the links to the facets and the next page
