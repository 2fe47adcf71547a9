import datetime
import re

import pytest
from django.core import mail
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from cms.analytics.models import PageView
from tests.cms.factories import make_story, make_technology, story_index
from tests.factories import OrganisationFactory, RegionFactory, UserFactory


def test_visitor_searches_filters_by_section_and_opens_a_story(page, live_server, screenshot):
    prato = RegionFactory(name="Prato", slug="prato-journey", nuts_code="ITI15")
    story = make_story(
        title="Carded wool from post-consumer coats",
        summary="A Prato mill turns sorted wool coats back into carded yarn.",
        region=prato,
    )
    make_technology(title="Wool fibre opener", summary="Opens wool rags into fibre.", region=prato)
    OrganisationFactory(name="Prato Wool Recyclers", description="Recycling wool since 1850.")
    section = story_index()

    page.goto(live_server.url + "/")
    page.get_by_role("search").first.get_by_role("searchbox").fill("wool")
    page.get_by_role("search").first.get_by_role("searchbox").press("Enter")
    expect(page.get_by_text("3 results for “wool”")).to_be_visible()
    expect(page.get_by_role("link", name="Prato Wool Recyclers")).to_be_visible()

    # The facets (a kind of result, a section of pages) with their counts.
    facets = page.get_by_role("navigation", name="Kinds of result")
    expect(facets.get_by_role("link", name="Organisations 1")).to_be_visible()
    facets.get_by_role("link", name=f"{section.title} 1").click()
    expect(page.get_by_text(f"1 result in {section.title} for “wool”")).to_be_visible()
    expect(page.get_by_role("link", name="Wool fibre opener")).to_have_count(0)
    expect(page.locator(".search-results mark").first).to_have_text(re.compile("wool", re.I))
    screenshot(page, "search-results")

    try:
        get_template("cms/story_page.html")
    except TemplateDoesNotExist:
        pytest.skip("The story page template comes with the Virtual Centre pages part")
    page.get_by_role("link", name=story.title).click()
    expect(page).to_have_url(re.compile(re.escape(story.url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(story.title)


def test_visitor_subscribes_and_confirms_then_editor_reads_the_report(
    page, live_server, screenshot
):
    RegionFactory(name="Łódzkie", slug="lodzkie-journey", nuts_code="PL71")

    page.goto(live_server.url + "/")
    panel = page.get_by_role("region", name="Regional newsletters")
    panel.get_by_label("Your e-mail address").fill("reader@example.org")
    panel.get_by_role("button", name="Choose regions").click()
    expect(page.get_by_label("Your e-mail address")).to_have_value("reader@example.org")
    page.get_by_label("Łódzkie").check()
    page.get_by_role("main").get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/newsletters/confirm/\S+/)", mail.outbox[0].body).group(1)
    page.goto(live_server.url + link)
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(page.get_by_role("heading", name="Subscription confirmed")).to_be_visible()
    expect(page.get_by_role("main").get_by_text("Łódzkie")).to_be_visible()

    # A regional editor reads the dissemination report in the admin.
    story = make_story(title="Łódź sorting pilot diverts 1,200 tonnes")
    for offset in range(30):
        day = timezone.localdate() - datetime.timedelta(days=offset)
        PageView.objects.create(page=story, day=day, views=8 + (offset * 7) % 13)
        PageView.objects.create(page=story_index(), day=day, views=3 + (offset * 5) % 7)
    editor = UserFactory(roles=["Regional editor"])
    client = Client()
    client.force_login(editor)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + "/admin/reports/dissemination/")
    expect(page.get_by_role("heading", name="Top pages")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Page views per day"))).to_be_visible()
    screenshot(page, "dissemination-report")
