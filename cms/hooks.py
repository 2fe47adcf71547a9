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

# fn(request) -> HomePanel | None. Panels of the home page (featured courses, exchange
# highlights, latest forum activity, ...).
HOME_PANELS = "tvc_home_panels"

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

# fn(query, request) -> SearchGroup | None. What an app finds for the site search at /search/
# (exchange listings, forum posts, ...): only what ``request.user`` may read, newest first or
# best first, at most SEARCH_GROUP_SIZE hits and the total count.
SEARCH_RESULTS = "tvc_search_results"
SEARCH_GROUP_SIZE = 5

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


@dataclass
class SearchHit:
    title: str
    url: str
    date: object = None  # the content's own date (a date or datetime), not when it was indexed
    snippet: str = ""
    kind_label: str = ""


@dataclass
class SearchGroup:
    kind: str  # a slug, also the facet's value: /search/?q=...&section=<kind>
    label: str
    hits: list[SearchHit]
    count: int
    more_url: str = ""  # the app's own search or browse page for this query
    order: int = 100


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


def collect_search_results(query, request):
    groups = [group for group in _results(SEARCH_RESULTS, query, request) if group.count]
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
