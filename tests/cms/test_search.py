import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from cms.highlight import highlight
from tests.cms.factories import make_story, make_technology, story_index, technology_index
from tests.cms.searching import facet_counts, result_titles
from tests.factories import OrganisationFactory, RegionFactory

pytestmark = pytest.mark.django_db


# Queries of a search once the site's kept values are read (tests/conftest.py warm_query_count):
# the pages' search, a COUNT per kind (organisations, opportunities, experts, listings, courses,
# lessons, forum posts), the pages shown (one query per page type). A region chosen is read.
QUERIES = 9
QUERIES_WITH_REGION = 10


def search(client, **params):
    return client.get(reverse("search"), params)


def test_finds_pages_and_organisations_with_highlighted_snippets(client):
    make_story(title="Sorting post-consumer denim", summary="Automated denim sorting in Łódź.")
    make_story(title="Wool reprocessing", summary="Carded wool from old coats.")
    OrganisationFactory(name="Denim Loop Recyclers", description="We recycle denim into yarn.")

    response = search(client, q="denim")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Sorting post-consumer denim" in html
    assert "Wool reprocessing" not in html
    assert "Automated <mark>denim</mark> sorting" in html
    assert "Denim Loop Recyclers" in html
    assert "2 results for “denim”" in html
    facets = facet_counts(html)
    assert facets["Everything"] == 2
    assert facets["Pages"] == 1
    assert facets["Pilot cases and success stories"] == 1
    assert facets["Organisations"] == 1


def test_snippets_escape_html_from_content(client):
    make_story(title="Unsafe summary", summary="<script>alert(1)</script> denim & cotton")

    html = search(client, q="denim").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "<mark>denim</mark> &amp; cotton" in html


def test_highlight_never_breaks_entities():
    assert str(highlight("fish & chips", "amp")) == "fish &amp; chips"
    assert str(highlight("Cotton <b>blend</b>", "cotton")) == "<mark>Cotton</mark> blend"


def test_filters_by_section_and_region(client):
    lodz, prato = RegionFactory(), RegionFactory()
    make_story(title="Denim story Lodz", summary="denim", region=lodz)
    make_story(title="Denim story Prato", summary="denim", region=prato)
    make_technology(title="Denim technology", summary="denim", region=lodz)

    by_section = search(client, q="denim", section=story_index().slug).content.decode()
    assert "Denim story Lodz" in by_section and "Denim story Prato" in by_section
    assert "Denim technology" not in by_section

    by_region = search(client, q="denim", region=lodz.slug).content.decode()
    assert "Denim story Lodz" in by_region and "Denim technology" in by_region
    assert "Denim story Prato" not in by_region


def test_directory_section_lists_only_organisations(client):
    OrganisationFactory(name="Prato Wool Cluster", description="Wool recycling since 1850.")
    make_story(title="Wool story", summary="wool")

    html = search(client, q="wool", section="directory").content.decode()  # an old link

    assert "Prato Wool Cluster" in html
    assert "Wool story" not in html
    assert "1 result in Organisations for “wool”" in html

    assert search(client, q="wool", kind="organisations").content.decode().count("<h3>") == 1


def test_empty_state_and_unknown_filter(client):
    html = search(client, q="zzyzx").content.decode()
    assert "Nothing matched your search." in html

    response = search(client, q="denim", section="no-such-section")
    assert response.status_code == 200
    assert "There is no such kind of result" in response.content.decode()


def test_drafts_are_not_found(client):
    make_story(title="Secret denim draft", summary="denim", live=False)

    assert "Secret denim draft" not in search(client, q="denim").content.decode()


def test_pagination(client):
    for n in range(12):
        make_story(title=f"Cotton story {n}", summary="cotton recycling")

    first = search(client, q="cotton").content.decode()
    second = search(client, q="cotton", page=2).content.decode()

    assert "12 results for “cotton”" in first
    assert first.count("Cotton story") == 10
    assert second.count("Cotton story") == 2
    assert 'rel="next"' in first


@pytest.mark.parametrize("count", [3, 12])
def test_query_count_does_not_grow_with_results(client, warm_query_count, count):
    region = RegionFactory()
    for n in range(count):
        make_story(title=f"Polyester story {n}", summary="polyester", region=region)
        OrganisationFactory(name=f"Polyester recycler {n}", description="polyester")

    url, params = reverse("search"), {"q": "polyester", "region": region.slug}
    warm_query_count(client, url, params, at_most=QUERIES_WITH_REGION)


@pytest.mark.parametrize("count", [2, 6])
def test_sections_are_counted_from_one_search(client, warm_query_count, count):
    """Every section with matches gets its count and its own list, the Pages facet all of
    them, from one search of the pages (cms/search/pages.py): the queries stay the same
    whatever the number of sections with matches and of matches in each; a private page is
    neither counted nor listed."""
    for n in range(count):
        make_story(title=f"Flax story {n}", summary="flax scutching")
        make_technology(title=f"Flax technology {n}", summary="flax scutching")
    private = make_story(title="Flax private story", summary="flax scutching")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="linen"
    )

    warm_query_count(client, reverse("search"), {"q": "flax"}, at_most=QUERIES)
    html = search(client, q="flax").content.decode()
    facets = facet_counts(html)
    assert facets["Pilot cases and success stories"] == count
    assert facets["Technological solutions"] == count
    assert facets["Pages"] == facets["Everything"] == 2 * count
    assert "Flax private story" not in html
    technologies = search(client, q="flax", kind=technology_index().slug).content.decode()
    assert sorted(result_titles(technologies)) == [f"Flax technology {n}" for n in range(count)]
    assert f"{count} result" in technologies


def test_sections_and_regions_kept_between_searches_change_with_the_pages(client):
    """The sections (facets) and the regions of the form are kept in the cache between
    searches (cms/tablecache.py); a section added, renamed or made private and a region added
    show at the very next search."""
    make_story(title="Jute story", summary="jute")
    RegionFactory(name="Łódzkie", slug="lodzkie")
    for _visit in range(2):
        html = search(client, q="jute").content.decode()
    assert "Technological solutions" not in facet_counts(html)
    assert ">Łódzkie</option>" in html and ">Prato</option>" not in html

    make_technology(title="Jute technology", summary="jute")
    RegionFactory(name="Prato", slug="prato")
    html = search(client, q="jute").content.decode()
    assert facet_counts(html)["Technological solutions"] == 1
    assert ">Prato</option>" in html

    index = technology_index()
    index.title = "Fibre machines"
    index.save_revision().publish()
    html = search(client, q="jute").content.decode()
    assert facet_counts(html)["Fibre machines"] == 1
    assert "Technological solutions" not in facet_counts(html)

    PageViewRestriction.objects.create(
        page=index, restriction_type=PageViewRestriction.PASSWORD, password="jute"
    )
    facets = facet_counts(search(client, q="jute").content.decode())
    assert "Fibre machines" not in facets and facets["Pilot cases and success stories"] == 1
