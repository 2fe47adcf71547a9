"""RSS 2.0 and Atom feeds of the Virtual Centre: everything, one section, or one region.

/feeds/rss/ and /feeds/atom/                          every section
/feeds/section/<slug>/rss/ and …/atom/                one section (stories, events, ...)
/feeds/region/<slug>/rss/ and …/atom/                 one partner region
Unprefixed paths give the English pages; /pl/feeds/… and /it/feeds/… the translations.
"""

from copy import copy

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from cms.directory.models import Region

from .discovery import active_locale, content_pages, in_region, section_pages
from .links import absolute_url, site_address

FEED_LENGTH = 30


class SiteFeed(Feed):
    """The newest pages of every section."""

    feed_type = Rss201rev2Feed

    def __call__(self, request, *args, **kwargs):
        # The URLconf holds one instance per feed: give each request its own copy, so the
        # request stored on it for absolute URLs never leaks between concurrent requests.
        feed = copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return None

    def title(self, obj):
        return _("Textile Virtual Centre: what is new")

    def description(self, obj):
        return _(
            "New stories, technologies, research, newsletters, legislation, events and funding "
            "calls of the textile-recycling regions."
        )

    # Every absolute link is on SITE_URL (cms/links.py), whatever host the request came in on.
    def link(self, obj):
        return absolute_url("/")

    def feed_url(self, obj):
        return absolute_url(self.request.path)

    def pages(self, obj):
        return content_pages(active_locale())

    def items(self, obj):
        locale = active_locale()
        items = list(
            self.pages(obj).order_by("-first_published_at", "-pk").specific()[:FEED_LENGTH]
        )
        for item in items:
            item.locale = locale  # every item is in the active locale; saves a query per item
        return items

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return getattr(item, "summary", "") or item.search_description or ""

    def item_link(self, item):
        # Wagtail's full URL is on the default site, which follows SITE_URL (cms/links.py).
        return item.get_full_url(self.request)

    def item_guid(self, item):
        # A tag: URI (RFC 4151) stays the same when an editor moves or renames the page.
        host = site_address()[0]
        return f"tag:{host},2026:page:{item.translation_key}:{item.locale.language_code}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [item.get_verbose_name()]


class SiteAtomFeed(SiteFeed):
    feed_type = Atom1Feed
    subtitle = SiteFeed.description


class SectionFeed(SiteFeed):
    """The newest pages of one section, found by its slug in the active language."""

    def get_object(self, request, slug):
        section = section_pages(active_locale()).filter(slug=slug).first()
        if section is None:
            raise Http404("No such section")
        return section

    def title(self, obj):
        return _("%(section)s · Textile Virtual Centre") % {"section": obj.title}

    def description(self, obj):
        return strip_tags(getattr(obj.specific, "intro", "") or "") or obj.search_description

    def link(self, obj):
        return obj.get_full_url(self.request)

    def pages(self, obj):
        return content_pages(active_locale()).descendant_of(obj)


class SectionAtomFeed(SectionFeed):
    feed_type = Atom1Feed
    subtitle = SectionFeed.description


class RegionFeed(SiteFeed):
    """The newest pages of every section about one partner region."""

    def get_object(self, request, slug):
        return get_object_or_404(Region, slug=slug)

    def title(self, obj):
        return _("%(region)s · Textile Virtual Centre") % {"region": obj.name}

    def description(self, obj):
        return _("New resources, events and funding calls from %(region)s.") % {"region": obj.name}

    def link(self, obj):
        return absolute_url(reverse("search")) + f"?region={obj.slug}"

    def pages(self, obj):
        return content_pages(active_locale()).filter(in_region(obj))


class RegionAtomFeed(RegionFeed):
    feed_type = Atom1Feed
    subtitle = RegionFeed.description


app_name = "feeds"
urlpatterns = [
    path("rss/", SiteFeed(), name="all_rss"),
    path("atom/", SiteAtomFeed(), name="all_atom"),
    path("section/<slug:slug>/rss/", SectionFeed(), name="section_rss"),
    path("section/<slug:slug>/atom/", SectionAtomFeed(), name="section_atom"),
    path("region/<slug:slug>/rss/", RegionFeed(), name="region_rss"),
    path("region/<slug:slug>/atom/", RegionAtomFeed(), name="region_atom"),
]
