"""Reads reused by views, alerts, hooks and the benchmark."""

import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import (
    Count,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import ACos, Coalesce, Cos, Greatest, Least, Sin

from cms import tablecache
from cms.accounts.models import User
from cms.directory.models import Organisation
from cms.notifications.models import Frequency, NotificationPreference
from cms.taxonomy import FIBRE_FAMILY_LABELS

from .factors import RECYCLING_AVOIDED_T_CO2E_PER_T
from .matching import EARTH_RADIUS_KM
from .models import (
    SAVED_SEARCH_TOPIC,
    Deal,
    DealState,
    Listing,
    ListingKind,
    Match,
    Membership,
    SavedSearch,
)

KG_EXPRESSION_UNITS = {"kg": 1, "t": 1000}
RADIANS_PER_DEGREE = math.pi / 180


def distance_expression(lat: float, lon: float) -> CombinedExpression:
    """Great-circle distance in km (spherical law of cosines) as SQL. The point's own terms are
    computed here once, and degrees become radians by a multiplication: on SQLite each math
    function is a Python function called for every row (Django registers them), so a distance
    costs four such calls instead of ten (a search of 300 km reads some 6,000 listings)."""
    lat_r, lon_r = math.radians(lat), math.radians(lon)
    row_lat = F("latitude") * Value(RADIANS_PER_DEGREE)
    row_lon = F("longitude") * Value(RADIANS_PER_DEGREE)
    cosine = Value(math.cos(lat_r)) * Cos(row_lat) * Cos(row_lon - Value(lon_r)) + Value(
        math.sin(lat_r)
    ) * Sin(row_lat)
    return ACos(Greatest(Value(-1.0), Least(Value(1.0), cosine))) * Value(EARTH_RADIUS_KM)


def matches_for_organisations(organisation_ids: Iterable[int]) -> QuerySet[Match]:
    """Stored matches touching the organisations' listings, best first. The organisations'
    listings are read first (one indexed query): given as values, PostgreSQL finds the matches
    through the indexes of both ends and estimates their number; given as a join or a subquery
    it guessed hundreds of rows and read all 50,000 listings of the large set to join them
    (46 ms instead of 3 for the matches page)."""
    own = list(
        Listing.objects.filter(organisation_id__in=organisation_ids)
        .order_by()
        .values_list("pk", flat=True)
    )
    return (
        Match.objects.filter(Q(offer_id__in=own) | Q(wanted_id__in=own))
        .select_related("offer", "wanted", "offer__organisation", "wanted__organisation")
        .order_by("-score", "pk")
    )


def best_match_candidates(*, organisation_ids: list[int]) -> list[tuple[int, float]]:
    """(listing id, best score) of every listing with a stored match to one of the
    organisations' listings, best score first: read from the matches alone, through their
    "best first" indexes from the organisations' own listings, with no listing joined. The
    browse filters are checked afterwards on the few candidates a page needs
    (``filters.BestMatchesFirst``), not on every matched listing."""
    own = Listing.objects.filter(organisation_id__in=organisation_ids).order_by().values("pk")
    as_offer = (
        Match.objects.filter(wanted_id__in=own)
        .order_by()
        .values_list("offer_id")
        .annotate(best=Max("score"))
    )
    as_wanted = (
        Match.objects.filter(offer_id__in=own)
        .order_by()
        .values_list("wanted_id")
        .annotate(best=Max("score"))
    )
    # A listing is an offer or a wanted listing: the two halves never share a listing.
    return list(as_offer.union(as_wanted, all=True).order_by("-best"))


def matched_listings(*, organisation_ids: list[int]) -> Q:
    """The listings with a stored match to one of the organisations' listings, as a filter
    (two uncorrelated subqueries, hashed once)."""
    matches = Match.objects.order_by()
    as_offer = matches.filter(wanted__organisation_id__in=organisation_ids).values("offer_id")
    as_wanted = matches.filter(offer__organisation_id__in=organisation_ids).values("wanted_id")
    return Q(pk__in=as_offer) | Q(pk__in=as_wanted)


def listing_for_page(listing_id: int) -> Listing | None:
    """A listing with what its page shows: its organisation, site and region, composition,
    certifications, photos, fibre limits and accepted codes, in six queries. Kept until one of
    their tables is written (cms/tablecache.py; each reader gets their own copy); an id with no
    listing is not kept (anyone can make one up). Whether the reader may see it is theirs to
    ask (``Listing.is_visible_to``): the value is the same for everyone."""
    from cms.directory.models import Region

    from .models import (
        AcceptedWasteCode,
        Certification,
        CompositionLine,
        FibreLimit,
        ListingPhoto,
        Site,
    )

    def read() -> Listing | None:
        return (
            Listing.objects.select_related("organisation", "site", "region")
            .prefetch_related(
                "composition", "certifications", "photos", "fibre_limits", "accepted_codes"
            )
            .filter(pk=listing_id)
            .first()
        )

    return tablecache.cached(
        "listing-for-page",
        listing_id,
        tables=tablecache.tables_of(
            Listing,
            Organisation,
            Site,
            Region,
            CompositionLine,
            Certification,
            ListingPhoto,
            FibreLimit,
            AcceptedWasteCode,
        ),
        compute=read,
        keep=lambda listing: listing is not None,
    )


def member_organisations(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """The organisations the user acts for on the exchange (approved memberships)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        exchange_memberships__user=user, exchange_memberships__approved_at__isnull=False
    )


def deals_awaiting(user: User) -> QuerySet[Deal]:
    """Deals proposed to one of the user's organisations, waiting for it to confirm."""
    own = Membership.objects.approved().filter(user=user).values("organisation_id")
    return (
        Deal.objects.filter(state=DealState.PROPOSED)
        .filter(Q(inquiry__organisation_id__in=own) | Q(inquiry__listing__organisation_id__in=own))
        .exclude(proposed_by_organisation_id__in=own)
    )


# Impact: confirmed deals only -------------------------------------------------------------------

IMPACT_CACHE_KEY = "exchange:impact"
IMPACT_TOTAL_CACHE_KEY = "exchange:impact-total"
IMPACT_CACHE_KEYS = [IMPACT_CACHE_KEY, IMPACT_TOTAL_CACHE_KEY]


def co2e_avoided(tonnes: Decimal | int | None) -> Decimal:
    """Tonnes of CO2e avoided by recycling ``tonnes`` of textiles instead of disposal."""
    return (tonnes or 0) * RECYCLING_AVOIDED_T_CO2E_PER_T


def impact_total() -> Decimal | int:
    """Tonnes redirected in all, in one query (the home page needs nothing more)."""
    total = cache.get(IMPACT_TOTAL_CACHE_KEY)
    if total is None:
        total = Deal.objects.confirmed().aggregate(total=Sum("tonnes"))["total"] or 0
        cache.set(IMPACT_TOTAL_CACHE_KEY, total, 3600)
    return total


def impact_totals() -> dict[str, Any]:
    """Tonnes redirected from disposal through confirmed deals and the CO2e that avoided:
    total, by region, by material. Cached until the next confirmation (``deal_confirm``
    clears it)."""
    cached = cache.get(IMPACT_CACHE_KEY)
    if cached is not None:
        return cached
    deals = Deal.objects.confirmed().filter(tonnes__isnull=False)
    sums = deals.aggregate(total=Sum("tonnes"), count=Count("pk"))
    total = sums["total"] or 0
    by_region = list(
        deals.values("region__name").annotate(tonnes=Sum("tonnes")).order_by("-tonnes")
    )
    by_material = [
        {
            "family": FIBRE_FAMILY_LABELS.get(row["fibre_family"], row["fibre_family"]),
            "tonnes": row["tonnes"],
        }
        for row in deals.values("fibre_family").annotate(tonnes=Sum("tonnes")).order_by("-tonnes")
    ]
    totals = {
        "total": total,
        "co2e": co2e_avoided(total),
        "deals": sums["count"],
        "by_region": by_region,
        "by_material": by_material,
    }
    cache.set(IMPACT_CACHE_KEY, totals, 3600)
    return totals


def organisation_impact(organisation: Organisation) -> dict[str, Any]:
    """An organisation's confirmed deals, as supplier or receiver, with their tonnes and the
    CO2e avoided: the rows of its impact report, newest first, and the totals."""
    deals = (
        Deal.objects.confirmed()
        .of_organisation(organisation.pk)
        .select_related("inquiry__listing__organisation", "inquiry__organisation", "region")
        .order_by("-date", "-pk")
    )
    rows: list[dict[str, Any]] = []
    supplied: Decimal | int = 0
    received: Decimal | int = 0
    for deal in deals:
        inquiry, listing = deal.inquiry, deal.inquiry.listing
        # The supplier is the offer's organisation, or whoever answered a wanted listing.
        offer_side = listing.organisation if listing.kind == ListingKind.OFFER else None
        supplier = offer_side or inquiry.organisation
        receiver = inquiry.organisation if offer_side else listing.organisation
        is_supplier = supplier.pk == organisation.pk
        tonnes = deal.tonnes or 0
        if is_supplier:
            supplied += tonnes
        else:
            received += tonnes
        rows.append(
            {
                "deal": deal,
                "date": deal.date,
                "listing": listing,
                "role": "supplied" if is_supplier else "received",
                "counterparty": receiver if is_supplier else supplier,
                "quantity": deal.quantity,
                "unit": listing.get_unit_display(),
                "tonnes": deal.tonnes,
                "co2e": co2e_avoided(deal.tonnes) if deal.tonnes is not None else None,
                "material": FIBRE_FAMILY_LABELS.get(deal.fibre_family, deal.fibre_family),
            }
        )
    total = supplied + received
    return {
        "rows": rows,
        "supplied": supplied,
        "received": received,
        "total": total,
        "co2e": co2e_avoided(total),
        "deals": len(rows),
    }


def saved_searches_of(*, user: User) -> Sequence[SavedSearch]:
    """The member's saved searches, each with ``alert_frequency`` (its notification preference)
    and ``alert_label``, in one query."""
    preference = NotificationPreference.objects.filter(
        topic=SAVED_SEARCH_TOPIC, user=user, target_id=OuterRef("pk")
    ).values("frequency")[:1]
    searches = list(
        SavedSearch.objects.filter(user=user).annotate(
            alert_frequency=Coalesce(Subquery(preference), Value(Frequency.OFF))
        )
    )
    for search in searches:
        # An attribute for the templates, not a field: unknown to the model's type.
        search.alert_label = Frequency(search.alert_frequency).label  # type: ignore[attr-defined]
    return searches
