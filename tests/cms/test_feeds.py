import re
import xml.etree.ElementTree as ET

import pytest
from django.template import RequestContext, Template
from django.urls import reverse
from wagtail.models import Locale

from tests.cms.factories import make_story, make_technology, story_index
from tests.courses.factories import CoursePageFactory, catalogue_page
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(content):
    return ET.fromstring(content)  # noqa: S314 - the site's own feed, not untrusted input


def rss_titles(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return [item.findtext("title") for item in parse(response.content).iter("item")]


def test_site_feed_lists_newest_content_pages(client):
    make_story(title="Older story")
    make_technology(title="Newer technology")
    make_story(title="Draft story", live=False)

    titles = rss_titles(client.get(reverse("feeds:all_rss")))

    assert titles == ["Newer technology", "Older story"]


def test_atom_feed_is_valid_atom_with_links(client):
    story = make_story(title="Denim to yarn", summary="Mechanical recycling of denim.")

    response = client.get(reverse("feeds:all_atom"))

    assert response["Content-Type"].startswith("application/atom+xml")
    entry = parse(response.content).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Denim to yarn"
    assert entry.find(f"{ATOM}link").get("href") == story.get_full_url()
    assert entry.findtext(f"{ATOM}summary") == "Mechanical recycling of denim."


def test_section_feed_only_lists_its_section(client):
    make_story(title="A story")
    make_technology(title="A technology")

    titles = rss_titles(client.get(reverse("feeds:section_rss", args=[story_index().slug])))

    assert titles == ["A story"]
    assert client.get(reverse("feeds:section_rss", args=["nope"])).status_code == 404


def test_region_feed_only_lists_its_region(client):
    lodz, prato = RegionFactory(), RegionFactory()
    make_story(title="Łódź story", region=lodz)
    make_technology(title="Łódź technology", region=lodz)
    make_story(title="Prato story", region=prato)

    titles = rss_titles(client.get(reverse("feeds:region_rss", args=[lodz.slug])))

    assert sorted(titles) == ["Łódź story", "Łódź technology"]
    assert client.get(reverse("feeds:region_atom", args=["nowhere"])).status_code == 404


@pytest.mark.parametrize("count", [2, 10])
def test_feed_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    region = RegionFactory()
    for _ in range(count):
        make_story(region=region)
    section_atom = reverse("feeds:section_atom", args=[story_index().slug])
    with django_assert_max_num_queries(14):
        client.get(reverse("feeds:region_rss", args=[region.slug]))
    with django_assert_max_num_queries(16):
        client.get(section_atom)


def render_head(rf, page):
    """The page head as base.html renders it (page templates belong to the vc part)."""
    request = rf.get(page.url)
    return Template("{% load theme_tags %}{% meta_tags %}").render(
        RequestContext(request, {"page": page, "request": request})
    )


def test_pages_advertise_feeds_and_open_graph(rf):
    story = make_story(title="Sorting in Prato", summary="Near-infrared sorting of wool.")

    html = render_head(rf, story)

    assert f'href="{reverse("feeds:section_rss", args=[story_index().slug])}"' in html
    assert f'href="{reverse("feeds:all_atom")}"' in html
    assert '<meta property="og:description" content="Near-infrared sorting of wool.">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:locale" content="en_GB">' in html
    assert f'<link rel="canonical" href="{story.get_full_url()}">' in html
    assert "hreflang" not in html  # no translations yet


def test_pages_served_by_their_url_advertise_their_section_feed(client):
    """Served through its URL, a page's head finds its section from the page types the route
    read on the way (cms.models.home.page_at): a story still advertises its section's feed; a
    course, below no section, only the site's feeds."""
    story = make_story(title="Sorting in Prato")
    section_feed = reverse("feeds:section_rss", args=[story_index().slug])
    assert f'href="{section_feed}"' in client.get(story.url).content.decode()

    course = CoursePageFactory(parent=catalogue_page())
    html = client.get(course.url).content.decode()
    assert f'href="{reverse("feeds:all_rss")}"' in html
    assert section_feed.split(story_index().slug)[0] not in html  # no section feed at all


def test_head_lists_translations_as_hreflang_alternates(rf):
    story = make_story(title="Denim")
    polish = story.copy_for_translation(Locale.objects.get(language_code="pl"), copy_parents=True)
    polish.save_revision().publish()

    html = render_head(rf, story)

    assert '<link rel="alternate" hreflang="en"' in html
    assert '<link rel="alternate" hreflang="x-default"' in html
    assert re.search(r'<link rel="alternate" hreflang="pl" href="http://[^"/]+/pl/', html)


def test_pages_served_by_their_url_list_their_live_translations(client):
    """The route tells the head whether a page has live translations (cms.models.home.page_at):
    none until the Polish one is published, then both languages."""
    story = make_story(title="Denim")
    assert "hreflang" not in client.get(story.url).content.decode()
    polish = story.copy_for_translation(Locale.objects.get(language_code="pl"), copy_parents=True)
    assert "hreflang" not in client.get(story.url).content.decode()  # a draft is not listed
    polish.save_revision().publish()

    html = client.get(story.url).content.decode()

    assert '<link rel="alternate" hreflang="en"' in html
    assert re.search(r'<link rel="alternate" hreflang="pl" href="http://[^"/]+/pl/', html)


def test_search_page_advertises_the_site_feed(client):
    html = client.get(reverse("search")).content.decode()
    assert 'type="application/rss+xml"' in html
    assert 'rel="canonical"' in html


def test_sitemap_lists_pages(client):
    story = make_story(title="In the sitemap")

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert story.get_full_url() in response.content.decode()
