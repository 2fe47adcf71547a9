"""Signed tokens of the newsletter e-mails: confirming a subscription (double opt-in).

Unsubscribing uses the site's one token (cms.notifications.links); the old unsubscribe token
below is only read, for links in issues sent before that."""

from django.core import signing

CONFIRM_SALT = "newsletters.confirm"
UNSUBSCRIBE_SALT = "newsletters.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600  # a confirmation link works for a week


def confirm_token(*, email, region_ids):
    return signing.dumps({"e": email, "r": sorted(region_ids)}, salt=CONFIRM_SALT)


def read_confirm_token(token):
    """(email, region ids) of a valid token; raises signing.BadSignature (or SignatureExpired)."""
    data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    return data["e"], data["r"]


def read_legacy_unsubscribe_token(token):
    """The subscription id of an old unsubscribe link; raises signing.BadSignature."""
    return int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
