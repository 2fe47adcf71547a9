"""Browser journeys into the admin complete the second factor as a person would: the code an
authenticator app shows for the account's secret."""

import time

from allauth.mfa import app_settings

from cms.accounts.two_factor import totp_current_code

_used = set()


def current_code(secret):
    """The code for ``secret`` now; allauth accepts each code once, so a code already used by an
    earlier step waits for the next period."""
    while (secret, int(time.time()) // app_settings.TOTP_PERIOD) in _used:
        time.sleep(0.5)
    _used.add((secret, int(time.time()) // app_settings.TOTP_PERIOD))
    return totp_current_code(secret)


def enter_code(page, secret):
    """On allauth's two-factor page (after the password, or before the admin), type the code."""
    page.get_by_label("Code").fill(current_code(secret))
    page.locator("main").get_by_role("button", name="Sign In").or_(
        page.locator("main").get_by_role("button", name="Confirm")
    ).first.click()
