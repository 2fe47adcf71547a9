"""The top of the tree: the home page, the legal pages and /resources/, the index of the
sections."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page, get_page_models
from wagtail.search import index
from wagtail.url_routing import RouteResult

from cms import fragments, tablecache
from cms.blocks import BodyBlock
from cms.hooks import HOME_PANELS, collect_impact_figures

from .base import INTRO_FEATURES, CachedViewRestrictionsMixin, LanguageSwitchMixin
from .events import EventPage
from .funding import FundingCallPage
from .listing import active_locale, listing_pages
from .stories import StoryPage


class HomePage(CachedViewRestrictionsMixin, LanguageSwitchMixin, Page):
    """The site root: what the Virtual Centre is, and what is new in every part of it."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    @property
    def localized_draft(self):
        """Wagtail's, with the active locale from the cache: routing asks it of the site's root
        page (this page) on every request."""
        if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return self
        try:
            locale = active_locale()
        except (LookupError, Locale.DoesNotExist):
            return self
        if locale.id == self.locale_id:
            return self
        return self.get_translation_or_none(locale) or self

    def route(self, request, path_components):
        """Under a translated home page (/pl/…, /it/…), a path with no page in that language
        is served from the original tree: the untranslated page in its own language, the
        interface in the visitor's (the training catalogue, events, … before anyone translates
        them), rather than a 404."""
        try:
            found = page_at(self, path_components)
            if found is None:
                return super().route(request, path_components)
            page, rest = found
            if type(page).route is not Page.route:
                # A page that routes by itself (a quiz's attempt pages) does the rest.
                return page.route(request, rest)
            if not page.live:
                raise Http404
            return RouteResult(page)
        except Http404:
            original = self.get_translations().filter(locale=Locale.get_default()).first()
            if original is None or not path_components:
                raise
            return original.specific.route(request, path_components)

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Called by the template inside a fragment (each once): while the fragment is kept,
        # neither read nor built (a queryset costs ~0.2 ms of CPU to build).
        context["latest_stories"] = lambda: listing_pages(StoryPage, with_topics=False).order_by(
            "-date", "-first_published_at"
        )[:3]
        context["upcoming_events"] = lambda: (
            listing_pages(EventPage, with_topics=False).upcoming().select_related("organiser")[:4]
        )
        context["open_calls"] = lambda: listing_pages(FundingCallPage, with_topics=False).open()[:4]
        context["home_panels"] = rendered_home_panels(request)
        context["impact_figures"] = collect_impact_figures
        return context


def rendered_home_panels(request):
    """The HOME_PANELS of the apps, each rendered once and kept until the next write
    (cms/fragments.py): for everyone alike when its hook is marked ``same_for_everyone``,
    otherwise apart for each member (a private group's topics, what the member muted).
    [(title, html)] in the panels' order."""
    panels = []
    for fn in hooks.get_hooks(HOME_PANELS):

        def render(fn=fn):
            result = fn(request) or []
            return [
                (
                    panel.order,
                    str(panel.title),
                    render_to_string(panel.template, {"panel": panel}, request),
                )
                for panel in (result if isinstance(result, list | tuple) else [result])
            ]

        vary = [] if getattr(fn, "same_for_everyone", False) else [fragments.audience(request)]
        name = f"home-panel:{fn.__module__}.{fn.__qualname__}"
        panels.extend(fragments.cached(name, *vary, compute=render))
    return [(title, html) for _order, title, html in sorted(panels, key=lambda panel: panel[0])]


def page_at(root, path_components):
    """(the specific page at ``path_components`` below ``root``, the components left for it),
    or None: ``find_page_at``, kept until a page of any type is written (cms/tablecache.py):
    signed-in members' pages are routed on every request (two queries and the page's object
    made from its row), and pages change far less often than they are read. Each caller gets
    its own copy of the page. Only the addresses of pages are kept, not those that lead nowhere
    (anyone can make those up): a path into a page that routes by itself (a quiz's attempt
    pages) is routed from that page's own kept address."""
    if not path_components:
        return None
    # A path into a page that routes by itself (a quiz's attempt pages, an event's calendar
    # file): that page's own address is kept, and the components after it are the page's to
    # route, as Wagtail's walk would leave them to the first such page on the way.
    own = _routing_page_depth(root, path_components)
    if own is not None:
        found = page_at(root, path_components[:own])
        return None if found is None else (found[0], path_components[own:])
    return tablecache.cached(
        "page-at",
        root.pk,
        *path_components,
        tables=tablecache.page_tables(),
        compute=lambda: find_page_at(root, path_components),
        # Only a page's own address: a page that routes by itself (a quiz) takes any components
        # after its own, which anyone can make up.
        keep=lambda found: found is not None and not found[1],
    )


