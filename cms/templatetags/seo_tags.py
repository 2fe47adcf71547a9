"""The page head's discovery tags: feeds, Open Graph extras and hreflang alternates.

Used by themes/templates/includes/meta.html, so every template that extends base.html gets
them without change."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cms.discovery import section_of
from cms.links import absolute_url

register = template.Library()

# Open Graph wants a territory; these are the site's languages' usual ones.
OG_LOCALES = {"en": "en_GB", "pl": "pl_PL", "it": "it_IT"}


@register.simple_tag(takes_context=True)
def page_seo(context, page=None):
    """Description, type, image, locale and translations of ``page`` (a Wagtail page or None)."""
    request = getattr(context, "request", None) or context.get("request")
    language = get_language() or settings.LANGUAGE_CODE
    seo = {
        "og_locale": OG_LOCALES.get(language, language),
        "description": "",
        "og_type": "",
        "image_url": "",
        "alternates": [],
    }
    if page is None or not hasattr(page, "get_full_url"):
        return seo
    seo["description"] = (
        page.search_description
        or getattr(page, "summary", "")
        or " ".join(strip_tags(str(getattr(page, "intro", "") or "")).split())
    )
    if hasattr(page, "summary"):
        seo["og_type"] = "article"
    image = getattr(page, "image", None)
    if image is not None:
        try:
            seo["image_url"] = absolute_url(image.get_rendition("fill-1200x630").url)
            seo["image_alt"] = image.default_alt_text if hasattr(image, "default_alt_text") else ""
        except Exception:  # noqa: BLE001 - a missing image file must not break the page head
            seo["image_url"] = ""
    # A page found by its URL knows whether it has live translations (cms.models.home.page_at).
    translations = (
        list(page.get_translations(inclusive=True).live().select_related("locale"))
        if getattr(page, "has_live_translations", True)
        else []
    )
    if len(translations) > 1:
        seo["alternates"] = [
            {"language": t.locale.language_code, "url": t.get_full_url(request)}
            for t in translations
        ]
        default = next(
            (t for t in translations if t.locale.language_code == settings.LANGUAGE_CODE), None
        )
        if default is not None:
            seo["alternates"].append(
                {"language": "x-default", "url": default.get_full_url(request)}
            )
    return seo


@register.inclusion_tag("includes/feed_links.html", takes_context=True)
def feed_links(context, page=None):
    """<link rel="alternate"> to the site's feeds and, on a section or its pages, the section's."""
    links = [
        {
            "title": _("Textile Virtual Centre (RSS)"),
            "type": "rss",
            "url": reverse("feeds:all_rss"),
        },
        {
            "title": _("Textile Virtual Centre (Atom)"),
            "type": "atom",
            "url": reverse("feeds:all_atom"),
        },
    ]
    section = section_of(page) if page is not None and hasattr(page, "depth") else None
    if section is not None:
        links.insert(
            0,
            {
                "title": _("%(section)s (RSS)") % {"section": section.title},
                "type": "rss",
                "url": reverse("feeds:section_rss", kwargs={"slug": section.slug}),
            },
        )
    return {"links": links}
