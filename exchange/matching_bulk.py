"""Recomputing every stored match at once (``manage.py recompute_matches``), set-based.

One listing's matches are its best ``MATCHES_KEPT_PER_LISTING`` pairs
(``listing_matches_recompute``); all stored matches are the union of every active listing's
best pairs, from both sides. Recomputing them one listing at a time costs a candidate query
and a ranking per listing: hours for 50,000 listings. Here every active offer is read once
into columns (numpy arrays), and each wanted listing's hard limits are applied to all offers
at once as array comparisons, then the survivors are scored the same way.

The arrays only choose candidates, with a margin for rounding: every pair that may be kept is
then checked and scored by ``score_pair`` (``check_pair`` stays the final word and writes the
explanation), and the best pairs of each listing are chosen on those exact scores. Tests prove
that this stores the same pairs and scores as recomputing listing by listing.
"""

import json
import math
import time
from contextlib import contextmanager

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from . import matching
from .matching import (
    ACCEPTED_SETS,
    COLLECTING,
    EARTH_RADIUS_KM,
    HIERARCHY,
    HIERARCHY_DEFAULT,
    MIN_SCORE,
    TRANSPORT_SCALE_KM,
    WEIGHTS,
    profiles,
    rank_score,
    score_pair,
    stored_matches,
)
from .models import Listing, ListingKind, ListingState, Match, fibres_of

# The arrays round like Python's round() except, rarely, at an exact half; and their sines may
# differ from math's in the last bit. Candidates are chosen this far below each cut-off.
ROUNDING_MARGIN = 2e-4
# Wanted listings scored between two prunings of the offers' candidate pairs.
CHUNK = 500
# Matches written by one INSERT (elsewhere than PostgreSQL, which streams them with COPY).
BATCH = 2000
MATCH_COLUMNS = (
    "offer_id",
    "wanted_id",
    "score",
    "distance_km",
    "transport_co2_kg",
    "reasons",
    "computed_at",
)


def eligible(kind):
    """Active listings of verified organisations: the only ones that are ever matched."""
    return Listing.objects.filter(
        state=ListingState.ACTIVE, kind=kind, organisation__verified_at__isnull=False
    ).order_by("pk")


