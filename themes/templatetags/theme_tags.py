from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from cms.hooks import collect_user_menu_items
from cms.links import absolute_url

register = template.Library()


@register.simple_tag
def localized(path):
    """``path`` (an unprefixed site path such as "/resources/") in the active language."""
    language = get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE:
        return path
    return f"/{language}{path}"


@register.simple_tag(takes_context=True)
def nav_current(context, prefix):
    """``aria-current="page"`` on the main navigation item whose section the request is in."""
    request = context.get("request")
    if not request:
        return ""
    path = request.path
    language = get_language()
    if language and language != settings.LANGUAGE_CODE and path.startswith(f"/{language}/"):
        path = path[len(language) + 1 :]
    return mark_safe('aria-current="page"') if path.startswith(prefix) else ""


@register.simple_tag(takes_context=True)
def page_query(context, number, param="page"):
    """The address's query string with ``param`` set to page ``number``, the rest kept (as
    Django's ``querystring`` tag does), for a page with more than one paginated list."""
    query = context["request"].GET.copy()
    query[param] = number
    return f"?{query.urlencode()}"


@register.simple_tag
def page_numbers(page_obj):
    """The page numbers to link to around the page shown, with ``Paginator.ELLIPSIS`` for the
    gaps: the first and last two and three on each side of the current one (Django's
    ``get_elided_page_range`` for this page, not for page 1, its default)."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number))


@register.simple_tag(takes_context=True)
def user_menu_items(context):
    request = context.get("request")
    return collect_user_menu_items(request) if request else []


@register.simple_tag(takes_context=True)
def translated_url(context, language):
    request = context.get("request")
    return translate_url(request.get_full_path(), language) if request else "/"


@register.inclusion_tag("includes/meta.html", takes_context=True)
def meta_tags(context):
    """Description, canonical URL and Open Graph tags. Wagtail pages give their own; views
    may set ``meta_description``, ``og_title``, ``og_type``, ``og_image_url`` and
    ``canonical_url`` in their context."""
    request = context.get("request")
    page = context.get("page")
    look = context.get("look")
    site_name = getattr(look, "site_name", "")
    title = context.get("og_title")
    description = context.get("meta_description")
    canonical = context.get("canonical_url")
    if page is not None and hasattr(page, "get_full_url"):
        title = title or page.seo_title or page.title
        description = description or page.search_description
        canonical = canonical or page.get_full_url(request)
    if request is not None and not canonical:
        canonical = absolute_url(request.path)
    return {
        "title": title or site_name,
        "description": description or gettext(getattr(look, "tagline", "") or ""),
        "site_name": site_name,
        "canonical": canonical,
        "og_type": context.get("og_type", "website"),
        "og_image_url": context.get("og_image_url"),
        "page": page,  # for the feed, Open Graph and hreflang tags of cms/templatetags/seo_tags.py
    }


# Query parameters that choose a page or a view of the results, not a filter.
NOT_FILTERS = {"page", "view", "show", "like", "sort", "order", "when"}


@register.inclusion_tag("includes/filters_summary.html", takes_context=True)
def filters_summary(context):
    """The <summary> of a browse page's filter panel: "Filters", and how many are applied."""
    request = context.get("request")
    active = 0
    if request is not None:
        active = sum(
            1
            for key, values in request.GET.lists()
            if key not in NOT_FILTERS
            for value in values
            if value.strip()
        )
    return {"active": active}
