from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import bench_pages, demo, demo_translations, selectors
from .documents import document_page_restriction_response
from .hooks import BENCH_PAGES, LOAD_DEMO, ORGANISATION_LINKS, LinkedGroup, LinkedItem
from .models import (
    EventPage,
    FundingCallPage,
    LegislationPage,
    NewsletterIssuePage,
    ResearchPage,
    StoryPage,
    TechnologyPage,
)
from .streamfields import refuse_damaged_stream_fields

# A document that only private pages use is as private as they are (cms/documents.py).
hooks.register("before_serve_document", document_page_restriction_response)


@hooks.register(LOAD_DEMO, order=0)
def load_core_demo(*, stdout, style):
    demo.load(stdout=stdout, style=style)


@hooks.register(LOAD_DEMO, order=10)
def load_virtual_centre_demo(*, stdout, style):
    demo.load_virtual_centre(stdout=stdout, style=style)


@hooks.register(LOAD_DEMO, order=1000)
def load_demo_translations(*, stdout, style):
    """After every app's pages: each page in Polish and Italian (cms/demo_translations.py)."""
    demo_translations.load_translations(stdout=stdout, style=style)


def _group(title, pages, order, request, description=lambda page: page.summary):
    items = [
        LinkedItem(
            title=page.title,
            url=page.get_url(request),
            description=str(description(page))[:160],
        )
        for page in pages[:20]
    ]
    return LinkedGroup(title=title, items=items, order=order)


@hooks.register(ORGANISATION_LINKS)
def virtual_centre_links(organisation, request):
    """Everything of the Virtual Centre that names ``organisation``: one query per kind of
    content, whatever the number of pages."""

    def pages(model, condition):
        queryset = selectors.exclude_private(model.objects.live()).filter(condition).distinct()
        return selectors.in_locale_with_fallback(queryset).order_by("-pk")

    org = organisation
    return [
        _group(
            _("Pilot cases and success stories"),
            pages(StoryPage, Q(organisations=org)),
            10,
            request,
        ),
        _group(
            _("Technological solutions"),
            pages(TechnologyPage, Q(developer=org) | Q(organisations=org)),
            20,
            request,
        ),
        _group(
            _("Research and technological trends"),
            pages(ResearchPage, Q(creators__organisation=org) | Q(organisations=org)),
            30,
            request,
        ),
        _group(
            _("Newsletters"),
            pages(NewsletterIssuePage, Q(creator=org) | Q(organisations=org)),
            40,
            request,
        ),
        _group(_("Legislation"), pages(LegislationPage, Q(organisations=org)), 50, request),
        _group(
            _("Events"),
            pages(EventPage, Q(organiser=org)).order_by("-start"),
            60,
            request,
            description=lambda page: date_format(page.local_start, "DATETIME_FORMAT"),
        ),
        _group(
            _("Funding calls"),
            pages(FundingCallPage, Q(funder=org)).order_by("-deadline"),
            70,
            request,
        ),
    ]


@hooks.register(BENCH_PAGES, order=0)
def bench_core_pages(*, member):
    return bench_pages.core_pages(member=member)


@hooks.register(BENCH_PAGES, order=900)
def bench_partner_pages(*, member):
    return bench_pages.partner_pages(member=member)


# A StreamField that arrives damaged is refused with a message before Wagtail reads it (a 500
# otherwise): pages and snippets of every app (cms/streamfields.py).
@hooks.register("before_create_page")
def refuse_damaged_new_page(request, parent_page, page_class):
    return refuse_damaged_stream_fields(request, page_class)


@hooks.register("before_edit_page")
def refuse_damaged_page_edit(request, page):
    return refuse_damaged_stream_fields(request, page.specific_class)


@hooks.register("before_create_snippet")
def refuse_damaged_new_snippet(request, model):
    return refuse_damaged_stream_fields(request, model)


@hooks.register("before_edit_snippet")
def refuse_damaged_snippet_edit(request, instance):
    return refuse_damaged_stream_fields(request, type(instance))