class OfferColumns:
    """Every active offer as columns, for comparisons over all of them at once."""

    def __init__(self, offers):
        self.profiles = offers
        rows = [offer.listing for offer in offers]
        self.size = len(rows)
        self.ids = np.array([row.id for row in rows], dtype=np.int64)
        self.organisation = np.array([row.organisation_id for row in rows], dtype=np.int64)
        self.hazardous = np.array([row.is_hazardous for row in rows], dtype=bool)
        self.unknown = np.array([offer.unknown_percent for offer in offers], dtype=np.int64)
        # Single-valued fields as integer codes ("" is a value of its own, never accepted).
        self.vocabulary, self.codes = {}, {}
        for field in ["waste_code", *(offer_field for offer_field, _ in ACCEPTED_SETS)]:
            words = self.vocabulary[field] = {}
            self.codes[field] = np.array(
                [words.setdefault(getattr(row, field), len(words)) for row in rows],
                dtype=np.int64,
            )
        self.contaminants_stated = np.array([row.contaminants_stated for row in rows], dtype=bool)
        self._contains = {}
        self._shares = {}
        self.lot_kg = np.array(
            [np.nan if (lot := offer.lot_kg()) is None else lot for offer in offers], dtype=float
        )
        self.requires_permit = np.array([row.requires_permit for row in rows], dtype=bool)
        self.requires_pick_up = np.array([row.requires_pick_up for row in rows], dtype=bool)
        self.latitude = np.array(
            [np.nan if row.latitude is None else row.latitude for row in rows], dtype=float
        )
        self.longitude = np.array(
            [np.nan if row.longitude is None else row.longitude for row in rows], dtype=float
        )
        self.located = ~(np.isnan(self.latitude) | np.isnan(self.longitude))
        monthly = [offer.monthly() for offer in offers]
        self.monthly = np.array([quantity for quantity, _unit in monthly], dtype=float)
        self.monthly_in_kg = np.array([unit == "kg" for _quantity, unit in monthly], dtype=bool)
        self.unit = self._encode("unit", [row.unit for row in rows])
        self.hierarchy = np.array(
            [HIERARCHY.get(row.process, HIERARCHY_DEFAULT) for row in rows], dtype=float
        )

    def _encode(self, field, values):
        words = self.vocabulary.setdefault(field, {})
        self.codes[field] = np.array(
            [words.setdefault(value, len(words)) for value in values], dtype=np.int64
        )
        return self.codes[field]

    def one_of(self, field, values, where):
        """Whether each offer (of the indices ``where``) has one of ``values`` in ``field``."""
        words = self.vocabulary[field]
        known = [words[value] for value in values if value in words]
        return np.isin(self.codes[field][where], known)

    def share(self, subject):
        """Percent of each offer's composition that is ``subject`` (fibre or family)."""
        if subject not in self._shares:
            self._shares[subject] = np.array(
                [offer.share(subject) for offer in self.profiles], dtype=np.int64
            )
        return self._shares[subject]

    def contains(self, item):
        """Whether each offer lists the contaminant or trim ``item``."""
        if item not in self._contains:
            self._contains[item] = np.array(
                [item in offer.listing.contaminants for offer in self.profiles], dtype=bool
            )
        return self._contains[item]

    # One wanted listing against every offer -----------------------------------------------

    def passing(self, wanted):
        """Indices of the offers that pass every hard limit of ``wanted`` (a Profile) but the
        radius, as ``check_pair`` states them."""
        w = wanted.listing
        where = np.flatnonzero(self.organisation != w.organisation_id)
        if wanted.codes:
            where = where[self.one_of("waste_code", wanted.codes, where)]
        if not w.accepts_hazardous:
            where = where[~self.hazardous[where]]
        for subject, low, high in wanted.limits:
            share = self.share(subject)[where]
            if low is not None:
                keep = share >= low
                if high is not None:
                    keep &= share + self.unknown[where] <= high
            else:
                keep = share + self.unknown[where] <= high
            where = where[keep]
        for offer_field, wanted_field in ACCEPTED_SETS:
            if accepted := getattr(w, wanted_field):
                where = where[self.one_of(offer_field, accepted, where)]
        if w.refused_contaminants:
            where = where[self.contaminants_stated[where]]
            for item in w.refused_contaminants:
                where = where[~self.contains(item)[where]]
        if w.min_lot_kg is not None or w.max_lot_kg is not None:
            lot = self.lot_kg[where]
            keep = ~np.isnan(lot)
            if w.min_lot_kg is not None:
                keep &= lot >= float(w.min_lot_kg)
            if w.max_lot_kg is not None:
                keep &= lot <= float(w.max_lot_kg)
            where = where[keep]
        if not w.holds_permit:
            where = where[~self.requires_permit[where]]
        if w.logistics not in COLLECTING:
            where = where[~self.requires_pick_up[where]]
        return where

    def distances(self, wanted, where):
        """Kilometres from ``wanted`` to each offer of ``where`` (haversine, as
        ``matching.haversine_km`` with the offer first); NaN where one has no location."""
        w = wanted.listing
        if w.latitude is None or w.longitude is None:
            return np.full(len(where), np.nan)
        p1 = np.radians(self.latitude[where])
        p2 = math.radians(w.latitude)
        dp = p2 - p1
        dl = np.radians(w.longitude - self.longitude[where])
        a = np.sin(dp / 2) ** 2 + np.cos(p1) * math.cos(p2) * np.sin(dl / 2) ** 2
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))

    def scored(self, wanted):
        """(offer indices, scores rounded to 4 places) of the pairs of ``wanted`` that pass
        every limit, scored as ``matching._score`` does."""
        w = wanted.listing
        where = self.passing(wanted)
        distance = self.distances(wanted, where)
        located = ~np.isnan(distance)
        if w.radius_km is not None:
            inside = located & (distance <= w.radius_km)
            where, distance, located = where[inside], distance[inside], located[inside]
        targets = [subject for subject, low, _high in wanted.limits if low is not None]
        if targets:
            fibres = {fibre for subject in targets for fibre in fibres_of(subject)}
            union = sum((self.share(fibre)[where] for fibre in fibres), np.zeros(len(where)))
            mean = sum(self.share(subject)[where] for subject in targets) / len(targets)
            composition = np.minimum(1.0, 0.5 * union / 100 + 0.5 * mean / 100)
        elif w.any_fibre:
            composition = np.ones(len(where))
        else:
            composition = np.maximum(0.0, 1 - self.unknown[where] / 100)
        need, need_unit = wanted.monthly()
        have = self.monthly[where]
        if need_unit == "kg":
            comparable = self.monthly_in_kg[where]
        else:
            comparable = ~self.monthly_in_kg[where] & self.one_of("unit", [w.unit], where)
        coverage = np.minimum(1.0, have / need) if need else np.ones(len(where))
        quantity = np.where(comparable, coverage, 0.5)
        transport = np.where(
            located, np.maximum(0.0, 1 - np.nan_to_num(distance) / TRANSPORT_SCALE_KM), 0.5
        )
        if w.process:
            hierarchy = np.full(len(where), HIERARCHY.get(w.process, HIERARCHY_DEFAULT))
        else:
            hierarchy = self.hierarchy[where]
        score = (
            WEIGHTS["composition"] * composition
            + WEIGHTS["quantity"] * quantity
            + WEIGHTS["transport"] * transport
            + WEIGHTS["hierarchy"] * hierarchy
        )
        score = np.round(score, 4)
        keep = score >= MIN_SCORE - ROUNDING_MARGIN
        return where[keep], score[keep]


