import re

from django.core import mail
from playwright.sync_api import expect


def test_sign_up_verify_log_in_and_switch_to_polish(page, live_server, screenshot):
    page.goto(live_server.url + "/")
    screenshot(page, "home")
    page.get_by_role("link", name="Sign up").click()

    page.get_by_label("Email").fill("zofia@example.org")
    page.get_by_label("Display name").fill("Zofia Nowak")
    page.get_by_label("Password", exact=True).fill("recycled-fibre-2026")
    page.get_by_label("Password (again)").fill("recycled-fibre-2026")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    # Verify from the e-mail the site sent.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zofia@example.org"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link.replace("http://testserver", live_server.url))
    page.get_by_role("button", name="Confirm").click()

    page.get_by_label("Email").fill("zofia@example.org")
    page.get_by_label("Password").fill("recycled-fibre-2026")
    page.get_by_role("button", name="Sign In").click()

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_text("Successfully signed in as Zofia Nowak.")).to_be_visible()
    expect(page.locator("summary", has_text="Zofia Nowak")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Textile Virtual Centre")

    page.get_by_role("button", name="Polski").click()
    expect(page).to_have_url(live_server.url + "/pl/")
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(
        page.get_by_role("navigation", name="Główna").get_by_role("link", name="Szkolenia")
    ).to_be_visible()
