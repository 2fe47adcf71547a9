"""Reads shared by search, feeds and the page head: which pages are sections, which pages
belong to a region, and which pages are content (as opposed to index pages).

Pages of the apps (courses, forum) take part without being named here: a page type is
content if it has a ``region`` foreign key to ``directory.Region`` or is a child of a section;
a section is any live child of the Virtual Centre index, plus the events and funding indexes.
"""

from dataclasses import dataclass
from functools import cache

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page, PageViewRestriction, get_page_models

from cms import tablecache
from cms.directory.models import Region
from cms.hooks import hidden_pages_condition
from cms.models import EventIndexPage, FundingIndexPage, ResourceIndexPage
from cms.models.listing import active_locale as cached_active_locale
from cms.models.listing import exclude_private

DIRECTORY = "directory"  # the pseudo-section of the organisation directory in search


@cache
def regional_page_models():
    """Concrete page models with a ``region`` foreign key to directory.Region."""
    models = []
    for model in get_page_models():
        if model._meta.abstract:
            continue
        field = next((f for f in model._meta.concrete_fields if f.name == "region"), None)
        if field is not None and field.is_relation and field.related_model is Region:
            models.append(model)
    return tuple(models)


def in_region(region):
    """A Q on Page selecting the pages of ``region`` (one SQL statement with subqueries)."""
    condition = Q(pk__in=[])
    for model in regional_page_models():
        condition |= Q(pk__in=model.objects.filter(region=region).values("pk"))
    return condition


def active_locale():
    try:
        return cached_active_locale()
    except Locale.DoesNotExist:
        return Locale.get_default()


def section_pages(locale=None):
    """The live sections in ``locale`` (default: the active one), in tree order: the children of
    the Virtual Centre index, then the events and funding indexes."""
    locale = locale or active_locale()
    resource_indexes = ResourceIndexPage.objects.live().filter(locale=locale)
    condition = Q(pk__in=[])
    for index_page in resource_indexes:
        condition |= Q(path__startswith=index_page.path, depth=index_page.depth + 1)
    condition |= Q(
        content_type__in=[
            _content_type_id(EventIndexPage),
            _content_type_id(FundingIndexPage),
        ]
    )
    return exclude_private(Page.objects.live()).filter(condition, locale=locale).order_by("path")


@dataclass(frozen=True)
class Section:
    """What site search shows of a section: its facet (slug, title) and the subtree it counts
    (path)."""

    pk: int
    slug: str
    title: str
    path: str


def sections_of_locale(locale=None):
    """``section_pages(locale)`` as Section values (two queries), kept until a page or a view
    restriction is written (cms/tablecache.py): site search shows them on every search."""
    locale = locale or active_locale()
    return tablecache.cached(
        "sections",
        locale.pk,
        tables=tablecache.tables_of(Page, PageViewRestriction),
        compute=lambda: [
            Section(pk=pk, slug=slug, title=title, path=path)
            for pk, slug, title, path in section_pages(locale).values_list(
                "pk", "slug", "title", "path"
            )
        ],
    )


def _content_type_id(model):
    return ContentType.objects.get_for_model(model).pk


def _known_ancestors(page):
    """{depth: page} of the ancestors ``page`` knows without a query: the route gives each page
    on the way its parent (``cms.models.home.find_page_at``), as treebeard's ``get_parent``
    keeps it."""
    ancestors = {page.depth: page}
    while (parent := page.__dict__.get("_cached_parent_obj")) is not None:
        ancestors[parent.depth] = page = parent
    return ancestors


def section_of(page):
    """The section ``page`` belongs to (or is), or None. One query at most; none for a page
    found by its URL below no section (a course, a lesson: the route read the types of the
    pages on the way, ``cms.models.home.page_at``)."""
    if page is None or page.depth < 3:
        return None
    types_on_the_way = getattr(page, "route_content_type_ids", {})
    if 3 in types_on_the_way:
        top_class = ContentType.objects.get_for_id(types_on_the_way[3]).model_class()
        if top_class not in (EventIndexPage, FundingIndexPage, ResourceIndexPage):
            return None
    ancestors = _known_ancestors(page)
    if not {depth for depth in (3, 4) if depth <= page.depth} <= ancestors.keys():
        steplen = Page.steplen
        ancestor_paths = [page.path[: steplen * depth] for depth in (3, 4) if depth <= page.depth]
        ancestors = {p.depth: p for p in Page.objects.filter(path__in=ancestor_paths)}
    top = ancestors.get(3)
    if top is None:
        return None
    top_class = ContentType.objects.get_for_id(top.content_type_id).model_class()
    if top_class in (EventIndexPage, FundingIndexPage):
        return top
    if top_class is ResourceIndexPage:
        return ancestors.get(4)
    return None


def content_pages(locale=None):
    """Live, public pages below the sections (stories, technologies, events, calls, ...), less
    those the apps hide from anonymous visitors (feeds are public)."""
    locale = locale or active_locale()
    sections = list(section_pages(locale).values_list("path", "depth"))
    condition = Q(pk__in=[])
    for path, depth in sections:
        condition |= Q(path__startswith=path, depth__gt=depth)
    return (
        exclude_private(Page.objects.live())
        .filter(condition, locale=locale)
        .exclude(hidden_pages_condition(AnonymousUser()))
    )


SECTION_LABEL_DIRECTORY = _("Directory of organisations")
