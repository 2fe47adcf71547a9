"""Reads of Virtual Centre pages for hooks, feeds and the page types of cms' sub-apps: the
listing rules (live, public, in the visitor's language) defined next to the page models in
cms/models/listing.py. Events and funding calls have their own queryset methods
(``EventPage.objects.upcoming()``, ``FundingCallPage.objects.open()``)."""

from cms.models.listing import (
    active_language_code,
    exclude_private,
    in_locale_with_fallback,
    listing_pages,
    private_page_paths,
)

__all__ = [
    "active_language_code",
    "exclude_private",
    "in_locale_with_fallback",
    "listing_pages",
    "private_page_paths",
]