def _near_the_best(scores, kept):
    """Whether each score is among the best ``kept``, within the rounding margin."""
    if len(scores) <= kept:
        return np.ones(len(scores), dtype=bool)
    cut = -np.partition(-scores, kept - 1)[kept - 1]
    return scores >= cut - ROUNDING_MARGIN


def _near_the_best_by_group(groups, scores, kept):
    """The same within each group (e.g. each offer's pairs)."""
    if len(scores) == 0:
        return np.zeros(0, dtype=bool)
    order = np.lexsort((-scores, groups))
    sorted_groups = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    rank = np.arange(len(order)) - np.repeat(starts, sizes)
    # The kept-th best score of each group (or its last, when it has fewer).
    last = starts + np.minimum(sizes, kept) - 1
    cut = np.repeat(scores[order][last], sizes)
    keep = np.zeros(len(scores), dtype=bool)
    keep[order] = (rank < kept) | (scores[order] >= cut - ROUNDING_MARGIN)
    return keep


def _best_pairs(rows, side, kept):
    """The rows (offer id, wanted id, score, …) that are among the ``kept`` best of their
    listing on ``side`` (0: offer, 1: wanted), ordered as ``pair_scores`` orders them."""
    by_listing = {}
    for row in rows:
        by_listing.setdefault(row[side], []).append(row)
    best = set()
    other = 1 - side
    for listing_rows in by_listing.values():
        listing_rows.sort(key=lambda row: (-row[2], row[other]))
        best.update((row[0], row[1]) for row in listing_rows[:kept])
    return best


