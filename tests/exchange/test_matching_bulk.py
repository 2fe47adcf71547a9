"""The set-based recompute of every match (``matches_recompute_all``) stores exactly what
recomputing listing by listing stores: the union of each listing's best pairs, with the same
scores, distances, CO2e and explanations (``check_pair`` decides both)."""

import random
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from cms.taxonomy import FIBRES, HAZARDOUS_WASTE_CODES
from exchange import matching
from exchange.evaluation import _create, load_set
from exchange.matching import listing_matches_recompute
from exchange.matching_bulk import matches_recompute_all
from exchange.models import Listing, Match
from tests.exchange.factories import (
    ListingFactory,
    SiteFactory,
    VerifiedOrganisationFactory,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

LABELLED_SET = Path(__file__).with_name("labelled_set.json")
CODES = ["04 02 21", "04 02 22", "19 12 08", "20 01 10", sorted(HAZARDOUS_WASTE_CODES)[0]]
FIBRE_CODES = [code for code, _label, _family in FIBRES if code != "unknown"]
FAMILIES = sorted({family for _code, _label, family in FIBRES} - {"unknown"})


def stored():
    return {
        (match.offer_id, match.wanted_id): (
            match.score,
            match.distance_km,
            match.transport_co2_kg,
            match.reasons,
        )
        for match in Match.objects.all()
    }


def listing_by_listing():
    """What recomputing each active listing on its own keeps, all listings together."""
    union = {}
    for listing in Listing.objects.order_by("pk"):
        listing_matches_recompute(listing_id=listing.pk)
        side = "offer" if listing.is_offer else "wanted"
        union |= {
            pair: value
            for pair, value in stored().items()
            if pair[0 if side == "offer" else 1] == listing.pk
        }
    return union


def assert_same_as_listing_by_listing():
    expected = listing_by_listing()
    Match.objects.all().delete()
    _listings, kept = matches_recompute_all()
    assert kept == len(expected)
    assert stored() == expected
    return expected


def test_labelled_set_same_pairs_and_scores():
    _create(load_set(LABELLED_SET))
    expected = assert_same_as_listing_by_listing()
    assert len(expected) > 40


def random_listings(rng, organisations):
    """Offers and wanted listings with every attribute a limit reads drawn at random."""
    sites = [
        SiteFactory(
            organisation=organisation,
            latitude=rng.uniform(45, 54),
            longitude=rng.uniform(8, 24),
        )
        for organisation in organisations
    ]
    for _ in range(45):
        site = rng.choice(sites)
        fibres = rng.sample(FIBRE_CODES + ["unknown"], rng.randint(1, 3))
        shares = sorted(rng.sample(range(1, 100), len(fibres) - 1))
        composition = dict(
            zip(
                fibres,
                [b - a for a, b in zip([0, *shares], [*shares, 100], strict=True)],
                strict=True,
            )
        )
        if rng.random() < 0.1:  # an incomplete composition: the rest is unknown
            composition = {fibres[0]: rng.choice([60, 80])}
        ListingFactory(
            organisation=site.organisation,
            site=site,
            composition=composition,
            waste_code=rng.choice(CODES),
            form=rng.choice(["fabric_cuttings", "garments", "fibre", "yarn", ""]),
            origin=rng.choice(["pre_consumer", "post_consumer", ""]),
            production_stage=rng.choice(["spinning", "cutting", "use", ""]),
            colour=rng.choice(["sorted", "mixed", "white", ""]),
            grade=rng.choice(["unsorted", "sorted", "sorted_cleaned"]),
            legal_status=rng.choice(["waste", "by_product"]),
            supply_pattern=rng.choice(["one_off", "week", "month", "year"]),
            contaminants=rng.choice([[], ["buttons"], ["coatings", "zips"], ["labels"]]),
            contaminants_stated=rng.random() < 0.8,
            quantity=Decimal(rng.choice([50, 400, 1000, 3000, 12000])),
            unit=rng.choice(["kg", "kg", "t", "pieces"]),
            requires_permit=rng.random() < 0.2,
            requires_pick_up=rng.random() < 0.2,
            process=rng.choice(["", "", "reuse", "energy_recovery"]),
        )
    for _ in range(6):  # buyers of any fibre and any code, anywhere: many offers pass
        site = rng.choice(sites)
        ListingFactory(
            organisation=site.organisation,
            site=site,
            kind="wanted",
            waste_code="",
            form="",
            any_fibre=True,
            accepts_hazardous=True,
            holds_permit=True,
            logistics="either",
            quantity=Decimal(rng.choice([100, 1000, 5000])),
            process=rng.choice(["", "mechanical"]),
        )
    for _ in range(20):
        site = rng.choice(sites)
        limits = {}
        any_fibre = rng.random() < 0.25
        if not any_fibre:
            subject = (
                rng.choice(FIBRE_CODES) if rng.random() < 0.7 else "family:" + rng.choice(FAMILIES)
            )
            limits[subject] = (rng.choice([10, 30, 50, 80]), rng.choice([None, None, 95]))
        if rng.random() < 0.4:
            limits["elastane"] = (None, rng.choice([0, 5, 20]))
        low_lot = rng.choice([None, None, 500, 2000])
        ListingFactory(
            organisation=site.organisation,
            site=site,
            kind="wanted",
            waste_code="",
            form="",
            any_fibre=any_fibre,
            codes=rng.sample(CODES, rng.choice([0, 0, 1, 2, 3])),
            limits=limits or {"cotton": (None, 99)},
            accepts_hazardous=rng.random() < 0.3,
            accepted_forms=rng.choice([[], [], ["fabric_cuttings", "garments"]]),
            accepted_origins=rng.choice([[], ["post_consumer"]]),
            accepted_grades=rng.choice([[], ["sorted", "sorted_cleaned"]]),
            accepted_supply_patterns=rng.choice([[], ["month", "week"]]),
            refused_contaminants=rng.choice([[], [], ["coatings"], ["buttons", "zips"]]),
            min_lot_kg=None if low_lot is None else Decimal(low_lot),
            max_lot_kg=rng.choice([None, None, Decimal(20000)]),
            radius_km=rng.choice([None, None, 300, 800]),
            holds_permit=rng.random() < 0.5,
            logistics=rng.choice(["pick_up", "delivery", "either", ""]),
            quantity=Decimal(rng.choice([100, 1000, 5000])),
            unit=rng.choice(["kg", "t", "pieces"]),
            supply_pattern=rng.choice(["one_off", "month", "year"]),
            process=rng.choice(["", "mechanical", "reuse", "nonwoven"]),
        )


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("kept", [50, 3])
def test_random_listings_same_pairs_and_scores(monkeypatch, seed, kept):
    """With 3 kept per listing, the best-of cut decides on both sides."""
    monkeypatch.setattr(matching, "MATCHES_KEPT_PER_LISTING", kept)
    rng = random.Random(seed)
    organisations = [VerifiedOrganisationFactory() for _ in range(4)]
    random_listings(rng, organisations)
    # Never matched: an unverified organisation's listings, and listings not active.
    unverified = OrganisationFactory(verified_at=None)
    ListingFactory(organisation=unverified, kind="wanted", waste_code="", any_fibre=True)
    ListingFactory(organisation=organisations[0], state="closed")
    expected = assert_same_as_listing_by_listing()
    assert expected, "the random set proposes no pair at all"
    if kept == 3:
        # The cut left pairs out that pass every limit.
        monkeypatch.setattr(matching, "MATCHES_KEPT_PER_LISTING", 50)
        assert matches_recompute_all()[1] > len(expected)


def test_recompute_replaces_every_stored_match(producer, recycler):
    site = recycler.organisation.exchange_sites.get()
    wanted = ListingFactory(
        organisation=recycler.organisation, site=site, kind="wanted", waste_code="", form=""
    )
    offer = ListingFactory(
        organisation=producer.organisation, site=producer.organisation.exchange_sites.get()
    )
    closed = ListingFactory(
        organisation=producer.organisation, site=offer.site, state="closed", title="Gone"
    )
    Match.objects.create(offer=closed, wanted=wanted, score=0.99, computed_at=timezone.now())
    out = StringIO()
    call_command("recompute_matches", stdout=out)
    assert set(Match.objects.values_list("offer_id", "wanted_id")) == {(offer.pk, wanted.pk)}
    assert "2 active listings, 1 matches stored" in out.getvalue()
