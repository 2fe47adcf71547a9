"""Extension points of the core.

``cms`` never imports ``courses``, ``forum`` or ``exchange``. What the Virtual Centre shows of
them comes through these Wagtail hooks, which each app registers in its ``wagtail_hooks.py``::

    from wagtail import hooks
    from cms.hooks import HOME_PANELS, HomePanel

    @hooks.register(HOME_PANELS)
    def featured_courses(request):
        return HomePanel(title=..., template="courses/includes/home_panel.html", context={...})

The ``collect_*`` functions below are what the core calls.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from wagtail import hooks

# fn(*, stdout, style) -> None. Fills the demo database; `order=` sets the sequence
# (core 0, then 100+ for the apps). Each loader must be idempotent.
LOAD_DEMO = "tvc_load_demo"

# fn(*, seed) -> None, seed a cms.seed_scale.ScaleSeed. An app's part of `manage.py seed_scale`:
# bulk inserts of a large (or, for tests, small) data set built on the core's users,
# organisations and regions (`order=` as for LOAD_DEMO). Each part lives next to its app's models.
SEED_SCALE = "tvc_seed_scale"

# fn(*, member) -> list[KeyPage]. An app's key pages for `manage.py bench_pages` (`make bench`),
# found in the database (the large data set of seed_scale); the app may give ``member`` what its
# signed-in pages show (an enrolment, a membership). `order=` sets the rows' order.
BENCH_PAGES = "tvc_bench_pages"


@dataclass(frozen=True)
class KeyPage:
    name: str
    url: str
    signed_in_only: bool = False


# fn(request) -> HomePanel | None. Panels of the home page (featured courses, exchange
# highlights, latest forum activity, ...). Each is rendered once and kept until the next write
# to the database, apart for each member, or for everyone alike when the function is marked
# with ``same_for_everyone`` (cms.models.home.rendered_home_panels).
HOME_PANELS = "tvc_home_panels"


def same_for_everyone(fn):
    """Marks a HOME_PANELS function whose panel shows the same to every visitor, signed in or
    not (nothing that depends on ``request.user``): it is rendered once for all of them."""
    fn.same_for_everyone = True
    return fn


# fn(organisation, request) -> LinkedGroup | None. Everything an app links to an organisation,
# shown on the organisation's public page. Return only what `request.user` may see.
ORGANISATION_LINKS = "tvc_organisation_links"

# fn(section, request) -> HomePanel | None. What an app shows inside a Virtual Centre section
# index page: section is "working-groups" (forum/) or "training" (courses/). The cms section
# page renders the panels' templates; with no app registered it lists nothing but renders.
SECTION_PANELS = "tvc_section_panels"

# fn() -> list[Figure]. Impact figures (tonnes redirected, certificates issued, ...).
IMPACT_FIGURES = "tvc_impact_figures"

# fn(request) -> list[MenuItem]. Extra links in the signed-in user's menu ("My learning", ...).
USER_MENU_ITEMS = "tvc_user_menu_items"

# fn(user) -> Q | None. Live pages that must not be listed to ``user`` (an AnonymousUser for the
# public sitemap) in site search, the sitemap and feeds, although they are not behind a Wagtail
# view restriction: e.g. the lessons of a course that needs an enrolment key. The Q applies to
# wagtailcore.Page.
HIDDEN_PAGES = "tvc_hidden_pages"

# fn(query, request, *, region) -> SearchGroup | list[SearchGroup] | None. One kind of result of
# the site search at /search/ (exchange listings, forum posts, courses, lessons, opportunities,
# experts, ...): see SearchGroup and HitList below for the contract. ``query`` is the visitor's
# text (already cleaned of what breaks a full-text backend), ``region`` a directory.Region or
# None: a kind whose content has no region returns None when a region is chosen.
SEARCH_RESULTS = "tvc_search_results"
SEARCH_GROUP_SIZE = 5

# fn() -> list[TextIndex]. Texts of no known language (forum posts, exchange listings) that an
# app searches in the visitor's language with cms.search.text.text_matches: the core gives each
# a GIN index per text-search configuration (cms/search/languages.py), after every migrate.
TEXT_SEARCH_INDEXES = "tvc_text_search_indexes"

# fn() -> list[cms.notifications.topics.NotificationTopic]. What people can be e-mailed about
# (preferences and one-click unsubscribe: cms/notifications).
NOTIFICATION_TOPICS = "tvc_notification_topics"

# fn(user) -> iterable of organisation ids. The organisations ``user`` acts for (an approved
# member of), for what the core lets organisations do (partner opportunities, expressions of
# interest, cooperation profiles). Read with cms.directory.membership.acting_organisation_ids.
ORGANISATION_MEMBERSHIPS = "tvc_organisation_memberships"

# fn(organisation_ids) -> iterable of (organisation id, user). The approved members of those
# organisations, who are e-mailed on their behalf. Read with
# cms.directory.membership.organisation_members.
ORGANISATION_MEMBERS = "tvc_organisation_members"

# fn(user) -> dict[str, JSON value] | None. An app's sections of a person's data export
# (/accounts/privacy/export/): what it holds about ``user`` (enrolments, posts, listings, ...),
# as JSON-serialisable values (dates as ISO strings). cms.accounts.privacy adds the profile.
PERSONAL_DATA = "tvc_personal_data"

# fn(user) -> None. Erase or anonymise what an app holds about ``user``, who is deleting their
# account. Runs inside the deletion's transaction, before the core anonymises the account row
# itself (which stays, renamed "Deleted user", so posts and certificates keep their owner).
PERSONAL_DATA_ERASE = "tvc_personal_data_erase"


@dataclass
class HomePanel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


@dataclass
class LinkedItem:
    title: str
    url: str
    description: str = ""


@dataclass
class LinkedGroup:
    title: str
    items: list[LinkedItem]
    order: int = 100


@dataclass
class Figure:
    label: str
    value: float | int
    unit: str = ""
    url: str = ""
    order: int = 100


@dataclass
class MenuItem:
    label: str
    url: str
    order: int = 100


@dataclass(frozen=True)
class TextIndex:
    """The text of ``fields`` of ``model``, searched with cms.search.text.text_matches on the
    same fields. Its indexes: ``name`` (the "simple" configuration) and ``name_<config>``."""

    model: type
    fields: tuple[str, ...]
    name: str

    def index_name(self, config):
        return self.name if config == "simple" else f"{self.name}_{config}"


@dataclass
class SearchHit:
    """One result of the site search."""

    title: str
    url: str
    # The content's own date (a listing's publication, a post's writing, an event's start, a
    # course's start...): a date or an aware datetime, or None. Never when it was indexed.
    date: object = None
    snippet: str = ""  # plain text (escaped by the template) or cms.highlight.highlight()'s HTML
    kind_label: str = ""  # what it is, in the visitor's language ("Offer", "Course", "Lesson")


class HitList:
    """A lazy, sliceable list of SearchHit over a queryset (or Wagtail search results) that is
    already filtered to what the visitor may read and ordered best first. The core counts it
    (one COUNT query per kind, for the facet) and slices only the page it shows, so a kind
    with ten thousand matches costs two queries. Django's Paginator takes it as it is.

    ``to_hit(obj) -> SearchHit`` turns one object into a hit; ``prepare(objs)`` may fetch what
    the hits of one slice need in one query (prefetch) and return the objects."""

    def __init__(self, objects, to_hit, *, prepare=None):
        self.objects = objects
        self.to_hit = to_hit
        self.prepare = prepare
        self._count = None

    def count(self):
        if self._count is None:
            self._count = self.objects.count()
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        objects = list(self.objects[index])
        if self.prepare is not None:
            objects = self.prepare(objects)
        return [self.to_hit(obj) for obj in objects]


@dataclass
class SearchGroup:
    """One kind of result of the site search, and its facet.

    kind      a slug unique among all kinds, the facet's value: /search/?q=...&kind=<kind>.
              Taken: ``pages`` and the section slugs (the core's pages, one facet per section),
              ``organisations`` (the core's directory), ``exchange`` (exchange listings),
              ``forum`` (forum posts). Courses and lessons, opportunities and experts: ``courses``,
              ``lessons``, ``opportunities``, ``experts``.
    label     the facet's name, translated ("Forum posts").
    results   a HitList (or anything with count() and slicing that gives SearchHit) of only what
              ``request.user`` may read — the core shows and counts it as it is — ordered best
              first. The facet's count is results.count().
    more_url  the app's own search or browse page for this query, if it has one.
    order     the facet's place in the list (pages 0, organisations 5, exchange 10, forum 20).
    pages     for kinds made of Wagtail pages (courses, lessons): a Q on wagtailcore.Page matching
              the pages this kind shows, which the core then leaves out of its page results so
              nothing appears twice.

    With no facet chosen, /search/ shows every kind in one list: the kinds' own orders merged
    by reciprocal-rank fusion (each kind's first hit, then each kind's second, ... weighted by
    nothing but rank, since scores of different backends do not compare), paginated."""

    kind: str
    label: str
    results: object
    more_url: str = ""
    order: int = 100
    pages: object = None

    @property
    def count(self):
        return self.results.count()


def _results(name, *args, **kwargs):
    for fn in hooks.get_hooks(name):
        result = fn(*args, **kwargs)
        if result is None:
            continue
        if isinstance(result, list | tuple):
            yield from result
        else:
            yield result


def collect_home_panels(request):
    return sorted(_results(HOME_PANELS, request), key=lambda panel: panel.order)


def collect_section_panels(section, request):
    return sorted(_results(SECTION_PANELS, section, request), key=lambda panel: panel.order)


def collect_organisation_links(organisation, request):
    groups = [group for group in _results(ORGANISATION_LINKS, organisation, request) if group.items]
    return sorted(groups, key=lambda group: group.order)


def collect_impact_figures():
    return sorted(_results(IMPACT_FIGURES), key=lambda figure: figure.order)


def hidden_pages_condition(user):
    """A Q on Page matching the pages that HIDDEN_PAGES hooks hide from ``user``."""
    condition = Q(pk__in=[])
    for fn in hooks.get_hooks(HIDDEN_PAGES):
        result = fn(user)
        if result is not None:
            condition |= result
    return condition


def collect_search_results(query, request, *, region=None):
    """Every app's SearchGroup for ``query`` (empty ones included: a facet may show 0)."""
    groups = list(_results(SEARCH_RESULTS, query, request, region=region))
    return sorted(groups, key=lambda group: group.order)


def collect_user_menu_items(request):
    return sorted(_results(USER_MENU_ITEMS, request), key=lambda item: item.order)


def collect_personal_data(user):
    """Every app's sections of ``user``'s data export, in one dict."""
    data = {}
    for fn in hooks.get_hooks(PERSONAL_DATA):
        data.update(fn(user) or {})
    return data


def erase_personal_data(user):
    for fn in hooks.get_hooks(PERSONAL_DATA_ERASE):
        fn(user)
