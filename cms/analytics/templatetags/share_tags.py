"""Share links for social networks: plain links to each network's own share address, so the
page loads no script, frame or pixel of theirs; the shared address carries utm_source (the
network), utm_medium and utm_campaign, so the visits it brings are counted per network
(cms.analytics.middleware)."""

import functools
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from django import template
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from cms.links import absolute_url
from cms.selectors import private_page_paths

register = template.Library()
CAMPAIGN = "share"

# (utm_source, label, share address, its parameters from the shared url and title)
NETWORKS = [
    (
        "linkedin",
        "LinkedIn",
        "https://www.linkedin.com/sharing/share-offsite/",
        lambda u, t: {"url": u},
    ),
    ("facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php", lambda u, t: {"u": u}),
    ("x", "X", "https://x.com/intent/post", lambda u, t: {"url": u, "text": t}),
    ("bluesky", "Bluesky", "https://bsky.app/intent/compose", lambda u, t: {"text": f"{t} {u}"}),
    ("whatsapp", "WhatsApp", "https://wa.me/", lambda u, t: {"text": f"{t} {u}"}),
]


def campaign_url(url, *, source, medium, campaign=CAMPAIGN):
    """``url`` (made absolute on SITE_URL) with the campaign parameters, replacing any."""
    parts = urlsplit(absolute_url(url))
    kept = [
        part
        for part in parts.query.split("&")
        if part and not part.startswith(("utm_source=", "utm_medium=", "utm_campaign="))
    ]
    campaign_query = urlencode(
        {"utm_source": source, "utm_medium": medium, "utm_campaign": campaign}
    )
    return urlunsplit(parts._replace(query="&".join([*kept, campaign_query])))


def share_targets(url, title):
    """(network label, share address) pairs for ``url`` and ``title``: the same for every
    visitor of a page (the e-mail's label is translated when shown), so made once per page and
    address of the site in each process (every page shows them)."""
    return _share_targets(settings.SITE_URL, url, str(title))


@functools.lru_cache(maxsize=4096)
def _share_targets(site_url, url, title):
    # ``site_url`` is not read here: it keys the kept links (absolute_url reads the setting).
    targets = []
    for source, label, address, parameters in NETWORKS:
        shared = campaign_url(url, source=source, medium="social")
        targets.append((label, f"{address}?{urlencode(parameters(shared, title))}"))
    shared = campaign_url(url, source="email", medium="email")
    # mailto: wants %20 for spaces ("+" stays a plus sign there).
    mail = urlencode({"subject": title, "body": f"{title}\n{shared}"}, quote_via=quote)
    targets.append((_("E-mail"), f"mailto:?{mail}"))
    return tuple(targets)


@register.inclusion_tag("analytics/share_links.html", takes_context=True)
def share_links(context, url=None, title=None):
    """Share links of the page in the context (a public Wagtail page below the home page), or
    of ``url`` and ``title`` (an app's page: a listing, a course, an opportunity)."""
    if url is None:
        page = context.get("page")
        request = context.get("request")
        if not isinstance(page, Page) or page.depth <= 2 or not page.live:
            return {"targets": []}
        # Not for everyone: nothing to share. The cached paths of the restricted pages, not
        # get_view_restrictions() (two queries, already run by Wagtail's privacy check).
        if any(page.path.startswith(path) for path in private_page_paths()):
            return {"targets": []}
        url, title = page.get_url(request), page.seo_title or page.title
    if not url:
        return {"targets": []}
    return {"targets": share_targets(url, title or "")}
