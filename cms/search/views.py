"""Site search at /search/?q=: one search across the Virtual Centre.

Pages of the active language (a facet per section), and every kind the core and the apps add
through cms.hooks.SEARCH_RESULTS (organisations, exchange listings, forum posts, courses, ...),
each with its count. With no facet chosen the kinds are merged into one list; a facet pages
through all of its kind. Only what the visitor may read is searched: each kind filters its own
(cms.hooks.SearchGroup), pages through Wagtail's privacy and HIDDEN_PAGES."""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from cms import fragments, tablecache
from cms.directory.models import Region
from cms.discovery import active_locale, in_region, sections_of_locale
from cms.highlight import highlight
from cms.hooks import (
    HitList,
    SearchGroup,
    SearchHit,
    collect_search_results,
    hidden_pages_condition,
)
from cms.ratelimit import ratelimit_request_hit
from cms.selectors import exclude_private

from .pages import PageMatches
from .text import search_text

RESULTS_PER_PAGE = 10
# The merged list of every kind stops here (each kind's first results, interleaved); a facet
# pages through everything of its kind.
MAX_MIXED_RESULTS = 200
PAGES = "pages"
OTHER_PAGES = "other-pages"
# Old links: ?section=directory was the directory before it became the "organisations" kind.
LEGACY_KINDS = {"directory": "organisations"}


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All regions"),
    )
    kind = forms.SlugField(max_length=80, required=False, widget=forms.HiddenInput)
    # The facet's former name (?section=<section slug> or directory), still accepted.
    section = forms.SlugField(max_length=80, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The choices shown, kept until a region is written (cms/tablecache.py); a chosen region
        # is still read (and checked) through the queryset.
        region = self.fields["region"]
        region.choices = [
            ("", region.empty_label),
            *tablecache.cached(
                "search-region-choices",
                tables=tablecache.tables_of(Region),
                compute=lambda: list(Region.objects.values_list("slug", "name")),
            ),
        ]

    def clean(self):
        data = super().clean()
        kind = data.get("kind") or data.get("section") or ""
        data["kind"] = LEGACY_KINDS.get(kind, kind)
        return data


def content_date(page):
    """The date the content is about: what the page type says (``content_date``), a story's or
    a law's date, an event's start, a call's deadline. None for pages without one (an index):
    the publishing date is not the content's date."""
    value = getattr(page, "content_date", None)
    if value is not None:
        return value() if callable(value) else value
    for name in ("date", "start", "deadline", "issue_date"):
        value = getattr(page, name, None)
        if value:
            return value
    return None


def _snippet(page, query):
    text = (
        getattr(page, "summary", "")
        or page.search_description
        or strip_tags(str(getattr(page, "intro", "") or ""))
    )
    return highlight(text, query)


def _page_hitlist(ranked_pages, query, request):
    def to_hit(page):
        return SearchHit(
            title=page.title,
            url=page.get_url(request),
            date=content_date(page),
            snippet=_snippet(page, query),
            kind_label=capfirst(page.specific_class._meta.verbose_name),
        )

    return HitList(ranked_pages, to_hit)


def page_groups(query, request, *, locale, region, excluded):
    """The pages found, as one SearchGroup per section (and one for the pages of no section),
    and one SearchGroup of them all: one search for all of them (PageMatches), each section
    counted and sliced from it."""
    pages = (
        exclude_private(Page.objects.live())
        .filter(locale=locale)
        .exclude(hidden_pages_condition(request.user))
        .exclude(excluded)
    )
    if region is not None:
        pages = pages.filter(in_region(region))
    matches = PageMatches(pages, query)
    groups = []
    section_paths = []
    for position, section in enumerate(sections_of_locale(locale)):
        groups.append(
            SearchGroup(
                kind=section.slug,
                label=section.title,
                results=_page_hitlist(matches.under(section.path), query, request),
                order=position,
            )
        )
        section_paths.append(section.path)
    groups.append(
        SearchGroup(
            kind=OTHER_PAGES,
            label=_("Other pages"),
            results=_page_hitlist(matches.outside(section_paths), query, request),
            order=len(groups),
        )
    )
    every_page = _page_hitlist(matches.all(), query, request)
    return groups, SearchGroup(kind=PAGES, label=_("Pages"), results=every_page, order=0)


class KindResults:
    """The hits of one kind, each with its group, for Paginator."""

    def __init__(self, group):
        self.group = group

    def count(self):
        return self.group.count

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        return [(self.group, hit) for hit in self.group.results[index]]


class MixedResults:
    """Every kind in one list, for Paginator: the kinds' own best-first orders merged by
    reciprocal-rank fusion, which for one ranking per kind interleaves them by rank (every kind's
    first hit, then every kind's second, ...; kinds in facet order). Scores of different
    backends (PostgreSQL ranks, SQLite's bm25, word matches) cannot be compared; ranks can. A
    slice reads at most ``stop`` hits of each kind."""

    def __init__(self, groups):
        self.groups = [group for group in groups if group.count]

    def count(self):
        return min(sum(group.count for group in self.groups), MAX_MIXED_RESULTS)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        stop = min(index.stop or MAX_MIXED_RESULTS, MAX_MIXED_RESULTS)
        ranked = [(group, group.results[:stop]) for group in self.groups]
        merged = []
        for rank in range(stop):
            merged.extend((group, hits[rank]) for group, hits in ranked if rank < len(hits))
        return merged[index]


def _found(request, query, *, kind, region, locale):
    """What a search finds, rendered: the facets with their counts and the page of results
    asked for; and whether the kind asked for exists."""
    kinds = collect_search_results(query, request, region=region)
    claimed = Q(pk__in=[])
    for group in kinds:
        if group.pages is not None:
            claimed |= group.pages
    sections, every_page = page_groups(
        query, request, locale=locale, region=region, excluded=claimed
    )
    by_kind = {group.kind: group for group in [every_page, *sections, *kinds]}
    unknown_kind = bool(kind) and kind not in by_kind
    if unknown_kind:
        kind = ""
    chosen = by_kind.get(kind)
    total = every_page.count + sum(group.count for group in kinds)
    listing = KindResults(chosen) if chosen else MixedResults([every_page, *kinds])
    results = Paginator(listing, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    html = render_to_string(
        "cms/includes/search_results.html",
        {
            "query": query,
            "kind": kind,
            "chosen": chosen,
            "region": region,
            "results": results,
            "total": total,
            "every_page": every_page,
            "sections": sections,
            "kinds": kinds,
            "mixed_capped": chosen is None and total > MAX_MIXED_RESULTS,
        },
        request=request,
    )
    return {"html": html, "unknown_kind": unknown_kind}


def search(request):
    locale = active_locale()
    form = SearchForm(request.GET or None)
    query, kind, region = "", "", None
    if form.is_valid():
        query = search_text(form.cleaned_data["q"])
        kind = form.cleaned_data["kind"]
        region = form.cleaned_data["region"]
    # Counted before anything is read or kept: a search served from what was kept counts too.
    limited = bool(query) and ratelimit_request_hit(request, scope="search")
    if limited:
        query = ""

    found = None
    if query:
        # Kept until the next write to the database (cms/fragments.py), apart for each member
        # (what each may read differs), alike for every anonymous visitor: a member who comes
        # back to the results (from a hit, a reload) is not searched for again. A new search,
        # or another page or facet of it, is searched. Keyed by the whole query string: the
        # facets' and pages' links carry it.
        found = fragments.cached(
            "search",
            fragments.audience(request),
            request.GET.urlencode(),
            compute=lambda: _found(request, query, kind=kind, region=region, locale=locale),
        )
        if found["unknown_kind"]:
            form.add_error(
                None, _("There is no such kind of result to search in; all kinds are searched.")
            )

    return render(
        request,
        "cms/search.html",
        {
            "form": form,
            "query": query,
            "results_html": found["html"] if found else "",
            "rate_limited": limited,
            "meta_description": _(
                "Search the resources, events, courses, partners, exchange and forum of the "
                "Virtual Centre."
            ),
        },
        status=429 if limited else 200,
    )
