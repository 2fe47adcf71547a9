"""Matching offers to wanted listings: hard filters in SQL, then an explainable score.

Score = 0.40 composition + 0.25 quantity coverage + 0.20 distance + 0.15 waste hierarchy.
"""

import math
from collections import defaultdict, namedtuple

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cms.taxonomy import FIBRE_FAMILY, HAZARDOUS_WASTE_CODES

from .models import (
    KG_PER_UNIT,
    PER_MONTH,
    CompositionLine,
    Listing,
    ListingKind,
    ListingState,
    Match,
)

EARTH_RADIUS_KM = 6371.0
# Road freight, EU average (EEA / GLEC default for an articulated truck): kg CO2e per tonne-km.
ROAD_FREIGHT_KG_CO2E_PER_TKM = 0.062
MAX_DISTANCE_KM = 2500
MIN_SCORE = 0.25
MATCHES_KEPT_PER_LISTING = 50
WEIGHTS = {"composition": 0.40, "quantity": 0.25, "distance": 0.20, "hierarchy": 0.15}
# Waste hierarchy (Directive 2008/98/EC art. 4): reuse over recycling over other recovery.
HIERARCHY = {
    "reuse": 1.0,
    "upcycling": 0.9,
    "mechanical": 0.8,
    "chemical_depolymerisation": 0.8,
    "chemical_dissolution": 0.8,
    "thermomechanical": 0.75,
    "spinning": 0.8,
    "nonwoven": 0.7,
    "sorting_automated": 0.7,
    "sorting_manual": 0.7,
    "collection": 0.6,
    "energy_recovery": 0.2,
}
HIERARCHY_LABEL = {
    1.0: "reuse",
    0.9: "upcycling",
    0.8: "recycling",
    0.75: "recycling",
    0.7: "preparation for recycling",
    0.6: "collection",
    0.2: "energy recovery",
}


