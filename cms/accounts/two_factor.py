"""Two-factor authentication (allauth.mfa): who must use it, and the demo's TOTP helpers.

Regional editors, Moderators, Training providers, Administrators and anyone else who may enter
the Wagtail or Django admin must have signed in with a second factor before the admin opens
(cms.accounts.middleware.AdminTwoFactorMiddleware). Everyone else may turn it on in
/accounts/2fa/."""

import time

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt, is_mfa_enabled

from . import roles

# The admin areas guarded by the second factor.
ADMIN_PATH_PREFIXES = ("/admin/", "/django-admin/")


def user_requires_two_factor(user):
    """True for people who may work in an admin: staff, superusers and the editing roles."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    if user.groups.filter(name__in=roles.ADMIN_ROLES).exists():
        return True
    return user.has_perm("wagtailadmin.access_admin")


def session_passed_two_factor(request):
    """Whether this session's sign-in (or a later re-authentication) used a second factor."""
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


def user_has_two_factor(user):
    return is_mfa_enabled(user)


def totp_current_code(secret, *, at=None):
    """The six-digit code an authenticator app shows for ``secret`` now (or at ``at``)."""
    from allauth.mfa import app_settings

    counter = int(at if at is not None else time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def totp_secret(user):
    """The user's TOTP secret, or None when they have no authenticator app."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return decrypt(authenticator.data["secret"]) if authenticator else None


def totp_activate(*, user, secret=None):
    """Give ``user`` an authenticator app with ``secret`` (a new random one by default) unless
    they have one; returns the secret in use. For the demo data and tests: real people activate
    theirs in /accounts/2fa/ by scanning the QR code."""
    existing = totp_secret(user)
    if existing:
        return existing
    secret = secret or generate_totp_secret()
    TOTP.activate(user, secret)
    return secret
