"""What visitors see on the Virtual Centre's pages, and how many queries each one costs."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail import hooks
from wagtail.hooks import search_for_hooks

from cms.hooks import HOME_PANELS, SECTION_PANELS, HomePanel
from tests.cms import factories as f
from tests.factories import OrganisationFactory, RegionFactory

pytestmark = pytest.mark.django_db


def get(client, page_or_url, **params):
    url = page_or_url if isinstance(page_or_url, str) else page_or_url.url
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_story_page_shows_every_field(client, site_tree):
    mill = OrganisationFactory(name="Tessitura Bisenzio")
    topic = f.TopicFactory(name="Mechanical recycling", slug="mechanical-recycling")
    story = f.story(
        site_tree["stories"],
        title="From selvedges to carded yarn",
        kind="pilot_case",
        relations={"organisations": [mill], "topics": [topic]},
    )
    html = get(client, story)
    assert "From selvedges to carded yarn" in html
    assert "Pilot case" in html
    assert f'href="{mill.get_absolute_url()}"' in html
    assert "Thirty tonnes of selvedges" in html and "A recycler tears" in html
    assert "wool diverted a year" in html and ">28<" in html
    assert "Mechanical recycling" in html
    assert story.region.name in html


def test_technology_page_shows_labels_of_taxonomy_codes(client, site_tree):
    developer = OrganisationFactory(name="Institute of Fibre Technology")
    page = f.technology(site_tree["technologies"], developer=developer, readiness_level=7)
    html = get(client, page)
    assert f'href="{developer.get_absolute_url()}"' in html
    assert "TRL 7" in html and "System prototype demonstration" in html
    assert "polyester" in html and "flax (linen)" in html
    assert "20 01 11" in html and "textiles (separately collected municipal fractions)" in html
    assert "Automated sorting (NIR, hyperspectral)" in html


def test_research_newsletter_and_legislation_pages(client, site_tree):
    lab = OrganisationFactory(name="Biella Wool Lab")
    paper = f.research(site_tree["research"], creator_organisation=lab)
    html = get(client, paper)
    assert 'href="https://doi.org/10.1016/j.resconrec.2020.105012"' in html
    assert 'href="https://example.org/nowak"' in html and lab.get_absolute_url() in html

    issue = f.newsletter(site_tree["newsletters"], issue_number="18")
    html = get(client, issue)
    assert issue.creator.get_absolute_url() in html and "Issue 18" in html

    law = f.legislation(site_tree["legislation"])
    html = get(client, law)
    assert "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32008L0098" in html
    assert "Directive 2008/98/EC" in html and "In force" in html


def test_section_index_filters_by_region_topic_and_year(client, site_tree):
    prato, lodz = RegionFactory(slug="prato"), RegionFactory(slug="lodzkie")
    epr = f.TopicFactory(slug="epr", name="EPR")
    f.story(site_tree["stories"], title="Prato 2024", region=prato, date=datetime.date(2024, 5, 1))
    f.story(
        site_tree["stories"],
        title="Prato 2025 EPR",
        region=prato,
        date=datetime.date(2025, 5, 1),
        relations={"topics": [epr]},
    )
    f.story(site_tree["stories"], title="Lodz 2025", region=lodz, date=datetime.date(2025, 6, 1))
    stories = site_tree["stories"]

    html = get(client, stories)
    assert all(title in html for title in ("Prato 2024", "Prato 2025 EPR", "Lodz 2025"))
    html = get(client, stories, region="prato")
    assert "Prato 2024" in html and "Lodz 2025" not in html
    html = get(client, stories, region="prato", year="2025")
    assert "Prato 2025 EPR" in html and "Prato 2024" not in html
    html = get(client, stories, topic="epr")
    assert "Prato 2025 EPR" in html and "Lodz 2025" not in html
    # Unknown values are refused by the form: the listing stays complete and says why.
    html = get(client, stories, region="atlantis")
    assert "Select a valid choice" in html and "Lodz 2025" in html


def test_section_index_filter_choices_are_kept_and_new_ones_show_at_once(client, site_tree):
    """The regions, topics and years offered are read once and kept until their table is
    written (cms.widgets.keep_choices, cms/tablecache.py): a new region, topic or year is
    offered on the next view; a value chosen is still validated and shown selected."""
    stories = site_tree["stories"]
    f.story(stories, title="Prato 2024", date=datetime.date(2024, 5, 1))
    get(client, stories)
    with CaptureQueriesContext(connection) as captured:
        html = get(client, stories)
    read = " ".join(query["sql"] for query in captured.captured_queries)
    assert 'FROM "directory_region"' not in read and 'FROM "cms_topic" ORDER' not in read
    assert '<option value="2024">2024</option>' in html

    RegionFactory(slug="prato", name="Prato")
    f.TopicFactory(slug="epr", name="EPR")
    f.story(stories, title="Lodz 2022", date=datetime.date(2022, 6, 1))
    html = get(client, stories)
    assert '<option value="prato">Prato</option>' in html
    assert '<option value="epr">EPR</option>' in html
    assert '<option value="2022">2022</option>' in html
    html = get(client, stories, region="prato", topic="epr")
    assert '<option value="prato" selected>Prato</option>' in html
    assert "Select a valid choice" in get(client, stories, region="atlantis")


def test_section_index_paginates(client, site_tree):
    for n in range(14):
        f.story(
            site_tree["stories"], title=f"Story number {n:02d}", date=datetime.date(2025, 1, n + 1)
        )
    first = get(client, site_tree["stories"])
    second = get(client, site_tree["stories"], page=2)
    assert "Story number 13" in first and "Story number 00" not in first
    assert "Story number 00" in second and 'rel="prev"' in second


def test_resources_index_and_panel_sections_render_without_apps(client, site_tree, monkeypatch):
    # As on a site where forum/ and courses/ register nothing for their sections.
    search_for_hooks()
    monkeypatch.setitem(hooks._hooks, SECTION_PANELS, [])
    html = get(client, site_tree["resources"])
    for title in (
        "Pilot cases and success stories",
        "Forum and working groups",
        "Training modules",
        "Legislation",
    ):
        assert title in html
    html = get(client, site_tree["working-groups"])
    assert "Nothing is listed in this section yet." in html


def test_panel_sections_render_what_the_apps_register(client, site_tree):
    def training_panel(section, request):
        if section == "training":
            return HomePanel(title="Course catalogue", template="cms/includes/cms_css.html")
        return None

    with hooks.register_temporarily(SECTION_PANELS, training_panel):
        html = get(client, site_tree["training"])
        assert 'aria-label="Course catalogue"' in html
        html = get(client, site_tree["working-groups"])
        assert "Course catalogue" not in html


def test_home_page_shows_stories_events_calls_and_app_panels(client, site_tree):
    f.story(site_tree["stories"], title="Newest story", date=datetime.date(2025, 9, 1))
    f.event(site_tree["events"], title="Circularity Days", days=5)
    f.event(site_tree["events"], title="Last year's meeting", days=-300)
    f.funding_call(site_tree["funding"], title="Open call for SMEs", days=20)
    f.funding_call(site_tree["funding"], title="Closed call", days=-20)

    def panel(request):
        return HomePanel(title="Featured courses", template="cms/includes/cms_css.html")

    with hooks.register_temporarily(HOME_PANELS, panel):
        html = get(client, "/")
    assert "Newest story" in html and "Circularity Days" in html and "Open call for SMEs" in html
    assert "Last year&#x27;s meeting" not in html and "Closed call" not in html
    assert 'aria-label="Featured courses"' in html


def test_events_upcoming_and_past_and_time_zone(client, site_tree):
    start = datetime.datetime(2030, 3, 5, 8, 0, tzinfo=datetime.UTC)
    f.event(
        site_tree["events"],
        title="Nonwovens workshop",
        start=start,
        end=start + datetime.timedelta(hours=6),
        time_zone="Europe/Prague",
    )
    f.event(site_tree["events"], title="Past meeting", days=-40)
    html = get(client, site_tree["events"])
    assert "Nonwovens workshop" in html and "Past meeting" not in html
    assert "09:00" in html  # 08:00 UTC shown in Prague time (CET)
    html = get(client, site_tree["events"], when="past")
    assert "Past meeting" in html and "Nonwovens workshop" not in html


def test_ical_export_per_event_and_for_the_calendar(client, site_tree):
    start = datetime.datetime(2030, 3, 5, 8, 0, tzinfo=datetime.UTC)
    event = f.event(
        site_tree["events"],
        title="Nonwovens workshop",
        start=start,
        end=start + datetime.timedelta(hours=6),
        time_zone="Europe/Prague",
    )
    f.event(
        site_tree["events"],
        title="Webinar on EPR",
        is_online=True,
        online_url="https://meet.example.org/x",
        city="",
    )
    response = client.get(event.ical_url)
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "SUMMARY:Nonwovens workshop" in body
    assert "DTSTART;TZID=Europe/Prague:20300305T090000" in body
    assert "BEGIN:VTIMEZONE" in body
    calendar = client.get(site_tree["events"].ical_url).content.decode()
    assert calendar.count("BEGIN:VEVENT") == 2 and "LOCATION:https://meet.example.org/x" in calendar


def test_funding_calls_open_first_and_closed_marked(client, site_tree):
    f.funding_call(site_tree["funding"], title="Closed regional fund", days=-10)
    f.funding_call(site_tree["funding"], title="Open LIFE call", days=50)
    html = get(client, site_tree["funding"])
    assert html.index("Open LIFE call") < html.index("Closed regional fund")
    closed_item = html[html.index("Closed regional fund") :][:300]
    assert "Closed" in closed_item


def test_organisation_page_lists_everything_linked_to_it(client, site_tree):
    organisation = OrganisationFactory(name="Rigenera Lane")
    f.story(
        site_tree["stories"], title="Wool loop story", relations={"organisations": [organisation]}
    )
    f.technology(site_tree["technologies"], title="Tearing and carding", developer=organisation)
    f.research(
        site_tree["research"], title="Regenerated wool paper", creator_organisation=organisation
    )
    f.newsletter(site_tree["newsletters"], title="Prato news", creator=organisation)
    f.event(site_tree["events"], title="Open day at the mill", organiser=organisation)
    f.funding_call(site_tree["funding"], title="Recycler fund", funder=organisation)
    f.story(site_tree["stories"], title="Someone else's story")
    html = get(client, organisation.get_absolute_url())
    for title in (
        "Wool loop story",
        "Tearing and carding",
        "Regenerated wool paper",
        "Prato news",
        "Open day at the mill",
        "Recycler fund",
    ):
        assert title in html, title
    assert "Someone else" not in html


# Query counts ---------------------------------------------------------------------------------
def _fill(site_tree, n):
    organisation = OrganisationFactory()
    topic = f.TopicFactory()
    for _ in range(n):
        f.story(
            site_tree["stories"], relations={"organisations": [organisation], "topics": [topic]}
        )
        f.technology(
            site_tree["technologies"], developer=organisation, relations={"topics": [topic]}
        )
        f.research(site_tree["research"], creator_organisation=organisation)
        f.newsletter(site_tree["newsletters"], creator=organisation)
        f.legislation(site_tree["legislation"], relations={"organisations": [organisation]})
        f.event(site_tree["events"], organiser=organisation)
        f.funding_call(site_tree["funding"], funder=organisation, days=5)
        f.funding_call(site_tree["funding"], funder=organisation, days=-5)
    return organisation


def _urls(site_tree, organisation):
    from cms.models import LegislationPage, StoryPage, TechnologyPage

    return {
        "home": "/",
        "resources": site_tree["resources"].url,
        **{
            slug: site_tree[slug].url
            for slug in (
                "stories",
                "working-groups",
                "training",
                "technologies",
                "research",
                "newsletters",
                "legislation",
            )
        },
        "events": site_tree["events"].url,
        "past events": site_tree["events"].url + "?when=past",
        "funding": site_tree["funding"].url,
        "story": StoryPage.objects.last().url,
        "technology": TechnologyPage.objects.last().url,
        "legislation page": LegislationPage.objects.last().url,
        "event": site_tree["events"].get_children().last().url,
        "directory": "/directory/",
        "organisation": organisation.get_absolute_url(),
    }


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


MAX_QUERIES = 30


@pytest.fixture
def only_core_hooks(monkeypatch):
    """The apps pin the queries of their own hooks; here only the core's count."""
    from wagtail.hooks import _hooks

    from cms.hooks import HOME_PANELS, IMPACT_FIGURES, ORGANISATION_LINKS, SECTION_PANELS

    for name in (HOME_PANELS, IMPACT_FIGURES, ORGANISATION_LINKS, SECTION_PANELS):
        core = [
            (fn, order) for fn, order in _hooks.get(name, []) if fn.__module__.startswith("cms")
        ]
        monkeypatch.setitem(_hooks, name, core)


