"""Reads reused by views, alerts, hooks and the benchmark."""

from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import ACos, Coalesce, Cos, Greatest, Least, Radians, Sin

from cms.directory.models import Organisation
from cms.notifications.models import Frequency, NotificationPreference
from cms.taxonomy import FIBRE_FAMILIES

from .factors import RECYCLING_AVOIDED_T_CO2E_PER_T
from .matching import EARTH_RADIUS_KM, bounding_box
from .models import (
    SAVED_SEARCH_TOPIC,
    Certification,
    CompositionLine,
    Deal,
    DealState,
    Listing,
    ListingKind,
    Match,
    Membership,
    SavedSearch,
)

KG_EXPRESSION_UNITS = {"kg": 1, "t": 1000}


def distance_expression(lat, lon):
    """Great-circle distance in km (spherical law of cosines) as SQL; SQLite gets these math
    functions from Django, PostgreSQL has them natively."""
    lat_r, lon_r = Radians(Value(lat)), Radians(Value(lon))
    cosine = Cos(lat_r) * Cos(Radians(F("latitude"))) * Cos(Radians(F("longitude")) - lon_r) + Sin(
        lat_r
    ) * Sin(Radians(F("latitude")))
    return ACos(Greatest(Value(-1.0), Least(Value(1.0), cosine))) * Value(EARTH_RADIUS_KM)


def listings_search(form, *, user, organisation_ids=()):
    """Apply a valid BrowseForm to the listings ``user`` may see."""
    qs = Listing.objects.visible_to(user)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("q"):
        qs = qs.filter(Q(title__icontains=data["q"]) | Q(description__icontains=data["q"]))
    for field in ("kind", "waste_code", "form", "origin"):
        if data.get(field):
            qs = qs.filter(**{field: data[field]})
    if data.get("fibre"):
        qs = qs.filter(
            Exists(CompositionLine.objects.filter(listing=OuterRef("pk"), fibre=data["fibre"]))
        )
    if data.get("certification"):
        qs = qs.filter(
            Exists(
                Certification.objects.filter(listing=OuterRef("pk"), scheme=data["certification"])
            )
        )
    if data.get("region"):
        qs = qs.filter(region=data["region"])
    if data.get("verified"):
        qs = qs.filter(organisation__verified_at__isnull=False)
    if data.get("min_quality"):
        qs = qs.filter(quality_score__gte=data["min_quality"])
    if data.get("min_quantity") is not None or data.get("max_quantity") is not None:
        # Quantities compare in kilograms; listings in metres or pieces drop out.
        qs = qs.filter(unit__in=KG_EXPRESSION_UNITS)
        low, high = data.get("min_quantity"), data.get("max_quantity")
        kg_q = Q()
        if low is not None:
            kg_q &= Q(unit="kg", remaining_quantity__gte=low) | Q(
                unit="t", remaining_quantity__gte=low / 1000
            )
        if high is not None:
            kg_q &= Q(unit="kg", remaining_quantity__lte=high) | Q(
                unit="t", remaining_quantity__lte=high / 1000
            )
        qs = qs.filter(kg_q)
    point = form.point() if data else None
    if point:
        lat, lon = point
        qs = qs.filter(latitude__isnull=False).annotate(distance=distance_expression(lat, lon))
        if data.get("radius"):
            min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, data["radius"])
            qs = qs.filter(
                latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon)
            ).filter(distance__lte=data["radius"])
    sort = data.get("sort") or "newest"
    if sort == "nearest" and point:
        qs = qs.order_by("distance", "-published_at")
    elif sort == "best" and organisation_ids:
        as_offer = Match.objects.filter(
            offer=OuterRef("pk"), wanted__organisation_id__in=organisation_ids
        ).order_by("-score")
        as_wanted = Match.objects.filter(
            wanted=OuterRef("pk"), offer__organisation_id__in=organisation_ids
        ).order_by("-score")
        qs = qs.annotate(
            best_score=Greatest(
                Coalesce(Subquery(as_offer.values("score")[:1]), Value(0.0)),
                Coalesce(Subquery(as_wanted.values("score")[:1]), Value(0.0)),
            )
        ).order_by("-best_score", "-published_at")
    elif sort == "quality":
        qs = qs.order_by("-quality_score", "-published_at")
    else:
        qs = qs.order_by("-published_at", "-created_at")
    return qs.select_related("organisation", "region", "site")


def matches_for_organisations(organisation_ids):
    """Stored matches touching the organisations' listings, best first."""
    return (
        Match.objects.filter(
            Q(offer__organisation_id__in=organisation_ids)
            | Q(wanted__organisation_id__in=organisation_ids)
        )
        .select_related("offer", "wanted", "offer__organisation", "wanted__organisation")
        .order_by("-score", "pk")
    )


def member_organisations(user):
    """The organisations the user acts for on the exchange (approved memberships)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        exchange_memberships__user=user, exchange_memberships__approved_at__isnull=False
    )


def deals_awaiting(user):
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


def co2e_avoided(tonnes):
    """Tonnes of CO2e avoided by recycling ``tonnes`` of textiles instead of disposal."""
    return (tonnes or 0) * RECYCLING_AVOIDED_T_CO2E_PER_T


def impact_total():
    """Tonnes redirected in all, in one query (the home page needs nothing more)."""
    total = cache.get(IMPACT_TOTAL_CACHE_KEY)
    if total is None:
        total = Deal.objects.confirmed().aggregate(total=Sum("tonnes"))["total"] or 0
        cache.set(IMPACT_TOTAL_CACHE_KEY, total, 3600)
    return total


def impact_totals():
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
    labels = dict(FIBRE_FAMILIES)
    by_material = [
        {"family": labels.get(row["fibre_family"], row["fibre_family"]), "tonnes": row["tonnes"]}
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


def organisation_impact(organisation):
    """An organisation's confirmed deals, as supplier or receiver, with their tonnes and the
    CO2e avoided: the rows of its impact report, newest first, and the totals."""
    deals = (
        Deal.objects.confirmed()
        .of_organisation(organisation.pk)
        .select_related("inquiry__listing__organisation", "inquiry__organisation", "region")
        .order_by("-date", "-pk")
    )
    labels = dict(FIBRE_FAMILIES)
    rows, supplied, received = [], 0, 0
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
                "material": labels.get(deal.fibre_family, deal.fibre_family),
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


def saved_searches_of(*, user):
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
        search.alert_label = Frequency(search.alert_frequency).label
    return searches
