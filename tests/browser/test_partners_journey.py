"""Partner matching journeys: an SME finds a technology and registers interest, the developer
answers; a researcher posts a partner search tied to a funding call, a reviewer publishes it,
and a sorting company expresses interest, which the researcher shortlists."""

from playwright.sync_api import expect

from cms.partners.models import Interest, InterestState, Opportunity
from tests.browser.test_exchange_journey import sign_in
from tests.cms.factories import build_site_tree, funding_call, technology
from tests.exchange.factories import MembershipFactory
from tests.factories import UserFactory


def test_sme_registers_interest_in_a_technology_and_the_developer_answers(page, live_server):
    tree = build_site_tree()
    developer = MembershipFactory(organisation__name="Institute of Fibre Technology Łódź")
    technology(
        tree["technologies"],
        title="Hyperspectral NIR sorting line",
        developer=developer.organisation,
        readiness_level=8,
        fibres=["cotton", "polyester"],
        processes=["sorting_automated"],
        publish=True,
    )
    technology(
        tree["technologies"], title="Glycolysis of polyester", fibres=["polyester"], publish=True
    )
    sme = MembershipFactory(organisation__name="Widzew Knitwear")

    sign_in(page, live_server, sme.user.email)
    page.goto(live_server.url + tree["technologies"].url + "?fibre=cotton&trl=7")
    expect(page.get_by_role("link", name="Glycolysis of polyester")).to_have_count(0)
    page.get_by_role("link", name="Hyperspectral NIR sorting line").click()
    page.get_by_role("link", name="Request information or register interest").click()
    page.get_by_label("Your message").fill("Can we test 500 kg of our cotton knit waste?")
    page.get_by_role("button", name="Send expression of interest").click()
    expect(page.get_by_text("Your expression of interest was sent.")).to_be_visible()

    sign_in(page, live_server, developer.user.email)
    page.goto(live_server.url + "/partners/interests/")
    page.get_by_role("link", name="Widzew Knitwear").click()
    expect(page.get_by_text("Can we test 500 kg")).to_be_visible()
    page.get_by_label("Your message").fill("Yes: bring it on Tuesday, we run the line at 9.")
    page.get_by_role("button", name="Reply as Institute of Fibre Technology Łódź").click()
    expect(page.get_by_text("Message sent.")).to_be_visible()
    interest = Interest.objects.get()
    assert interest.technology.title == "Hyperspectral NIR sorting line"
    assert interest.messages.count() == 2


def test_researcher_posts_a_partner_search_for_a_call_and_receives_interest(page, live_server):
    tree = build_site_tree()
    call = funding_call(tree["funding"], title="Interreg CE: circular textiles", publish=True)
    researcher = MembershipFactory(organisation__name="Maribor Textile Research Centre")
    sorter = MembershipFactory(organisation__name="EcoSort Lombardia")
    reviewer = UserFactory(roles=["Moderator"])

    sign_in(page, live_server, researcher.user.email)
    page.goto(live_server.url + call.url)
    page.get_by_role("link", name="Post a partner search for this call").click()
    page.get_by_label("Title").fill("Partners for a fibre-to-fibre recycling pilot")
    page.get_by_label("Summary").fill("We look for a sorter and a spinner for our proposal.")
    page.get_by_label("Sorting", exact=True).check()
    page.get_by_label("Spinning", exact=True).check()
    page.get_by_role("button", name="Save and send for review").click()
    expect(page.get_by_text("Sent for review.")).to_be_visible()
    opportunity = Opportunity.objects.get()
    assert opportunity.funding_call_id == call.pk

    sign_in(page, live_server, reviewer.email)
    page.goto(live_server.url + "/partners/review/")
    page.get_by_role(
        "button", name="Publish “Partners for a fibre-to-fibre recycling pilot”"
    ).click()
    expect(page.get_by_text("is published")).to_be_visible()

    sign_in(page, live_server, sorter.user.email)
    page.goto(live_server.url + call.url)
    page.get_by_role("link", name="Partners for a fibre-to-fibre recycling pilot").click()
    page.get_by_role("link", name="Express interest").click()
    page.get_by_label("Your message").fill("We sort 12,000 t a year and can run the sorting work.")
    page.get_by_role("button", name="Send expression of interest").click()
    expect(page.get_by_text("Your expression of interest was sent.")).to_be_visible()

    sign_in(page, live_server, researcher.user.email)
    page.goto(live_server.url + "/partners/interests/")
    page.get_by_role("button", name="Shortlist EcoSort Lombardia").click()
    expect(page.get_by_role("cell", name="Shortlisted")).to_be_visible()
    assert Interest.objects.get().state == InterestState.SHORTLISTED
