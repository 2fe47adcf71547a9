"""One search across everything: /search/ finds pages (a facet per section), organisations, and
what the apps contribute through cms.hooks.SEARCH_RESULTS (active public exchange listings, the
forum posts the visitor may read, ...), each kind with its count and the content's own date;
merged into one paginated list or paged through one kind; each language searched with its own
text-search configuration on PostgreSQL."""

import datetime

import pytest
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from wagtail import hooks
from wagtail.models import Locale, Page

from cms.hooks import SEARCH_RESULTS, HitList, SearchGroup, SearchHit
from exchange.models import ListingState
from tests.cms.factories import make_story, story_index
from tests.cms.searching import facet_counts, result_titles, search
from tests.exchange.factories import ListingFactory
from tests.factories import OrganisationFactory, RegionFactory, UserFactory
from tests.forum.factories import WorkingGroupFactory, member, topic_with_posts

pytestmark = pytest.mark.django_db


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
    facets = facet_counts(html)
    assert facets["Materials exchange"] == 3  # the draft is not counted either
    assert facets["Forum posts"] == 1  # nor is the private group's post
    assert facets["Everything"] == 4


def test_a_member_finds_their_private_group_posts(client):
    poster = UserFactory()
    secret = WorkingGroupFactory(name="Secret", slug="secret", visibility="private")
    member(secret, poster)
    topic_with_posts(secret, poster, subject="Cotton jersey price list")
    client.force_login(poster)
    html = search(client, "jersey")
    assert "Cotton jersey price list" in html
    assert facet_counts(html)["Forum posts"] == 1


def test_each_kind_has_its_facet_that_lists_only_that_kind(client):
    make_story(title="Denim sorting pilot", summary="denim")
    OrganisationFactory(name="Denim Recyclers", description="denim")
    ListingFactory(title="Denim offcuts", description="Blue denim")
    poster = UserFactory()
    group = WorkingGroupFactory(name="Denim", slug="denim")
    member(group, poster)
    topic_with_posts(group, poster, subject="Denim dye removal")

    assert result_titles(search(client, "denim", kind="exchange")) == ["Denim offcuts"]
    assert result_titles(search(client, "denim", kind="forum")) == ["Denim dye removal"]
    assert result_titles(search(client, "denim", kind="organisations")) == ["Denim Recyclers"]
    assert result_titles(search(client, "denim", kind="pages")) == ["Denim sorting pilot"]
    section = search(client, "denim", kind=story_index().slug)
    assert result_titles(section) == ["Denim sorting pilot"]
    assert 'aria-current="true">Pilot cases and success stories' in section
    # Everything: one list with every kind, each hit saying what it is.
    everything = search(client, "denim")
    assert sorted(result_titles(everything)) == [
        "Denim Recyclers",
        "Denim dye removal",
        "Denim offcuts",
        "Denim sorting pilot",
    ]
    assert '<span class="badge">Forum posts</span>' in everything


def test_one_list_interleaves_the_kinds_and_pages_through_them(client):
    for n in range(8):
        make_story(title=f"Viscose story {n}", summary="viscose")
        ListingFactory(title=f"Viscose lot {n}", description="viscose")

    first = search(client, "viscose")
    second = search(client, "viscose", page=2)

    assert "16 results for “viscose”" in first
    titles = result_titles(first)
    assert len(titles) == 10 and len(result_titles(second)) == 6
    # Best of each kind first: pages and listings take turns.
    assert [title.split()[1] for title in titles[:4]] == ["story", "lot", "story", "lot"]
    assert set(titles).isdisjoint(result_titles(second))
    assert 'rel="next"' in first

    one_kind = search(client, "viscose", kind="exchange", page=2)
    assert "8 results in Materials exchange" in one_kind
    assert len(result_titles(one_kind)) == 0 or "page 2" not in one_kind  # 8 fit on one page
    assert len(result_titles(search(client, "viscose", kind="exchange"))) == 8


def test_results_show_the_content_date_not_the_publishing_date(client):
    make_story(title="Carded wool pilot", summary="carded wool", date=datetime.date(2019, 3, 4))
    ListingFactory(
        title="Carded wool lot",
        published_at=datetime.datetime(2021, 5, 6, 10, 0, tzinfo=datetime.UTC),
    )

    html = search(client, "carded")

    assert 'datetime="2019-03-04"' in html and "4 March 2019" in html
    assert 'datetime="2021-05-06T' in html


