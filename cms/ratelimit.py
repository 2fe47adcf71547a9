"""The one rate-limiting helper of the site (posting, newsletter sign-ups, inquiries, search).

Counting is django-ratelimit's (fixed windows in Django's default cache, so the counters are
shared by every web process when the cache is Redis). What this module adds:

- one table of rates, ``settings.RATELIMITS`` (scope -> ``"count/period"``, e.g. ``"6/m"``,
  ``"1/10m"``), so every limit is visible and overridable in one place;
- keys that are not requests (a user id, an e-mail address) as well as requests (the signed-in
  user, else the client address as allauth resolves it, honouring its trusted-proxy setting);
- it **fails open**: when the cache is down, nothing is limited and a warning is logged, so an
  outage of Redis never turns into errors or a lockout for everyone.

Usage::

    from cms.ratelimit import ratelimit_hit, ratelimit_request_hit

    if ratelimit_hit(scope="forum.post", key=user.pk):
        raise ValidationError(...)
    if ratelimit_request_hit(request, scope="search"):
        return render(..., status=429)
"""

import logging

from allauth.account.adapter import get_adapter
from django.conf import settings
from django_ratelimit.core import get_usage

logger = logging.getLogger(__name__)


def _rate(scope: str, rate: str | None) -> str:
    if rate:
        return rate
    try:
        return settings.RATELIMITS[scope]
    except KeyError as error:
        raise KeyError(f"No rate for {scope!r}: add it to settings.RATELIMITS") from error


def _usage(*, scope: str, key: str, rate: str, increment: bool):
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return None
    try:
        return get_usage(
            None, group=scope, key=lambda _group, _request: key, rate=rate, increment=increment
        )
    except Exception:  # the cache is down or broken: never block anyone because of it
        logger.warning("Rate limit %s not checked: the cache is unavailable", scope, exc_info=True)
        return None


def ratelimit_hit(*, scope: str, key: object, rate: str | None = None) -> bool:
    """Count one action of ``key`` (a user id, an e-mail address, an IP address) in ``scope``.
    True when this action goes over the limit (the caller refuses it)."""
    usage = _usage(scope=scope, key=str(key), rate=_rate(scope, rate), increment=True)
    return bool(usage and usage["should_limit"])


def ratelimit_exceeded(*, scope: str, key: object, rate: str | None = None) -> bool:
    """Whether ``key`` has already used up its actions in ``scope``, without counting one."""
    usage = _usage(scope=scope, key=str(key), rate=_rate(scope, rate), increment=False)
    return bool(usage and usage["count"] >= usage["limit"])


def request_key(request) -> str:
    """The signed-in user, else the client's IP address (allauth's resolution, which honours
    its trusted-proxy setting, so every limit of the site counts the same client)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{get_adapter(request).get_client_ip(request)}"


def ratelimit_request_hit(request, *, scope: str, rate: str | None = None) -> bool:
    """``ratelimit_hit`` keyed by the request's user or client address."""
    return ratelimit_hit(scope=scope, key=request_key(request), rate=rate)
