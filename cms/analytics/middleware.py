"""Counts the views of every public page of every app (CMS pages, courses, exchange, forum,
partners, ...): cms.analytics.services.view_record."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from .services import ViewKey, is_bot, view_record

# Addresses that are no page of the site for visitors: the admins, sign-in and account
# pages, redirects of counted links, files, language switching, health checks.
NOT_COUNTED = re.compile(
    r"^/(?:admin|django-admin|accounts|r|static|media|documents|i18n|_util|healthz|translation"
    r"|notifications|robots\.txt|sitemap\.xml|feeds)(?:/|$)"
)
CAMPAIGN_VALUE = re.compile(r"[^\w .:+-]", re.UNICODE)
DOMAIN = re.compile(r"^[a-z0-9.-]{1,253}$")
LANGUAGE_PREFIX = re.compile(
    r"^/(?:" + "|".join(re.escape(code) for code, _name in settings.LANGUAGES) + r")(?=/)"
)


def campaign_value(request, name):
    """A utm_* parameter as it is counted: lower case, at most 100 characters of letters,
    digits and a few signs (the rest dropped), so it can hold nothing but a campaign name."""
    value = request.GET.get(name, "")[:200].strip().lower()
    return CAMPAIGN_VALUE.sub("", value)[:100]


def referring_domain(request):
    """The domain of the referring site ("www." dropped), or "" for none or this site."""
    referrer = request.headers.get("Referer", "")[:2000]
    try:
        host = (urlsplit(referrer).hostname or "").lower()
    except ValueError:
        return ""
    host = host.removeprefix("www.")
    own = {
        (request.get_host().split(":")[0]).lower().removeprefix("www."),
        (urlsplit(settings.SITE_URL).hostname or "").lower().removeprefix("www."),
    }
    if not host or host in own or not DOMAIN.match(host):
        return ""
    return host


def counts_as_view(request, response):
    if request.method != "GET" or response.status_code != 200:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if NOT_COUNTED.match(LANGUAGE_PREFIX.sub("", request.path)):
        return False
    if is_bot(request.headers.get("User-Agent", "")):
        return False
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name == "wagtail_serve":
        # A Wagtail page counts once it is served (cms.analytics.wagtail_hooks), not when a
        # privacy form stands in for it.
        if getattr(request, "analytics_page_id", None) is None:
            return False
    user = getattr(request, "user", None)
    # People who work in the admin are not the audience.
    return not (
        user is not None and user.is_authenticated and user.has_perm("wagtailadmin.access_admin")
    )


class ViewCountMiddleware:
    """Outermost after static files, so it also sees responses a page cache answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if counts_as_view(request, response):
            view_record(
                ViewKey(
                    day=timezone.localdate().isoformat(),
                    path=request.path[:300],
                    page_id=getattr(request, "analytics_page_id", None),
                    referrer=referring_domain(request),
                    source=campaign_value(request, "utm_source"),
                    medium=campaign_value(request, "utm_medium"),
                    campaign=campaign_value(request, "utm_campaign"),
                )
            )
        return response
