"""A regional editor's first visit to the admin: allauth asks them to set up an authenticator
app (password first), shows the recovery codes, and asks for a code before the admin opens;
the next sign-in asks for the password and a code. Every page is scanned by axe."""

import re

from playwright.sync_api import expect

from cms.accounts import roles
from tests.browser.two_factor import current_code, enter_code
from tests.factories import PASSWORD, UserFactory


def test_editor_sets_up_two_factor_before_the_admin_opens(page, live_server, screenshot):
    page.emulate_media(reduced_motion="reduce")
    editor = UserFactory(display_name="Ewa Editor", roles=[roles.REGIONAL_EDITOR])

    page.goto(live_server.url + "/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/admin/"))
    page.get_by_label("Email").fill(editor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    # No authenticator yet: the admin sends the editor to set one up; allauth first asks for
    # the password again.
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    expect(page.get_by_text("needs two-factor authentication")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Activate Authenticator App")).to_be_visible()
    screenshot(page, "two-factor-activate")
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(current_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()

    # Signed in with the password alone: the admin asks for a code once.
    page.goto(live_server.url + "/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/reauthenticate/"))
    enter_code(page, secret)
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()

    # Next time: password, then a code.
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/?next=/admin/account/")
    page.get_by_label("Email").fill(editor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    screenshot(page, "two-factor-sign-in")
    enter_code(page, secret)
    expect(page).to_have_url(re.compile(r"/admin/account/$"))
