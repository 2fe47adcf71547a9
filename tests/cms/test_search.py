import pytest
from django.urls import reverse

from cms.highlight import highlight
from tests.cms.factories import make_story, make_technology, story_index
from tests.factories import OrganisationFactory, RegionFactory

pytestmark = pytest.mark.django_db


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
    assert "1 page found" in html


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

    html = search(client, q="wool", section="directory").content.decode()

    assert "Prato Wool Cluster" in html
    assert "Wool story" not in html
    assert "1 organisation found" in html


def test_empty_state_and_unknown_filter(client):
    html = search(client, q="zzyzx").content.decode()
    assert "Nothing matched your search." in html

    response = search(client, q="denim", section="no-such-section")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_drafts_are_not_found(client):
    make_story(title="Secret denim draft", summary="denim", live=False)

    assert "Secret denim draft" not in search(client, q="denim").content.decode()


def test_pagination(client):
    for n in range(12):
        make_story(title=f"Cotton story {n}", summary="cotton recycling")

    first = search(client, q="cotton").content.decode()
    second = search(client, q="cotton", page=2).content.decode()

    assert "12 pages found" in first
    assert first.count("Cotton story") == 10
    assert second.count("Cotton story") == 2
    assert 'rel="next"' in first


@pytest.mark.parametrize("count", [3, 12])
def test_query_count_does_not_grow_with_results(client, django_assert_max_num_queries, count):
    region = RegionFactory()
    for n in range(count):
        make_story(title=f"Polyester story {n}", summary="polyester", region=region)
        OrganisationFactory(name=f"Polyester recycler {n}", description="polyester")

    with django_assert_max_num_queries(24):
        response = search(client, q="polyester", region=region.slug)
    assert response.status_code == 200
