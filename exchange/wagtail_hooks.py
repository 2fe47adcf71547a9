"""How the exchange plugs into the core: demo data, home panel, organisation page, impact
figures, user menu, and the admin listing of listings."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from cms.directory.membership import acting_organisation_ids
from cms.highlight import highlight
from cms.hooks import (
    BENCH_PAGES,
    HOME_PANELS,
    IMPACT_FIGURES,
    LOAD_DEMO,
    NOTIFICATION_TOPICS,
    ORGANISATION_LINKS,
    ORGANISATION_MEMBERS,
    ORGANISATION_MEMBERSHIPS,
    PERSONAL_DATA,
    PERSONAL_DATA_ERASE,
    SEARCH_RESULTS,
    SEED_SCALE,
    TEXT_SEARCH_INDEXES,
    USER_MENU_ITEMS,
    Figure,
    HitList,
    HomePanel,
    LinkedGroup,
    LinkedItem,
    MenuItem,
    SearchGroup,
    SearchHit,
    TextIndex,
    same_for_everyone,
)
from cms.notifications.models import Frequency
from cms.notifications.topics import NotificationTopic
from cms.search.text import search_words, text_matches

from . import privacy
from .demo import load as load_demo
from .models import MATCHES_TOPIC, SAVED_SEARCH_TOPIC, Listing, Membership
from .selectors import co2e_avoided, impact_total


@hooks.register(ORGANISATION_MEMBERSHIPS)
def acting_organisations(user):
    """The exchange's approved memberships are who acts for an organisation site-wide."""
    return Membership.objects.approved().filter(user=user).values_list("organisation_id", flat=True)


# The core keeps the answer until this table is written (cms/directory/membership.py).
acting_organisations.reads_tables = [Membership._meta.db_table]  # type: ignore[attr-defined]


@hooks.register(ORGANISATION_MEMBERS)
def organisation_members(organisation_ids):
    members = (
        Membership.objects.approved()
        .filter(organisation_id__in=organisation_ids, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    return [(membership.organisation_id, membership.user) for membership in members]


@hooks.register(NOTIFICATION_TOPICS)
def exchange_notification_topics():
    return [
        NotificationTopic(
            key=SAVED_SEARCH_TOPIC,
            label=_("alerts of new listings for a saved search"),
            default=Frequency.OFF,
            describe=lambda saved_search: saved_search.name,
            settings_url="exchange:saved_searches",
        ),
        NotificationTopic(
            key=MATCHES_TOPIC,
            label=_("alerts of new matches for your organisations' listings"),
            default=Frequency.OFF,
            settings_url="exchange:matches",
        ),
    ]


@hooks.register(LOAD_DEMO, order=130)
def load_exchange_demo(*, stdout, style):
    load_demo(stdout=stdout, style=style)


@hooks.register(HOME_PANELS)
@same_for_everyone
def exchange_highlights(request):
    listings = Listing.objects.public().select_related("organisation").order_by("-published_at")[:5]
    return HomePanel(
        title=_("Materials exchange"),
        template="exchange/includes/home_panel.html",
        context={"listings": listings, "tonnes": impact_total()},
        order=130,
    )


@hooks.register(ORGANISATION_LINKS)
def organisation_listings(organisation, request):
    listings = (
        Listing.objects.public().filter(organisation=organisation).order_by("-published_at")[:20]
    )
    return LinkedGroup(
        title=_("Active listings on the materials exchange"),
        items=[
            LinkedItem(
                title=listing.title,
                url=listing.get_absolute_url(),
                description=f"{listing.get_kind_display()} · {listing.remaining_quantity.normalize():f} {listing.get_unit_display()}",
            )
            for listing in listings
        ],
        order=130,
    )


@hooks.register(IMPACT_FIGURES)
def tonnes_redirected():
    """Confirmed deals only; the CO2e uses the published factor named on the impact page."""
    tonnes = impact_total()
    return [
        Figure(
            label=_("tonnes of textiles redirected from disposal"),
            value=round(float(tonnes), 1),
            unit="t",
            url=reverse("exchange:impact"),
            order=130,
        ),
        Figure(
            label=_("tonnes of CO2e avoided through the exchange"),
            value=round(float(co2e_avoided(tonnes)), 1),
            unit="t",
            url=reverse("exchange:impact"),
            order=131,
        ),
    ]


@hooks.register(USER_MENU_ITEMS)
def exchange_menu(request):
    items = [MenuItem(label=_("Saved searches"), url=reverse("exchange:saved_searches"), order=132)]
    # The core's cached list of the organisations the member acts for (approved memberships of
    # the exchange, the same as member_organisations): no query on every signed-in page.
    if acting_organisation_ids(request.user):
        items += [
            MenuItem(label=_("My listings"), url=reverse("exchange:my_listings"), order=130),
            MenuItem(label=_("My matches"), url=reverse("exchange:matches"), order=131),
            MenuItem(label=_("Inquiries"), url=reverse("exchange:inquiry_list"), order=131),
            MenuItem(label=_("Our impact"), url=reverse("exchange:impact_report"), order=132),
        ]
    else:
        items.append(
            MenuItem(label=_("Join the exchange"), url=reverse("exchange:join"), order=130)
        )
    if request.user.is_staff:
        items.append(
            MenuItem(
                label=_("Verify organisations"),
                url=reverse("exchange:verification_queue"),
                order=133,
            )
        )
    return items


@hooks.register(SEED_SCALE, order=140)
def seed_scale_exchange(*, seed):
    from .seed_scale import seed_listings

    seed_listings(seed=seed)


LISTING_TEXT_FIELDS = ("title", "description")


@hooks.register(TEXT_SEARCH_INDEXES)
def exchange_text_indexes():
    return [TextIndex(Listing, LISTING_TEXT_FIELDS, "exchange_listing_text")]


@hooks.register(SEARCH_RESULTS)
def exchange_search_results(query, request, *, region=None):
    """Active public listings whose title or description holds every word of the query (in any
    form of the visitor's language on PostgreSQL: cms.search.text.text_matches), of
    organisations in ``region`` when one is chosen; newest first."""
    if not search_words(query):
        return None
    listings = Listing.objects.public().active()
    if region is not None:
        listings = listings.filter(region=region)
    listings = text_matches(listings, LISTING_TEXT_FIELDS, query)
    listings = listings.select_related("organisation").order_by("-published_at", "-created_at")
    return SearchGroup(
        kind="exchange",
        label=_("Materials exchange"),
        results=HitList(
            listings,
            lambda listing: SearchHit(
                title=listing.title,
                url=listing.get_absolute_url(),
                date=listing.published_at or listing.created_at,
                snippet=highlight(listing.description, query),
                kind_label=str(listing.get_kind_display()),
            ),
        ),
        more_url=reverse("exchange:browse") + "?" + urlencode({"q": query}),
        order=10,
    )


@hooks.register(PERSONAL_DATA)
def personal_data(user):
    return privacy.personal_data(user)


@hooks.register(PERSONAL_DATA_ERASE)
def erase_personal_data(user):
    privacy.erase_personal_data(user)


@hooks.register(BENCH_PAGES, order=400)
def bench_exchange_pages(*, member):
    from .bench_pages import exchange_pages

    return exchange_pages(member=member)
