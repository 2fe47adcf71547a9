"""A recycler posts a wanted listing, sees the top match and sends an inquiry; the producer
replies and proposes a deal, the recycler confirms it; only then the impact figure on the
exchange home goes up."""

from decimal import Decimal

from playwright.sync_api import expect

from exchange.models import Deal
from tests.exchange.factories import (
    ListingFactory,
    MembershipFactory,
    SiteFactory,
    VerifiedOrganisationFactory,
)
from tests.factories import PASSWORD


def sign_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("Successfully signed in")).to_be_visible()


def test_wanted_listing_match_inquiry_deal_and_impact(page, live_server, screenshot):
    producer_org = VerifiedOrganisationFactory(name="Štajerska Tekstil")
    producer_site = SiteFactory(
        organisation=producer_org,
        name="Cutting room",
        latitude=46.54,
        longitude=15.64,
        country="SI",
    )
    producer = MembershipFactory(organisation=producer_org).user
    ListingFactory(
        organisation=producer_org,
        site=producer_site,
        title="Polyester-cotton workwear cutting waste",
        quantity=Decimal("4"),
        unit="t",
        composition={"polyester": 65, "cotton": 35},
    )
    ListingFactory(
        organisation=producer_org,
        site=producer_site,
        title="Wool selvedges",
        waste_code="04 02 21",
        composition={"wool": 100},
    )
    recycler_org = VerifiedOrganisationFactory(name="Sächsische Faserverwertung", kind="recycler")
    SiteFactory(
        organisation=recycler_org,
        name="Tearing plant",
        latitude=50.85,
        longitude=12.93,
        country="DE",
    )
    recycler = MembershipFactory(organisation=recycler_org).user

    sign_in(page, live_server, recycler.email)
    page.goto(live_server.url + "/exchange/")
    expect(page.get_by_test_id("impact-tonnes")).to_have_text("0")
    screenshot(page, "exchange-browse")
    page.get_by_role("link", name="Post a wanted listing").click()

    page.get_by_label("Title").fill("Processing capacity: tearing polyester-cotton blends")
    page.get_by_label("Waste codes accepted").select_option("04 02 22")
    page.get_by_label("Fabric cuttings").check()
    page.get_by_label("Treatment").select_option("mechanical")
    page.get_by_label("Quantity", exact=True).fill("5")
    page.get_by_label("Unit", exact=True).select_option("t")
    page.get_by_label("Supply pattern").select_option("month")
    page.get_by_label("Location").select_option(label="Tearing plant (Łódź)")
    page.locator("select[name='composition-0-fibre']").select_option("polyester")
    page.locator("input[name='composition-0-percent']").fill("50")
    page.locator("select[name='composition-1-fibre']").select_option("cotton")
    page.locator("input[name='composition-1-percent']").fill("40")
    page.get_by_role("button", name="Save draft").click()
    # the server checks the composition adds up to 100
    expect(page.get_by_text("they must add up to 100%")).to_be_visible()
    page.locator("select[name='composition-2-fibre']").select_option("unknown")
    page.locator("input[name='composition-2-percent']").fill("10")
    # the buyer's fibre rule (wanted listings): at least half polyester
    page.locator("select[name='limits-0-fibre']").select_option("polyester")
    page.locator("input[name='limits-0-min_percent']").fill("50")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Listing saved.")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Listing published.")).to_be_visible()

    top = page.locator(".match-list .match").first
    expect(top).to_contain_text("Polyester-cotton workwear cutting waste")
    expect(top).to_contain_text("65% polyester (at least 50% wanted)")
    expect(page.locator(".match-list .match")).to_have_count(1)  # the wool is not wanted
    page.goto(live_server.url + "/exchange/matches/")
    expect(page.locator(".match").first).to_contain_text("km")
    screenshot(page, "exchange-matches")
    page.locator(".match-offer").first.click()
    page.get_by_label("Message").fill("We can tear your cuttings. Could we collect 3 t next month?")
    page.get_by_role("button", name="Send inquiry").click()
    expect(page.get_by_text("Inquiry sent.")).to_be_visible()
    expect(page.get_by_text(recycler.email)).to_have_count(0)

    sign_in(page, live_server, producer.email)
    page.goto(live_server.url + "/exchange/inquiries/")
    page.get_by_role("link", name="Polyester-cotton workwear cutting waste").click()
    expect(page.get_by_text("Could we collect 3 t next month?")).to_be_visible()
    page.get_by_label("Message").fill("Yes, the cuttings are baled and ready on Tuesdays.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Message sent.")).to_be_visible()
    page.get_by_label("Quantity exchanged").fill("3")
    page.get_by_role("button", name="Propose deal").click()
    expect(page.get_by_text("it counts once the other side confirms it")).to_be_visible()
    expect(page.get_by_text("4 t remain on the listing.")).to_be_visible()
    page.goto(live_server.url + "/exchange/")
    expect(page.get_by_test_id("impact-tonnes")).to_have_text("0")

    # the recycler confirms: only now the quantity goes down and the tonnes count
    sign_in(page, live_server, recycler.email)
    page.goto(live_server.url + "/exchange/inquiries/")
    page.get_by_role("link", name="Polyester-cotton workwear cutting waste").click()
    page.get_by_role("button", name="Confirm deal").click()
    expect(page.get_by_text("Deal confirmed.")).to_be_visible()
    expect(page.get_by_text("1 t remain on the listing.")).to_be_visible()
    assert Deal.objects.get().tonnes == 3

    page.goto(live_server.url + "/exchange/")
    expect(page.get_by_test_id("impact-tonnes")).to_have_text("3")

    # the map, linked from the top of the page: self-hosted Leaflet, no tiles in tests; the
    # producer's two listings at one site cluster, the recycler's stands alone
    page.get_by_role("link", name="Map view").click()
    expect(page.get_by_role("heading", name="3 listings on the map")).to_be_visible()
    expect(page.locator("#exchange-map .marker-cluster")).to_have_text("2")
    expect(page.locator("#exchange-map .exchange-marker")).to_have_count(1)
    page.locator("#exchange-map .marker-cluster").click()  # zooms in or spreads them out
    expect(page.locator("#exchange-map .exchange-marker")).to_have_count(3)
    screenshot(page, "exchange-map")
    # the same listings as a list, reached from the skip link by keyboard
    page.get_by_role("link", name="Skip the map").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#map-list li")).to_have_count(3)
    page.locator("#map-list").get_by_role("link", name="Wool selvedges").click()
    expect(page.get_by_role("heading", name="Wool selvedges")).to_be_visible()