def test_region_narrows_every_kind_that_has_regions(client):
    lodz, prato = RegionFactory(), RegionFactory()
    make_story(title="Lyocell in Lodz", summary="lyocell", region=lodz)
    make_story(title="Lyocell in Prato", summary="lyocell", region=prato)
    OrganisationFactory(name="Lyocell Lodz", description="lyocell", region=lodz)
    OrganisationFactory(name="Lyocell Prato", description="lyocell", region=prato)
    poster = UserFactory()
    group = WorkingGroupFactory(name="Fibres", slug="fibres")
    member(group, poster)
    topic_with_posts(group, poster, subject="Lyocell questions")

    html = search(client, "lyocell", region=lodz.slug)

    assert sorted(result_titles(html)) == ["Lyocell Lodz", "Lyocell in Lodz"]
    assert "Forum posts" not in facet_counts(html)  # posts have no region


def test_a_kind_made_of_pages_takes_them_out_of_the_page_results(client):
    """The contract for courses and lessons: a SearchGroup with ``pages`` claims those pages."""
    story = make_story(title="Nettle fibre course", summary="nettle")
    make_story(title="Nettle fibre story", summary="nettle")

    def courses(query, request, *, region=None):
        found = Page.objects.filter(pk=story.pk).search(query)
        return SearchGroup(
            kind="courses",
            label="Courses",
            results=HitList(found, lambda page: SearchHit(title=page.title, url=page.url)),
            pages=Q(pk=story.pk),
        )

    with hooks.register_temporarily(SEARCH_RESULTS, courses):
        html = search(client, "nettle")

    facets = facet_counts(html)
    assert facets["Courses"] == 1 and facets["Pages"] == 1 and facets["Everything"] == 2
    assert sorted(result_titles(search(client, "nettle", kind="pages"))) == [
        "Nettle fibre course",
        "Nettle fibre story",
    ]  # without the hook, both are pages


@pytest.mark.parametrize(
    "query", ['"', 'cotton "jersey', "a & b | !c", "(((", ":*", "x" * 200, "cotton\x00jersey"]
)
def test_bad_queries_never_fail(client, query):
    ListingFactory(title="Cotton jersey offcuts")
    search(client, query)


def test_an_unknown_or_bad_page_number_shows_the_last_or_first_page(client):
    make_story(title="Hemp story", summary="hemp")
    assert result_titles(search(client, "hemp", page="99")) == ["Hemp story"]
    assert result_titles(search(client, "hemp", page="x")) == ["Hemp story"]


@pytest.mark.parametrize("count", [2, 12])
@pytest.mark.parametrize("kind", ["", "exchange", "pages"])
def test_query_count_does_not_grow_with_results(client, warm_query_count, count, kind):
    region = RegionFactory()
    for n in range(count):
        ListingFactory(title=f"Wool batch {n}")
        make_story(title=f"Wool story {n}", summary="wool", region=region)
        OrganisationFactory(name=f"Wool recycler {n}", description="wool")
    # The pages' search, a COUNT per kind (tests/cms/test_search.py), the hits shown: the
    # stories and the listings mixed, or those of one kind.
    at_most = {"": 10, "exchange": 8, "pages": 8}[kind]
    warm_query_count(client, reverse("search"), {"q": "wool", "kind": kind}, at_most=at_most)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="language stemming of PostgreSQL")
def test_italian_pages_are_stemmed_with_the_italian_configuration(client):
    italian = Locale.objects.get_or_create(language_code="it")[0]
    english = make_story(title="Textile recovery", summary="Recovering textiles")
    story = make_story(title="Recupero dei tessuti", summary="Tessuti riciclati a Prato")
    translation = story.copy_for_translation(italian, copy_parents=True)
    translation.save_revision().publish()
    english.copy_for_translation(italian, copy_parents=False).save_revision().publish()

    # English pages are stemmed as English: "recovered" finds "Recovering".
    assert "Textile recovery" in search(client, "recovered")
    # "tessuto" and "tessuti" share the Italian stem "tessut"; English stemming keeps them apart.
    html = client.get("/it/search/", {"q": "tessuto"}).content.decode()
    assert "Recupero dei tessuti" in html