def test_query_counts_do_not_grow_with_the_number_of_pages(
    client, site_tree, only_core_hooks, django_assert_max_num_queries
):
    organisation = _fill(site_tree, 2)
    urls = _urls(site_tree, organisation)
    for url in urls.values():
        client.get(url)  # warm caches (site root paths, content types)
    few = {name: _count(client, url) for name, url in urls.items()}
    _fill(site_tree, 6)
    urls = _urls(site_tree, organisation)
    for name, url in urls.items():
        with django_assert_max_num_queries(MAX_QUERIES, info=name):
            assert client.get(url).status_code == 200
        assert _count(client, url) <= few[name], (name, few[name])


def test_pages_behind_a_view_restriction_stay_out_of_listings(client, site_tree):
    from wagtail.models import PageViewRestriction

    f.story(site_tree["stories"], title="Public story")
    hidden = f.story(site_tree["stories"], title="Members-only story")
    assert "Members-only story" in get(client, site_tree["stories"])
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    html = get(client, site_tree["stories"])
    assert "Public story" in html and "Members-only story" not in html


def test_a_restricted_page_moved_elsewhere_stays_out_of_listings(client, site_tree):
    # The restricted paths are cached (cms/models/listing.py); a move changes the page's path.
    from wagtail.models import PageViewRestriction

    public = f.story(site_tree["stories"], title="Public story")
    hidden = f.story(site_tree["stories"], title="Members-only story")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    assert "Members-only story" not in get(client, site_tree["stories"])  # paths cached
    hidden.move(public, pos="last-child")
    html = get(client, site_tree["stories"])
    assert "Public story" in html and "Members-only story" not in html
