"""Matching offers to wanted listings on the buyer's specification.

Two stages. Every hard limit of the wanted listing (and every requirement of the offer) filters:
a pair that breaks one is never stored, so never proposed, alerted or counted. The filters run
in the database (``candidates_for``); ``check_pair`` states the same rules in Python and is the
final word on the few pairs that are kept, and the wording of their explanation. Survivors are
then ranked:

    score = 0.40 composition + 0.25 quantity coverage + 0.20 transport + 0.15 waste hierarchy
"""

import math
from dataclasses import dataclass

from django.db import transaction
from django.db.models import (
    Aggregate,
    CharField,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from cms.directory.models import Organisation
from cms.taxonomy import FIBRE_FAMILY, HAZARDOUS_WASTE_CODES, is_hazardous_code

from .factors import ROAD_FREIGHT_KG_CO2E_PER_TKM
from .models import (
    FAMILY_PREFIX,
    KG_PER_UNIT,
    PER_MONTH,
    AcceptedWasteCode,
    CompositionLine,
    FibreLimit,
    Listing,
    ListingKind,
    ListingState,
    Logistics,
    Match,
    fibres_of,
)

EARTH_RADIUS_KM = 6371.0
MIN_SCORE = 0.25
MATCHES_KEPT_PER_LISTING = 50
# Distance at which the transport part of the score reaches zero.
TRANSPORT_SCALE_KM = 1500
WEIGHTS = {"composition": 0.40, "quantity": 0.25, "transport": 0.20, "hierarchy": 0.15}
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
HIERARCHY_DEFAULT = 0.7
HIERARCHY_LABEL = {
    1.0: "reuse",
    0.9: "upcycling",
    0.8: "recycling",
    0.75: "recycling",
    0.7: "preparation for recycling",
    0.6: "collection",
    0.2: "energy recovery",
}
# Single-valued attributes of an offer that a wanted listing may limit to a set of values:
# (offer field, wanted field).
ACCEPTED_SETS = [
    ("form", "accepted_forms"),
    ("origin", "accepted_origins"),
    ("production_stage", "accepted_stages"),
    ("colour", "accepted_colours"),
    ("grade", "accepted_grades"),
    ("legal_status", "accepted_legal_statuses"),
    ("supply_pattern", "accepted_supply_patterns"),
]
# Every spelling of a hazardous code that could be stored (with and without the asterisk).
HAZARDOUS_SPELLINGS = sorted(HAZARDOUS_WASTE_CODES | {c.rstrip("*") for c in HAZARDOUS_WASTE_CODES})
COLLECTING = (Logistics.PICK_UP, Logistics.EITHER)


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


# What matching reads of a listing ----------------------------------------------------------------


@dataclass
class Profile:
    """A listing with its composition, accepted codes and fibre limits, read once."""

    listing: Listing
    composition: dict  # fibre -> percent
    codes: set
    limits: list  # (subject, min_percent or None, max_percent or None)

    @classmethod
    def of(cls, listing):
        return cls(
            listing=listing,
            composition={line.fibre: line.percent for line in listing.composition.all()},
            codes={accepted.code for accepted in listing.accepted_codes.all()},
            limits=[
                (limit.fibre, limit.min_percent, limit.max_percent)
                for limit in listing.fibre_limits.all()
            ],
        )

    @property
    def unknown_percent(self):
        return self.composition.get("unknown", 0) + max(0, 100 - sum(self.composition.values()))

    def share(self, subject):
        """Percent of the composition that is ``subject`` (a fibre or "family:<family>")."""
        return sum(self.composition.get(fibre, 0) for fibre in fibres_of(subject))

    def lot_kg(self):
        factor = KG_PER_UNIT.get(self.listing.unit)
        return None if factor is None else float(self.listing.remaining_quantity * factor)

    def monthly(self):
        """(quantity per month, in kg when the unit converts, else in the listing's unit)."""
        quantity = float(self.listing.remaining_quantity) * PER_MONTH[self.listing.supply_pattern]
        factor = KG_PER_UNIT.get(self.listing.unit)
        return (quantity * float(factor), "kg") if factor is not None else (quantity, None)


PROFILE_PREFETCH = ("composition", "accepted_codes", "fibre_limits")
# What the rules read of a listing; candidates are read as plain rows of these columns, since
# building thousands of model instances costs more than checking and scoring them.
ROW_FIELDS = [
    "id",
    "organisation_id",
    "kind",
    "waste_code",
    "accepts_hazardous",
    "any_fibre",
    "form",
    "origin",
    "production_stage",
    "colour",
    "grade",
    "legal_status",
    "supply_pattern",
    "contaminants",
    "contaminants_stated",
    "process",
    "remaining_quantity",
    "unit",
    "latitude",
    "longitude",
    "logistics",
    "requires_permit",
    "requires_pick_up",
    "holds_permit",
    "radius_km",
    "min_lot_kg",
    "max_lot_kg",
    "accepted_forms",
    "accepted_origins",
    "accepted_stages",
    "accepted_colours",
    "accepted_grades",
    "accepted_legal_statuses",
    "accepted_supply_patterns",
    "refused_contaminants",
]


# What ranking reads (every other limit is applied exactly by the database): the first pass
# over all candidates reads only these, no JSON to decode.
RANK_FIELDS = [
    "id",
    "organisation_id",
    "kind",
    "any_fibre",
    "process",
    "remaining_quantity",
    "unit",
    "supply_pattern",
    "latitude",
    "longitude",
    "radius_km",
]


class ListingRow:
    """Columns of one listing (ROW_FIELDS or RANK_FIELDS), with the properties the rules use."""

    __slots__ = ROW_FIELDS

    def __init__(self, values, fields=ROW_FIELDS):
        for name, value in zip(fields, values, strict=True):
            setattr(self, name, value)

    @property
    def is_offer(self):
        return self.kind == ListingKind.OFFER

    @property
    def is_hazardous(self):
        return is_hazardous_code(self.waste_code)


class Joined(Aggregate):
    """The text values of a group joined by commas (GROUP_CONCAT, STRING_AGG in PostgreSQL)."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s, ',')",
            **extra_context,
        )


def _joined(queryset, *parts):
    """A correlated subquery: the rows of ``queryset`` for the outer listing as one text,
    "a|b,a|b", so candidates and what describes them come back in one query."""
    pieces = []
    for part in parts:
        pieces += [Coalesce(Cast(part, CharField()), Value("")), Value("|")]
    return Subquery(
        queryset.filter(listing=OuterRef("pk"))
        .order_by()
        .values("listing")
        .annotate(
            joined=Joined(
                Concat(*pieces[:-1], output_field=CharField()) if len(parts) > 1 else pieces[0]
            )
        )
        .values("joined")
    )


def _split(text):
    return [item.split("|") for item in text.split(",")] if text else []


def _percent(text):
    return int(text) if text else None


def profiles(queryset, *, kind, fields=ROW_FIELDS):
    """Profiles of the listings of ``queryset`` (all of ``kind``) in one query: the rows with
    their composition (offers), or their accepted codes and fibre limits (wanted listings)."""
    if kind == ListingKind.OFFER:
        queryset = queryset.annotate(
            composition_text=_joined(CompositionLine.objects, "fibre", "percent")
        )
        extra = ["composition_text"]
    else:
        queryset = queryset.annotate(
            codes_text=_joined(AcceptedWasteCode.objects, "code"),
            limits_text=_joined(FibreLimit.objects, "fibre", "min_percent", "max_percent"),
        )
        extra = ["codes_text", "limits_text"]
    result = []
    for values in queryset.values_list(*fields, *extra):
        row = ListingRow(values[: len(fields)], fields)
        texts = values[len(fields) :]
        if kind == ListingKind.OFFER:
            composition = {fibre: int(percent) for fibre, percent in _split(texts[0])}
            codes, limits = set(), []
        else:
            composition = {}
            codes = {code for (code,) in _split(texts[0])}
            # In the order of FibreLimit's Meta (by subject), as Profile.of reads them.
            limits = sorted((f, _percent(low), _percent(high)) for f, low, high in _split(texts[1]))
        result.append(Profile(listing=row, composition=composition, codes=codes, limits=limits))
    return result


# The rules, in Python: the final word, and the explanation ------------------------------------


def _in_radius(offer, wanted):
    """(passes, distance in km or None)."""
    o, w = offer.listing, wanted.listing
    if None in (o.latitude, o.longitude, w.latitude, w.longitude):
        return w.radius_km is None, None
    distance = haversine_km(o.latitude, o.longitude, w.latitude, w.longitude)
    return (w.radius_km is None or distance <= w.radius_km), distance


def check_pair(offer, wanted):
    """The reasons every hard limit of the pair holds (``[key, {params}]``, worded later in the
    reader's language by ``explanations.explain``), or None when one is broken."""
    o, w = offer.listing, wanted.listing
    if o.organisation_id == w.organisation_id:
        return None
    reasons = []
    if wanted.codes:
        if o.waste_code not in wanted.codes:
            return None
        reasons.append(["code", {"code": o.waste_code}])
    if o.is_hazardous:
        if not w.accepts_hazardous:
            return None
        reasons.append(["hazardous", {"code": o.waste_code}])
    unknown = offer.unknown_percent
    for subject, low, high in wanted.limits:
        share = offer.share(subject)
        if low is not None:
            if share < low:
                return None
            reasons.append(["fibre_min", {"fibre": subject, "share": share, "limit": low}])
        if high is not None:
            if share + unknown > high:
                return None
            reasons.append(
                ["fibre_max", {"fibre": subject, "share": share, "limit": high, "unknown": unknown}]
            )
    if not wanted.limits:
        lines = sorted(offer.composition.items(), key=lambda item: (-item[1], item[0]))
        reasons.append(["any_fibre", {"lines": [list(line) for line in lines]}])
    for offer_field, wanted_field in ACCEPTED_SETS:
        accepted = getattr(w, wanted_field)
        if accepted:
            value = getattr(o, offer_field)
            if value not in accepted:
                return None
            reasons.append(["accepted", {"field": offer_field, "value": value}])
    if w.refused_contaminants:
        if not o.contaminants_stated or set(o.contaminants) & set(w.refused_contaminants):
            return None
        reasons.append(["clean", {"refused": sorted(w.refused_contaminants)}])
    if w.min_lot_kg is not None or w.max_lot_kg is not None:
        lot = offer.lot_kg()
        low = None if w.min_lot_kg is None else float(w.min_lot_kg)
        high = None if w.max_lot_kg is None else float(w.max_lot_kg)
        if lot is None or (low is not None and lot < low) or (high is not None and lot > high):
            return None
        reasons.append(["lot", {"kg": round(lot), "min": low, "max": high}])
    if o.requires_permit:
        if not w.holds_permit:
            return None
        reasons.append(["permit", {}])
    if o.requires_pick_up:
        if w.logistics not in COLLECTING:
            return None
        reasons.append(["pick_up", {}])
    inside, _distance = _in_radius(offer, wanted)
    if not inside:
        return None
    return reasons


def composition_closeness(offer, wanted):
    """How much of the offer is what the buyer asked for, 0–1. With minimums: half the share
    of all the fibres they name, half the mean share of each (so 100% cashmere beats 60/40
    cashmere-silk for "cashmere at least 50%, animal fibres at least 95%"). Without: a buyer
    of any fibre is indifferent; otherwise the known share of the composition counts."""
    targets = [subject for subject, low, _high in wanted.limits if low is not None]
    if targets:
        fibres = {fibre for subject in targets for fibre in fibres_of(subject)}
        union = sum(offer.composition.get(fibre, 0) for fibre in fibres)
        mean = sum(offer.share(subject) for subject in targets) / len(targets)
        return min(1.0, 0.5 * union / 100 + 0.5 * mean / 100)
    if wanted.listing.any_fibre:
        return 1.0
    return max(0.0, 1 - offer.unknown_percent / 100)


def _score(offer, wanted, distance):
    """(score, quantity coverage or None when quantities do not compare) of a pair."""
    o, w = offer.listing, wanted.listing
    composition = composition_closeness(offer, wanted)
    (have, have_unit), (need, need_unit) = offer.monthly(), wanted.monthly()
    if have_unit == need_unit and (have_unit == "kg" or o.unit == w.unit):
        coverage = min(1.0, have / need) if need else 1.0
    else:
        coverage = None  # quantities that do not compare: neutral
    transport = 0.5 if distance is None else max(0.0, 1 - distance / TRANSPORT_SCALE_KM)
    hierarchy = HIERARCHY.get(w.process or o.process, HIERARCHY_DEFAULT)
    score = (
        WEIGHTS["composition"] * composition
        + WEIGHTS["quantity"] * (0.5 if coverage is None else coverage)
        + WEIGHTS["transport"] * transport
        + WEIGHTS["hierarchy"] * hierarchy
    )
    return round(score, 4), coverage


def rank_score(offer, wanted):
    """The score of a pair the database found (it applied every other limit exactly), or
    None when the offer lies outside the buyer's radius (the database checked its box)."""
    inside, distance = _in_radius(offer, wanted)
    return _score(offer, wanted, distance)[0] if inside else None


def score_pair(offer, wanted):
    """(score, distance_km, co2_kg, reasons) of a pair that passes every limit, else None."""
    reasons = check_pair(offer, wanted)
    if reasons is None:
        return None
    w = wanted.listing
    _inside, distance = _in_radius(offer, wanted)
    score, coverage = _score(offer, wanted, distance)
    if coverage is not None:
        reasons.append(
            [
                "coverage",
                {"percent": round(coverage * 100), "one_off": w.supply_pattern == "one_off"},
            ]
        )
    co2 = None
    if distance is None:
        reasons.append(["no_location", {}])
    else:
        kilograms = [kg for kg, unit in (offer.monthly(), wanted.monthly()) if unit == "kg"]
        if kilograms:
            co2 = min(kilograms) / 1000 * distance * ROAD_FREIGHT_KG_CO2E_PER_TKM
        reasons.append(
            [
                "distance",
                {
                    "km": round(distance),
                    "radius": w.radius_km,
                    "co2": None if co2 is None else (round(co2) if co2 >= 10 else round(co2, 1)),
                },
            ]
        )
    if w.process:
        hierarchy = HIERARCHY.get(w.process, HIERARCHY_DEFAULT)
        reasons.append(["hierarchy", {"use": HIERARCHY_LABEL.get(hierarchy, "recovery")}])
    return round(score, 4), distance, co2, reasons


# The same rules as database filters ---------------------------------------------------------------


def _json_text(field):
    return Cast(field, output_field=TextField())


def _lot_kg_between(low, high):
    """Listings whose remaining quantity, in kg, lies in [low, high] (either may be None)."""
    condition = Q()
    for unit, factor in KG_PER_UNIT.items():
        bounds = Q(unit=unit)
        if low is not None:
            bounds &= Q(remaining_quantity__gte=low / factor)
        if high is not None:
            bounds &= Q(remaining_quantity__lte=high / factor)
        condition |= bounds
    return condition


def _offers_for(wanted, qs):
    """Offers that pass every limit of ``wanted`` (a Profile)."""
    w = wanted.listing
    if wanted.codes:
        qs = qs.filter(waste_code__in=sorted(wanted.codes))
    if not w.accepts_hazardous:
        qs = qs.exclude(waste_code__in=HAZARDOUS_SPELLINGS)
    for subject, low, high in wanted.limits:
        fibres = fibres_of(subject)
        # Correlated per offer (an index lookup on its lines), so the plan never depends on
        # how many lines the whole table holds.
        lines = CompositionLine.objects.filter(listing=OuterRef("pk"))
        if low is not None:
            if len(fibres) == 1:
                qs = qs.filter(Exists(lines.filter(fibre=fibres[0], percent__gte=low)))
            else:
                qs = qs.filter(
                    Exists(
                        lines.filter(fibre__in=fibres)
                        .values("listing")
                        .annotate(total=Sum("percent"))
                        .filter(total__gte=low)
                    )
                )
        if high is not None:
            # Unknown fibres may be this fibre (check_pair also counts a missing remainder).
            qs = qs.exclude(
                Exists(
                    lines.filter(fibre__in=[*fibres, "unknown"])
                    .values("listing")
                    .annotate(total=Sum("percent"))
                    .filter(total__gt=high)
                )
            )
    for offer_field, wanted_field in ACCEPTED_SETS:
        if accepted := getattr(w, wanted_field):
            qs = qs.filter(**{f"{offer_field}__in": accepted})
    if w.refused_contaminants:
        qs = qs.filter(contaminants_stated=True).alias(contaminants_text=_json_text("contaminants"))
        for item in w.refused_contaminants:
            qs = qs.exclude(contaminants_text__contains=f'"{item}"')
    if w.min_lot_kg is not None or w.max_lot_kg is not None:
        qs = qs.filter(_lot_kg_between(w.min_lot_kg, w.max_lot_kg))
    if not w.holds_permit:
        qs = qs.filter(requires_permit=False)
    if w.logistics not in COLLECTING:
        qs = qs.filter(requires_pick_up=False)
    if w.radius_km is not None:
        if w.latitude is None or w.longitude is None:
            return qs.none()
        min_lat, max_lat, min_lon, max_lon = bounding_box(w.latitude, w.longitude, w.radius_km)
        qs = qs.filter(latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon))
    return qs


def _wanted_for(offer, qs):
    """Wanted listings whose every limit ``offer`` (a Profile) passes."""
    o = offer.listing
    codes = AcceptedWasteCode.objects.filter(listing=OuterRef("pk"))
    any_code = ~Exists(codes)
    qs = qs.filter(any_code | Exists(codes.filter(code=o.waste_code)) if o.waste_code else any_code)
    if o.is_hazardous:
        qs = qs.filter(accepts_hazardous=True)
    # A limit is broken when the offer has less of its subject than the minimum, or more (with
    # its unknown fibres) than the maximum. Subjects the offer lacks share one condition.
    unknown = offer.unknown_percent
    subjects = {fibre: offer.share(fibre) for fibre in FIBRE_FAMILY if fibre != "unknown"}
    subjects |= {
        FAMILY_PREFIX + family: offer.share(FAMILY_PREFIX + family)
        for family in set(FIBRE_FAMILY.values()) - {"unknown"}
    }
    absent = [subject for subject, share in subjects.items() if share == 0]
    broken = Q(fibre__in=absent) & (Q(min_percent__gt=0) | Q(max_percent__lt=unknown))
    for subject, share in subjects.items():
        if share:
            broken |= Q(fibre=subject) & (
                Q(min_percent__gt=share) | Q(max_percent__lt=share + unknown)
            )
    qs = qs.exclude(Exists(FibreLimit.objects.filter(broken, listing=OuterRef("pk"))))
    for offer_field, wanted_field in ACCEPTED_SETS:
        text = f"{wanted_field}_text"
        qs = qs.alias(**{text: _json_text(wanted_field)})
        value = getattr(o, offer_field)
        # "Accepts any" on the JSON column itself, whose statistics the planner has (on the
        # text cast it guesses, and a guess of one row chose a nested loop over 25,000).
        accepts = Q(**{wanted_field: []})
        if value:
            accepts |= Q(**{f"{text}__contains": f'"{value}"'})
        qs = qs.filter(accepts)
    qs = qs.alias(refused_text=_json_text("refused_contaminants"))
    if o.contaminants_stated:
        for item in o.contaminants:
            qs = qs.exclude(refused_text__contains=f'"{item}"')
    else:
        qs = qs.filter(refused_contaminants=[])
    lot = offer.lot_kg()
    no_lot_limit = Q(min_lot_kg__isnull=True, max_lot_kg__isnull=True)
    if lot is None:
        qs = qs.filter(no_lot_limit)
    else:
        qs = qs.filter(
            Q(min_lot_kg__isnull=True) | Q(min_lot_kg__lte=lot),
            Q(max_lot_kg__isnull=True) | Q(max_lot_kg__gte=lot),
        )
    if o.requires_permit:
        qs = qs.filter(holds_permit=True)
    if o.requires_pick_up:
        qs = qs.filter(logistics__in=COLLECTING)
    if o.latitude is None or o.longitude is None:
        qs = qs.filter(radius_km__isnull=True)
    else:
        qs = qs.filter(
            Q(radius_km__isnull=True)
            | Q(
                reach_min_latitude__lte=o.latitude,
                reach_max_latitude__gte=o.latitude,
                reach_min_longitude__lte=o.longitude,
                reach_max_longitude__gte=o.longitude,
            )
        )
    return qs


def candidates_for(profile):
    """Active listings of the other kind, of other verified organisations, that pass every
    hard limit of the pair (the radius by its bounding box; ``check_pair`` does the rest)."""
    listing = profile.listing
    other = ListingKind.WANTED if listing.is_offer else ListingKind.OFFER
    # Verified organisations as a correlated EXISTS, not a join: with statistics, SQLite would
    # otherwise start from the organisations and read their listings one by one.
    verified = Organisation.objects.filter(verified_at__isnull=False)
    qs = (
        Listing.objects.filter(
            Exists(verified.filter(pk=OuterRef("organisation_id"))),
            state=ListingState.ACTIVE,
            kind=other,
        )
        .exclude(organisation_id=listing.organisation_id)
        .order_by()  # ranked by score after: no sort of every candidate by date
    )
    return _wanted_for(profile, qs) if listing.is_offer else _offers_for(profile, qs)


def reach_box(listing):
    """The bounding box of a wanted listing's radius (four Nones when it has none)."""
    if listing.radius_km is None or listing.latitude is None or listing.longitude is None:
        return None, None, None, None
    return bounding_box(listing.latitude, listing.longitude, listing.radius_km)


# Stored matches -------------------------------------------------------------------------------------


def pair_scores(profile, candidates):
    """[(offer_id, wanted_id, score, distance, co2, reasons)] of the pairs that pass, best first."""
    rows = []
    for other in candidates:
        offer, wanted = (profile, other) if profile.listing.is_offer else (other, profile)
        result = score_pair(offer, wanted)
        if result is None or result[0] < MIN_SCORE:
            continue
        rows.append((offer.listing.id, wanted.listing.id, *result))
    rows.sort(key=lambda row: (-row[2], row[0], row[1]))
    return rows


def stored_matches(rows):
    """Match instances of ``pair_scores`` rows, computed now."""
    now = timezone.now()
    for offer_id, wanted_id, score, distance, co2, reasons in rows:
        yield Match(
            offer_id=offer_id,
            wanted_id=wanted_id,
            score=score,
            distance_km=distance,
            transport_co2_kg=co2,
            reasons=reasons,
            computed_at=now,
        )


def listing_matches_recompute(*, listing_id):
    """Replace the stored matches of one listing. Returns the number of matches kept."""
    listing = (
        Listing.objects.filter(pk=listing_id)
        .select_related("organisation")
        .prefetch_related(*PROFILE_PREFETCH)
        .first()
    )
    if listing is None:
        return 0
    with transaction.atomic():
        field = "offer" if listing.is_offer else "wanted"
        Match.objects.filter(**{field: listing}).delete()
        if listing.state != ListingState.ACTIVE or not listing.organisation.is_verified:
            return 0
        profile = Profile.of(listing)
        other = ListingKind.WANTED if listing.is_offer else ListingKind.OFFER
        # Rank every candidate on the few columns the score needs, then check and explain
        # the best ones in full (check_pair has the final word).
        ranked = []
        for candidate in profiles(candidates_for(profile), kind=other, fields=RANK_FIELDS):
            pair = (profile, candidate) if listing.is_offer else (candidate, profile)
            score = rank_score(*pair)
            if score is not None and score >= MIN_SCORE:
                ranked.append((-score, candidate.listing.id))
        ranked.sort()
        best = [pk for _score, pk in ranked[: 2 * MATCHES_KEPT_PER_LISTING]]
        rows = pair_scores(profile, profiles(Listing.objects.filter(pk__in=best), kind=other))
        matches = list(stored_matches(rows[:MATCHES_KEPT_PER_LISTING]))
        Match.objects.bulk_create(matches, ignore_conflicts=True)
    return len(matches)
