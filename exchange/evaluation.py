"""Ranking quality of the matching, measured on a labelled set of offers and wanted listings.

A set is a JSON file (``tests/exchange/labelled_set.json`` is the one kept with the tests):

- ``organisations``: ``{key: {"name", "kind", "country", "latitude", "longitude"}}``: each
  organisation has one site there.
- ``offers``: listings with ``"id"``, ``"organisation"`` and the fields of an offer
  (``title``, ``waste_code``, ``composition`` as ``{fibre: percent}``, ``form``, ``origin``,
  ``production_stage``, ``colour``, ``grade``, ``contaminants`` + ``contaminants_stated``,
  ``legal_status``, ``quantity``, ``unit``, ``supply_pattern``, ``logistics``,
  ``requires_permit``, ``requires_pick_up``, ``process``...).
- ``wanted``: the buyers' specifications, the same way, with ``codes`` (accepted codes),
  ``limits`` (``{fibre or "family:<family>": [min or null, max or null]}``), ``any_fibre`` and
  the ``accepted_*`` lists, ``refused_contaminants``, ``min_lot_kg``/``max_lot_kg``,
  ``radius_km``, ``holds_permit``; and the judgement: ``relevance`` (``{offer id: 1–3}``,
  3 = what the buyer asked for, squarely; 2 = fits with one weakness; 1 = fits with several;
  an offer not graded is not relevant) and ``never`` (offers that break the specification).

Every listing is created in the caller's transaction (the command rolls it back), every
listing's matches are computed as in production, and the stored matches are scored:

- precision@3: of the first three offers proposed to a wanted listing, the share graded 2 or
  3, out of min(3, offers graded 2 or 3);
- nDCG@5: discounted cumulative gain of the first five (gain 2^grade − 1) over the ideal;
- never-pairs proposed: stored matches of a pair in a ``never`` list (the target is 0).
"""

import json
import math
from decimal import Decimal

from django.utils import timezone

from cms.directory.models import Organisation

from .matching import listing_matches_recompute
from .models import (
    AcceptedWasteCode,
    CompositionLine,
    FibreLimit,
    Listing,
    ListingKind,
    ListingState,
    Match,
    Site,
)
from .services import listing_refresh

RELEVANT = 2
LISTING_FIELDS = {
    "title",
    "description",
    "waste_code",
    "accepts_hazardous",
    "any_fibre",
    "origin",
    "production_stage",
    "form",
    "grade",
    "colour",
    "contaminants",
    "contaminants_stated",
    "legal_status",
    "process",
    "quantity",
    "unit",
    "supply_pattern",
    "logistics",
    "requires_permit",
    "requires_pick_up",
    "accepted_forms",
    "accepted_origins",
    "accepted_stages",
    "accepted_colours",
    "accepted_grades",
    "accepted_legal_statuses",
    "accepted_supply_patterns",
    "refused_contaminants",
    "min_lot_kg",
    "max_lot_kg",
    "radius_km",
    "holds_permit",
}
DECIMALS = {"quantity", "min_lot_kg", "max_lot_kg"}


def load_set(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _create(labelled):
    """Create the set's organisations, sites and listings. Returns {set id: listing}."""
    now = timezone.now()
    sites = {}
    for key, spec in labelled["organisations"].items():
        organisation = Organisation.objects.create(
            name=spec["name"],
            slug=f"evaluation-{key}",
            kind=spec.get("kind", "company"),
            country=spec["country"],
            verified_at=now,
        )
        sites[key] = Site.objects.create(
            organisation=organisation,
            name=spec["name"],
            city=spec.get("city", spec["name"]),
            country=spec["country"],
            latitude=spec["latitude"],
            longitude=spec["longitude"],
        )
    listings = {}
    for kind, entries in (
        (ListingKind.OFFER, labelled["offers"]),
        (ListingKind.WANTED, labelled["wanted"]),
    ):
        for entry in entries:
            site = sites[entry["organisation"]]
            fields = {
                name: Decimal(str(value)) if name in DECIMALS and value is not None else value
                for name, value in entry.items()
                if name in LISTING_FIELDS
            }
            listing = Listing.objects.create(
                organisation_id=site.organisation_id,
                site=site,
                kind=kind,
                state=ListingState.ACTIVE,
                published_at=now,
                remaining_quantity=fields["quantity"],
                **fields,
            )
            CompositionLine.objects.bulk_create(
                CompositionLine(listing=listing, fibre=fibre, percent=percent)
                for fibre, percent in entry.get("composition", {}).items()
            )
            AcceptedWasteCode.objects.bulk_create(
                AcceptedWasteCode(listing=listing, code=code) for code in entry.get("codes", [])
            )
            FibreLimit.objects.bulk_create(
                FibreLimit(listing=listing, fibre=fibre, min_percent=low, max_percent=high)
                for fibre, (low, high) in entry.get("limits", {}).items()
            )
            listing_refresh(listing=listing)
            listings[entry["id"]] = listing
    return listings


def _dcg(grades):
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))


def evaluate(labelled):
    """Create the set, match every listing, and measure. Run inside a transaction that the
    caller rolls back. Returns a dict of the means and each wanted listing's figures."""
    listings = _create(labelled)
    for listing in listings.values():
        listing_matches_recompute(listing_id=listing.pk)
    ids = {listing.pk: key for key, listing in listings.items()}
    rows = []
    never_proposed = []
    missed, ungraded = [], []
    for entry in labelled["wanted"]:
        wanted = listings[entry["id"]]
        relevance = entry.get("relevance", {})
        ranked = [
            ids[offer_id]
            for offer_id in Match.objects.filter(wanted=wanted)
            .order_by("-score", "offer_id")
            .values_list("offer_id", flat=True)
        ]
        stored = {listings[offer].pk for offer in ranked}
        never_proposed += [
            (entry["id"], offer) for offer in entry.get("never", []) if listings[offer].pk in stored
        ]
        missed += [(entry["id"], offer) for offer in relevance if listings[offer].pk not in stored]
        ungraded += [
            (entry["id"], offer)
            for offer in ranked
            if offer not in relevance and offer not in entry.get("never", [])
        ]
        relevant = [offer for offer, grade in relevance.items() if grade >= RELEVANT]
        top3 = ranked[:3]
        precision = (
            sum(relevance.get(offer, 0) >= RELEVANT for offer in top3) / min(3, len(relevant))
            if relevant
            else 1.0
        )
        ideal = _dcg(sorted(relevance.values(), reverse=True)[:5])
        ndcg = _dcg([relevance.get(offer, 0) for offer in ranked[:5]]) / ideal if ideal else 1.0
        rows.append(
            {
                "wanted": entry["id"],
                "precision_at_3": precision,
                "ndcg_at_5": ndcg,
                "top": ranked[:5],
            }
        )
    return {
        "precision_at_3": sum(row["precision_at_3"] for row in rows) / len(rows),
        "ndcg_at_5": sum(row["ndcg_at_5"] for row in rows) / len(rows),
        "never_proposed": never_proposed,
        "missed": missed,
        "ungraded": ungraded,
        "per_wanted": rows,
        "listings": listings,
    }