def candidate_pairs(offers, wanted_profiles, kept):
    """(offer index, wanted index) pairs that may be among the ``kept`` best of their offer or
    of their wanted listing (a superset: exact scores decide)."""
    columns = OfferColumns(offers)
    chosen = []  # the pairs near the best of their wanted listing
    pool_offer = np.zeros(0, dtype=np.int64)
    pool_wanted = np.zeros(0, dtype=np.int64)
    pool_score = np.zeros(0, dtype=float)
    for start in range(0, len(wanted_profiles), CHUNK):
        chunk_offer, chunk_wanted, chunk_score = [pool_offer], [pool_wanted], [pool_score]
        for index in range(start, min(start + CHUNK, len(wanted_profiles))):
            where, score = columns.scored(wanted_profiles[index])
            if not len(where):
                continue
            near = _near_the_best(score, kept)
            chosen.append((where[near], np.full(int(near.sum()), index, dtype=np.int64)))
            chunk_offer.append(where)
            chunk_wanted.append(np.full(len(where), index, dtype=np.int64))
            chunk_score.append(score)
        pool_offer = np.concatenate(chunk_offer)
        pool_wanted = np.concatenate(chunk_wanted)
        pool_score = np.concatenate(chunk_score)
        # An offer's pair that is not near its best now never will be: prune the pool.
        keep = _near_the_best_by_group(pool_offer, pool_score, kept)
        pool_offer, pool_wanted, pool_score = pool_offer[keep], pool_wanted[keep], pool_score[keep]
    pairs = {(int(o), int(w)) for o, w in zip(pool_offer, pool_wanted, strict=True)}
    for where, index in chosen:
        pairs.update(zip(where.tolist(), index.tolist(), strict=True))
    return pairs


class Phases:
    """Wall and CPU seconds of each phase of a recompute, for the benchmark's report."""

    def __init__(self):
        self.times = {}

    @contextmanager
    def __call__(self, name):
        start, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            wall, used = self.times.get(name, (0.0, 0.0))
            self.times[name] = (
                wall + time.perf_counter() - start,
                used + time.process_time() - cpu,
            )

    def __str__(self):
        return "; ".join(
            f"{name} {wall:.1f} s ({cpu:.1f} s CPU)" for name, (wall, cpu) in self.times.items()
        )


def matches_recompute_all(*, phases=None):
    """Replace every stored match, set-based. Returns (listings matched, matches stored).
    ``phases`` (a Phases) collects the time each step took."""
    phase = phases or Phases()
    kept = matching.MATCHES_KEPT_PER_LISTING
    with phase("read"):
        offers = profiles(eligible(ListingKind.OFFER), kind=ListingKind.OFFER)
        wanted_profiles = profiles(eligible(ListingKind.WANTED), kind=ListingKind.WANTED)
    # Exact scores of the candidates first (no explanation yet: there may be millions)...
    with phase("candidates"):
        candidates = candidate_pairs(offers, wanted_profiles, kept)
    scored = []
    with phase("exact scores"):
        for offer_index, wanted_index in candidates:
            offer, wanted = offers[offer_index], wanted_profiles[wanted_index]
            score = rank_score(offer, wanted)
            if score is not None and score >= MIN_SCORE:
                scored.append((offer.listing.id, wanted.listing.id, score, offer, wanted))
        best = _best_pairs(scored, 1, kept) | _best_pairs(scored, 0, kept)
    # ... then each kept pair checked, scored and explained by score_pair, and written.
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # A maintenance job of minutes: the site's 30-s statement timeout is for requests.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = 0")
        with phase("delete"):
            Match.objects.all().delete()
        with phase("explain and write"):
            kept_rows = (
                (offer_id, wanted_id, *result)
                for offer_id, wanted_id, _score, offer, wanted in scored
                if (offer_id, wanted_id) in best
                and (result := score_pair(offer, wanted)) is not None
            )
            stored = _write_matches(kept_rows)
    return len(offers) + len(wanted_profiles), stored


def _write_matches(rows):
    """Store ``pair_scores``-like rows as matches; returns how many. PostgreSQL gets one
    ``COPY`` stream (no model instances, no statements of 14,000 parameters to build and
    parse); other databases ``bulk_create`` in batches."""
    stored = 0
    if connection.vendor == "postgresql":
        now = timezone.now()
        table = Match._meta.db_table
        with connection.cursor() as cursor:
            copy_sql = f"COPY {table} ({', '.join(MATCH_COLUMNS)}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for offer_id, wanted_id, score, distance, co2, reasons in rows:
                    copy.write_row(
                        (offer_id, wanted_id, score, distance, co2, json.dumps(reasons), now)
                    )
                    stored += 1
        return stored
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            Match.objects.bulk_create(stored_matches(batch))
            stored, batch = stored + len(batch), []
    Match.objects.bulk_create(stored_matches(batch))
    return stored + len(batch)
