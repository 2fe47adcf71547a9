"""A regional editor records the quarter's social-media posts from a CSV export, and reads the
dissemination dashboard of their region: page views (a visitor who came through a share link
included), media coverage and social media against the targets; another region's dashboard is
refused. Every page is scanned with axe (conftest)."""

import re

from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from cms.analytics.models import MediaCoverage, OutputTarget, SocialPost
from cms.services import regional_editing_setup, user_add_to_region_editors
from tests.cms.factories import make_story
from tests.factories import RegionFactory, UserFactory

VISITOR = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/140.0"


def test_editor_imports_posts_and_reads_the_dashboard(page, live_server, screenshot, tmp_path):
    lodz = RegionFactory(name="Łódzkie", slug="lodzkie-dissemination")
    prato = RegionFactory(name="Prato", slug="prato-dissemination")
    regional_editing_setup()
    lodz.refresh_from_db()
    story = make_story(title="Łódź sorting pilot diverts 1,200 tonnes", region=lodz)
    today = timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    MediaCoverage.objects.create(
        region=lodz,
        date=today,
        outlet="Dziennik Łódzki",
        media_type="press",
        title="Sorting pilot in Łódź",
        reach=40_000,
    )
    MediaCoverage.objects.create(
        region=prato, date=today, outlet="La Nazione", media_type="press", title="Prato", reach=1
    )
    OutputTarget.objects.create(
        region=lodz, year=year, quarter=quarter, indicator="social_reach", target=4000
    )

    # A visitor arrives through a LinkedIn share link of the story (in a browser that does not
    # call itself headless: robots are not counted).
    visitor = page.context.browser.new_context(user_agent=VISITOR)
    story_page = visitor.new_page()
    story_page.goto(
        f"{live_server.url}{story.url}?utm_source=linkedin&utm_medium=social&utm_campaign=share"
    )
    expect(story_page.get_by_role("navigation", name="Share this page")).to_be_visible()
    visitor.close()

    editor = UserFactory()
    user_add_to_region_editors(user=editor, region=lodz)
    client = Client()
    client.force_login(editor)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    export = tmp_path / "linkedin.csv"
    export.write_text(
        "date,network,reach,engagement,link,summary\n"
        f"{today.isoformat()},linkedin,1500,120,https://linkedin.com/p/1,Pilot results\n"
        f"{today.isoformat()},facebook,500,30,https://facebook.com/p/2,Open day\n",
        encoding="utf-8",
    )
    page.goto(live_server.url + "/admin/reports/dissemination/social-import/")
    page.get_by_label("Region").select_option(label="Łódzkie")
    page.get_by_label("CSV file").set_input_files(str(export))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("2 posts imported")).to_be_visible()
    assert SocialPost.objects.filter(region=lodz).count() == 2

    page.goto(live_server.url + "/admin/reports/dissemination/dashboard/")
    expect(page.get_by_role("heading", name="Output indicators")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Social-media reach"))
    expect(row).to_contain_text("2000")
    expect(row).to_contain_text("50 %")
    expect(page.get_by_role("img", name=re.compile("Share of each target"))).to_be_visible()
    expect(page.get_by_text("Dziennik Łódzki")).to_be_visible()
    expect(page.get_by_text("La Nazione")).to_have_count(0)
    expect(page.get_by_role("cell", name="linkedin / social / share")).to_be_visible()
    expect(page.get_by_role("link", name="Download the PDF report")).to_be_visible()
    screenshot(page, "dissemination-dashboard")

    # Another region's dashboard: refused, back to the admin's home.
    page.goto(f"{live_server.url}/admin/reports/dissemination/dashboard/?region={prato.pk}")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_text("La Nazione")).to_have_count(0)
