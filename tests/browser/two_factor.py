"""Browser journeys into the admin complete the second factor as a person would: the code an
authenticator app shows for the account's secret."""

import time

from allauth.mfa import app_settings

from cms.accounts.two_factor import totp_current_code

_used = set()


# A code with less than this many seconds left in its period waits for the next one, as a person
# does when the app's countdown is nearly out: on a loaded machine the form may reach the server
# after the period has turned, and allauth accepts the current period's code only.
MARGIN_SECONDS = 5


def current_code(secret):
    """The code for ``secret`` now; allauth accepts each code once, so a code already used by an
    earlier step waits for the next period."""
    period = app_settings.TOTP_PERIOD
    while (secret, int(time.time()) // period) in _used or (
        period - time.time() % period < MARGIN_SECONDS
    ):
        time.sleep(0.5)
    _used.add((secret, int(time.time()) // period))
    return totp_current_code(secret)


def enter_code(page, secret):
    """On allauth's two-factor page (after the password, or before the admin), type the code."""
    page.get_by_label("Code").fill(current_code(secret))
    page.locator("main").get_by_role("button", name="Sign In").or_(
        page.locator("main").get_by_role("button", name="Confirm")
    ).first.click()
