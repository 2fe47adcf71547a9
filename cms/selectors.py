"""Reads of Virtual Centre pages reused by page contexts, hooks and the home page."""

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Locale


def in_locale_with_fallback(queryset, locale=None):
    """Pages of ``queryset`` in ``locale``, plus the default-language pages that have no
    translation in it: a Polish visitor sees the Polish version where one exists and the
    English original otherwise, never both."""
    locale = locale or Locale.get_active()
    default = Locale.get_default()
    if locale.pk == default.pk:
        return queryset.filter(locale=locale)
    translated = queryset.model.objects.filter(locale=locale).values("translation_key")
    return queryset.filter(
        Q(locale=locale) | (Q(locale=default) & ~Q(translation_key__in=translated))
    )


def listing_pages(model, locale=None):
    """Live, public pages of ``model`` with what a listing card shows, in one query plus
    prefetches (topics), whatever the number of pages."""
    queryset = model.objects.live().public().select_related("region", "locale")
    if hasattr(model, "image"):
        queryset = queryset.select_related("image")
    if hasattr(model, "topics"):
        queryset = queryset.prefetch_related("topics")
    return in_locale_with_fallback(queryset, locale)


def upcoming_events(locale=None):
    from cms.models import EventPage

    return listing_pages(EventPage, locale).filter(end__gte=timezone.now()).order_by("start")


def past_events(locale=None):
    from cms.models import EventPage

    return listing_pages(EventPage, locale).filter(end__lt=timezone.now()).order_by("-start")


def open_funding_calls(locale=None):
    from cms.models import FundingCallPage

    return (
        listing_pages(FundingCallPage, locale)
        .filter(deadline__gte=timezone.now())
        .select_related("funder")
        .order_by("deadline")
    )


def closed_funding_calls(locale=None):
    from cms.models import FundingCallPage

    return (
        listing_pages(FundingCallPage, locale)
        .filter(deadline__lt=timezone.now())
        .select_related("funder")
        .order_by("-deadline")
    )
