"""Which pages a listing shows: live ones, not behind a view restriction, in the visitor's
language with the English original where no translation exists. The page types' own listings use
these (so they sit with the models); cms.selectors offers them to hooks and other page types."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, PageViewRestriction

from cms import tablecache

PRIVATE_PATHS_CACHE_KEY = "cms:private-page-paths"


def active_language_code():
    return get_supported_content_language_variant(get_language() or settings.LANGUAGE_CODE)


def active_locale():
    """Wagtail's ``Locale.get_active()`` (the active language's locale, else the default one),
    kept until the locales change (cms/tablecache.py): routing and listings ask on every
    request."""
    return tablecache.cached(
        "active-locale",
        get_language() or "",
        tables=tablecache.tables_of(Locale),
        compute=Locale.get_active,
    )


def in_locale_with_fallback(queryset, language_code=None):
    """Pages of ``queryset`` in the active language, plus the default-language pages that
    have no translation in it: a Polish visitor sees the Polish version where one exists and
    the English original otherwise, never both. No extra query (locales by code)."""
    language_code = language_code or active_language_code()
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    if language_code == default:
        return queryset.filter(locale__language_code=language_code)
    translated = queryset.model.objects.filter(locale__language_code=language_code).values(
        "translation_key"
    )
    return queryset.filter(
        Q(locale__language_code=language_code)
        | (Q(locale__language_code=default) & ~Q(translation_key__in=translated))
    )


def private_page_paths():
    """Tree paths of the pages behind a view restriction. They change rarely, so they are
    cached (cleared when a restriction is saved or deleted or a page moves, see
    cms/signal_handlers.py) instead of being read by every listing as
    ``PageQuerySet.public()`` does."""
    paths = cache.get(PRIVATE_PATHS_CACHE_KEY)
    if paths is None:
        paths = list(PageViewRestriction.objects.values_list("page__path", flat=True))
        cache.set(PRIVATE_PATHS_CACHE_KEY, paths, 300)
    return paths


def exclude_private(queryset):
    condition = Q()
    for path in private_page_paths():
        condition |= Q(path__startswith=path)
    return queryset.exclude(condition) if condition else queryset


def listing_pages(model, language_code=None, *, with_topics=True):
    """Live, public pages of ``model`` with what a listing card shows, in one query plus a
    prefetch of topics, whatever the number of pages."""
    queryset = exclude_private(model.objects.live()).select_related("region", "locale")
    if hasattr(model, "image"):
        queryset = queryset.select_related("image")
    if with_topics and hasattr(model, "topics"):
        queryset = queryset.prefetch_related("topics")
    return in_locale_with_fallback(queryset, language_code)