def _routing_page_depth(root, path_components):
    """How many of ``path_components`` lead to the first page on their way that routes by
    itself, when there is one before the last component; else None."""
    addresses = tablecache.cached(
        "routing-pages",
        root.pk,
        tables=tablecache.page_tables(),
        compute=lambda: _routing_page_addresses(root),
    )
    if not addresses:
        return None
    address = root.url_path
    for depth, component in enumerate(path_components[:-1], start=1):
        address += f"{component}/"
        if address in addresses:
            return depth
    return None


def _routing_page_addresses(root):
    """The URL paths of the pages below ``root`` whose type routes by itself."""
    types = [
        ContentType.objects.get_for_model(model, for_concrete_model=False)
        for model in get_page_models()
        if model.route is not Page.route
    ]
    return frozenset(
        Page.objects.filter(
            path__startswith=root.path, depth__gt=root.depth, content_type__in=types
        ).values_list("url_path", flat=True)
    )


def find_page_at(root, path_components):
    """(the specific page at ``path_components`` below ``root``, the components left for it),
    found by its URL path in two queries, where Wagtail's walk down the tree makes two per level
    (a story: six, a quiz's attempt page: eight). The components left are empty, except when
    the last page found routes by itself (``RoutablePageMixin``, an own ``route``: a quiz and
    its attempt pages), which then routes them as the walk would have let it. None when a
    page before the last routes by itself, or no page is at the path: Wagtail's walk then does
    it. The page is the one the walk would find: the child of each page by slug."""
    if not path_components:
        return None
    url_paths = [
        root.url_path + "".join(f"{slug}/" for slug in path_components[: depth + 1])
        for depth in range(len(path_components))
    ]
    chain = list(
        Page.objects.filter(
            path__startswith=root.path, depth__gt=root.depth, url_path__in=url_paths
        ).order_by("depth")
    )
    if not chain:
        return None
    parent_path, parent_depth = root.path, root.depth
    model = None
    for position, ancestor in enumerate(chain):
        model = ContentType.objects.get_for_id(ancestor.content_type_id).model_class()
        if (
            ancestor.depth != parent_depth + 1
            or not ancestor.path.startswith(parent_path)
            or model is None
            or (model.route is not Page.route and position != len(chain) - 1)
        ):
            return None
        parent_path, parent_depth = ancestor.path, ancestor.depth
    if model.route is Page.route and len(chain) != len(path_components):
        return None
    # Whether it has live translations, for the page head's alternate links (seo_tags.page_seo):
    # most pages have none, and then the head reads none.
    others = Page.objects.live().filter(translation_key=OuterRef("translation_key"))
    page = model.objects.annotate(
        has_live_translations=Exists(others.exclude(pk=OuterRef("pk")))
    ).get(pk=chain[-1].pk)
    # {depth: content type id} of the pages from the home page's child down to this one: what
    # the page head asks (``cms.discovery.section_of``) without reading the pages again.
    page.route_content_type_ids = {ancestor.depth: ancestor.content_type_id for ancestor in chain}
    # Each page on the way knows its parent, as treebeard's ``get_parent`` keeps it: the
    # breadcrumbs and the section of the page head read no page again.
    for parent, child in zip([root, *chain[:-1]], [*chain[:-1], page], strict=True):
        child._cached_parent_obj = parent
    return page, path_components[len(chain) :]


class LegalPageKind(models.TextChoices):
    PRIVACY = "privacy", _("Privacy notice")
    TERMS = "terms", _("Terms of use")


class LegalPage(CachedViewRestrictionsMixin, LanguageSwitchMixin, Page):
    """The privacy notice or the terms of use, written and translated in the CMS like any page.
    /privacy/ and /terms/ (linked in the footer and from sign-up) lead to the live one of each
    kind, whatever its slug (cms.views.legal_page)."""

    kind = models.CharField(_("kind"), max_length=8, choices=LegalPageKind.choices)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("kind"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("privacy notice or terms")


class ResourceIndexPage(CachedViewRestrictionsMixin, LanguageSwitchMixin, Page):
    """/resources/: the Virtual Centre's seven sections."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Virtual Centre index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().public().specific()
        return context
