"""/sitemap.xml: Wagtail's sitemap of live, public pages, less the pages the apps hide from
anonymous visitors (``cms.hooks.HIDDEN_PAGES``, e.g. lessons of key-protected courses)."""

from django.contrib.auth.models import AnonymousUser
from wagtail.contrib.sitemaps import Sitemap

from .hooks import hidden_pages_condition


class SiteSitemap(Sitemap):
    def items(self):
        # The sitemap is public whoever asks for it: hide what an anonymous visitor may not see.
        return super().items().exclude(hidden_pages_condition(AnonymousUser()))