def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def bounding_box(lat, lon, radius_km):
    """(min_lat, max_lat, min_lon, max_lon) enclosing a circle: an index-friendly prefilter."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = max(math.cos(math.radians(lat)), 0.01)
    dlon = math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def composition_of(listing):
    return {line.fibre: line.percent for line in listing.composition.all()}


def families_of(composition):
    families = defaultdict(int)
    for fibre, percent in composition.items():
        families[FIBRE_FAMILY.get(fibre, "unknown")] += percent
    return families


def composition_similarity(offer, wanted):
    """Histogram intersection of fibres, with half credit for the same fibre family."""
    if not offer or not wanted:
        return 0.0
    exact = sum(min(offer.get(f, 0), p) for f, p in wanted.items() if f != "unknown") / 100
    off_fam, want_fam = families_of(offer), families_of(wanted)
    family = sum(min(off_fam.get(f, 0), p) for f, p in want_fam.items() if f != "unknown") / 100
    return min(1.0, exact + 0.5 * max(0.0, family - exact))


def monthly_kg(listing):
    factor = KG_PER_UNIT.get(listing.unit)
    quantity = float(listing.remaining_quantity) * PER_MONTH[listing.supply_pattern]
    return quantity * float(factor) if factor is not None else None


def quantity_coverage(offer, wanted):
    offer_kg, wanted_kg = monthly_kg(offer), monthly_kg(wanted)
    if offer_kg is not None and wanted_kg is not None:
        return (min(1.0, offer_kg / wanted_kg) if wanted_kg else 1.0), True
    if offer.unit == wanted.unit:
        need = float(wanted.remaining_quantity) * PER_MONTH[wanted.supply_pattern]
        have = float(offer.remaining_quantity) * PER_MONTH[offer.supply_pattern]
        return (min(1.0, have / need) if need else 1.0), True
    return 0.5, False  # units that do not convert: neutral


def passes_hard_filters(offer, wanted, offer_comp, wanted_comp):
    if offer.organisation_id == wanted.organisation_id:
        return False
    if offer.waste_code in HAZARDOUS_WASTE_CODES and not wanted.accepts_hazardous:
        return False
    if wanted.accepted_forms and offer.form and offer.form not in wanted.accepted_forms:
        return False
    same_code = bool(offer.waste_code) and offer.waste_code == wanted.waste_code
    shared_family = bool(set(families_of(offer_comp)) & set(families_of(wanted_comp)) - {"unknown"})
    return same_code or shared_family or not wanted_comp


def _fibre_phrase(composition):
    top = sorted(composition.items(), key=lambda item: -item[1])[:2]
    return " + ".join(f"{percent}% {fibre}" for fibre, percent in top)


def score_pair(offer, wanted, offer_comp, wanted_comp):
    """Return (score, distance_km, co2_kg, reasons) or None when a hard filter fails.

    Reasons are stored as data, ``[key, {params}]``, and worded in the reader's language
    when shown (``explain``)."""
    if not passes_hard_filters(offer, wanted, offer_comp, wanted_comp):
        return None
    reasons = []
    composition = composition_similarity(offer_comp, wanted_comp) if wanted_comp else 0.6
    if wanted_comp:
        main_fibre, main_percent = max(wanted_comp.items(), key=lambda item: item[1])
        reasons.append(
            [
                "composition",
                {"offer": _fibre_phrase(offer_comp), "percent": main_percent, "fibre": main_fibre},
            ]
        )
    if offer.waste_code and offer.waste_code == wanted.waste_code:
        reasons.append(["code", {"code": offer.waste_code}])

    coverage, comparable = quantity_coverage(offer, wanted)
    if comparable:
        reasons.append(
            [
                "coverage",
                {"percent": round(coverage * 100), "one_off": wanted.supply_pattern == "one_off"},
            ]
        )

    distance = co2 = None
    distance_score = 0.5
    if None not in (offer.latitude, offer.longitude, wanted.latitude, wanted.longitude):
        distance = haversine_km(offer.latitude, offer.longitude, wanted.latitude, wanted.longitude)
        if distance > MAX_DISTANCE_KM:
            return None
        distance_score = max(0.0, 1 - distance / 1500)
        known = [kg for kg in (monthly_kg(offer), monthly_kg(wanted)) if kg is not None]
        if known:
            co2 = min(known) / 1000 * distance * ROAD_FREIGHT_KG_CO2E_PER_TKM
        reasons.append(
            [
                "distance",
                {
                    "km": round(distance),
                    "co2": None if co2 is None else (round(co2) if co2 >= 10 else round(co2, 1)),
                },
            ]
        )

    hierarchy = HIERARCHY.get(wanted.process or offer.process, 0.7)
    if wanted.process:
        reasons.append(["hierarchy", {"use": HIERARCHY_LABEL.get(hierarchy, "recovery")}])
    score = (
        WEIGHTS["composition"] * composition
        + WEIGHTS["quantity"] * coverage
        + WEIGHTS["distance"] * distance_score
        + WEIGHTS["hierarchy"] * hierarchy
    )
    return round(score, 4), distance, co2, reasons


def candidates_for(listing):
    """Active listings of the other kind that could pair with ``listing``, filtered in SQL."""
    other = ListingKind.WANTED if listing.is_offer else ListingKind.OFFER
    qs = Listing.objects.filter(
        state=ListingState.ACTIVE, kind=other, organisation__verified_at__isnull=False
    ).exclude(organisation_id=listing.organisation_id)
    if listing.is_offer:
        if listing.waste_code in HAZARDOUS_WASTE_CODES:
            qs = qs.filter(accepts_hazardous=True)
    elif not listing.accepts_hazardous:
        qs = qs.exclude(waste_code__in=HAZARDOUS_WASTE_CODES)
    comp = composition_of(listing)
    families = set(families_of(comp)) - {"unknown"}
    fibres = [fibre for fibre, family in FIBRE_FAMILY.items() if family in families]
    # A subquery rather than a join: no duplicates, so no DISTINCT over thousands of rows.
    same = Q(pk__in=CompositionLine.objects.filter(fibre__in=fibres).values("listing_id"))
    if listing.waste_code:
        same |= Q(waste_code=listing.waste_code)
    if comp or not listing.is_offer:
        qs = qs.filter(same)
    if listing.latitude is not None and listing.longitude is not None:
        min_lat, max_lat, min_lon, max_lon = bounding_box(
            listing.latitude, listing.longitude, MAX_DISTANCE_KM
        )
        qs = qs.filter(
            Q(latitude__isnull=True)
            | Q(
                latitude__range=(min_lat, max_lat),
                longitude__range=(min_lon, max_lon),
            )
        )
    return qs.values_list(*CANDIDATE_FIELDS)


CANDIDATE_FIELDS = [
    "id",
    "organisation_id",
    "kind",
    "waste_code",
    "accepts_hazardous",
    "form",
    "accepted_forms",
    "process",
    "remaining_quantity",
    "unit",
    "supply_pattern",
    "latitude",
    "longitude",
]


# Candidates are read as plain tuples: building 25,000 model instances costs more than scoring.
Candidate = namedtuple("Candidate", CANDIDATE_FIELDS)


def compositions_for(listing_ids):
    """{listing_id: {fibre: percent}} in one query per 5,000 ids, without model instances."""
    compositions = defaultdict(dict)
    ids = list(listing_ids)
    for start in range(0, len(ids), 5000):
        rows = CompositionLine.objects.filter(listing_id__in=ids[start : start + 5000]).values_list(
            "listing_id", "fibre", "percent"
        )
        for listing_id, fibre, percent in rows:
            compositions[listing_id][fibre] = percent
    return compositions


def listing_matches_recompute(*, listing_id):
    """Replace the stored matches of one listing. Returns the number of matches kept."""
    listing = (
        Listing.objects.filter(pk=listing_id)
        .select_related("organisation")
        .prefetch_related("composition")
        .first()
    )
    if listing is None:
        return 0
    with transaction.atomic():
        field = "offer" if listing.is_offer else "wanted"
        Match.objects.filter(**{field: listing}).delete()
        if listing.state != ListingState.ACTIVE or not listing.organisation.is_verified:
            return 0
        own = composition_of(listing)
        now = timezone.now()
        rows = []
        candidates = [Candidate(*row) for row in candidates_for(listing)]
        compositions = compositions_for(other.id for other in candidates)
        for other in candidates:
            other_comp = compositions.get(other.id, {})
            offer, wanted = (listing, other) if listing.is_offer else (other, listing)
            offer_comp, wanted_comp = (own, other_comp) if listing.is_offer else (other_comp, own)
            result = score_pair(offer, wanted, offer_comp, wanted_comp)
            if result is None or result[0] < MIN_SCORE:
                continue
            rows.append((offer.id, wanted.id, *result))
        rows.sort(key=lambda row: -row[2])
        rows = [
            Match(
                offer_id=offer_id,
                wanted_id=wanted_id,
                score=score,
                distance_km=distance,
                transport_co2_kg=co2,
                reasons=reasons,
                computed_at=now,
            )
            for offer_id, wanted_id, score, distance, co2, reasons in rows[
                :MATCHES_KEPT_PER_LISTING
            ]
        ]
        Match.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
