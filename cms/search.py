"""Site search at /search/?q=: every live page of the active language and the organisation
directory, filtered by section and region, with highlighted snippets and pagination."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from cms.directory.models import Organisation, Region

from .discovery import DIRECTORY, SECTION_LABEL_DIRECTORY, active_locale, in_region, section_pages
from .highlight import highlight
from .hooks import collect_search_results, hidden_pages_condition
from .ratelimit import ratelimit_request_hit

RESULTS_PER_PAGE = 10
ORGANISATIONS_ALONGSIDE = 5


def search_text(query):
    """A visitor's words as Wagtail's search backends take them. SQLite's full-text index
    fails on an unbalanced double quote (``"``: "unterminated string", a 500); without a
    partner the quote means nothing anyway, so quotes go when their number is odd."""
    query = query.strip()
    if query.count('"') % 2:
        query = query.replace('"', " ").strip()
    return query


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    section = forms.ChoiceField(label=_("Section"), required=False)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All regions"),
    )

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = {section.slug: section for section in sections}
        self.fields["section"].choices = [
            ("", _("All sections")),
            *[(section.slug, section.title) for section in sections],
            (DIRECTORY, SECTION_LABEL_DIRECTORY),
        ]


def _snippet(result, query):
    text = (
        getattr(result, "summary", "")
        or result.search_description
        or strip_tags(str(getattr(result, "intro", "") or ""))
    )
    return highlight(text, query)


def _content_date(page):
    """The date the content is about (a story's date, an event's start, a call's deadline),
    else when the page was first published."""
    for name in ("date", "start", "deadline", "issue_date", "published_date"):
        value = getattr(page, name, None)
        if value:
            return value
    return page.first_published_at


def search(request):
    locale = active_locale()
    sections = list(section_pages(locale))
    form = SearchForm(request.GET or None, sections=sections)
    query, section_slug, region = "", "", None
    if form.is_valid():
        query = search_text(form.cleaned_data["q"])
        section_slug = form.cleaned_data["section"]
        region = form.cleaned_data["region"]

    results = organisations = None
    organisation_count = 0
    app_groups = []
    limited = bool(query) and ratelimit_request_hit(request, scope="search")
    if limited:
        query = ""
    if query:
        if section_slug != DIRECTORY:
            pages = (
                Page.objects.live()
                .public()
                .filter(locale=locale)
                .exclude(hidden_pages_condition(request.user))
            )
            if section_slug:
                pages = pages.descendant_of(form.sections[section_slug], inclusive=True)
            if region is not None:
                pages = pages.filter(in_region(region))
            results = Paginator(pages.specific().search(query), RESULTS_PER_PAGE).get_page(
                request.GET.get("page")
            )
            for result in results:
                result.snippet = _snippet(result, query)
                result.content_date = _content_date(result)
        if not section_slug and region is None:
            # What the apps find (exchange listings, forum posts): cms.hooks.SEARCH_RESULTS.
            app_groups = collect_search_results(query, request)
        if not section_slug or section_slug == DIRECTORY:
            directory = Organisation.objects.all()
            if region is not None:
                directory = directory.filter(region_id=region.pk)
            found = get_search_backend().search(query, directory)
            if section_slug == DIRECTORY:
                results = Paginator(found, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
                organisations = results
            else:
                organisations = found[:ORGANISATIONS_ALONGSIDE]
                organisation_count = found.count()
            for organisation in organisations:
                organisation.snippet = highlight(organisation.description, query)

    return render(
        request,
        "cms/search.html",
        {
            "form": form,
            "query": query,
            "section": form.sections.get(section_slug),
            "directory_only": section_slug == DIRECTORY,
            "region": region,
            "results": results,
            "organisations": organisations,
            "organisation_count": organisation_count,
            "app_groups": app_groups,
            "rate_limited": limited,
            "meta_description": _(
                "Search the resources, events and partners of the Virtual Centre."
            ),
        },
        status=429 if limited else 200,
    )