def test_csv_import_with_semicolons_preview_then_import(page, live_server, tmp_path):
    organisation = VerifiedOrganisationFactory(name="Filati Pratesi")
    SiteFactory(organisation=organisation, name="Magazzino", country="IT")
    member = MembershipFactory(organisation=organisation).user
    upload = tmp_path / "annunci.csv"
    upload.write_text(
        "reference;kind;title;waste_code;composition;form;quantity;unit;site;price_type\n"
        "PR-1;offer;Cimose di lana;04 02 21;wool:100;fabric_cuttings;1,5;t;Magazzino;free\n"
        "PR-2;offer;Ritagli di cotone;04 02 22;cotton:90;fabric_cuttings;800;kg;Magazzino;free\n",
        encoding="utf-8",
    )
    sign_in(page, live_server, member.email)
    page.goto(live_server.url + "/exchange/import/")
    page.get_by_label("CSV file").set_input_files(upload)
    page.get_by_role("button", name="Check file").click()
    # the check runs in the background; the page shows its result once done
    expect(page.get_by_role("heading", name="nothing was saved")).to_be_visible()
    expect(page.get_by_text("add up to 90%")).to_be_visible()
    upload.write_text(upload.read_text().replace("cotton:90", "cotton:100"), encoding="utf-8")
    page.get_by_role("link", name="Upload a corrected file").click()
    page.get_by_label("CSV file").set_input_files(upload)
    page.get_by_role("button", name="Check file").click()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    page.get_by_role("button", name="Import 2 listings").click()
    expect(page.get_by_text("2 draft listings added")).to_be_visible()
    page.get_by_role("link", name="See your listings").click()
    expect(page.get_by_text("Cimose di lana")).to_be_visible()
