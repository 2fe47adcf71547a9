from decimal import Decimal

import pytest
from django.urls import reverse

from exchange.matching import composition_similarity, haversine_km, listing_matches_recompute
from exchange.models import ListingState, Match
from exchange.services import listing_set_state
from tests.exchange.factories import ListingFactory, SiteFactory

pytestmark = pytest.mark.django_db


def wanted_by(membership, **kwargs):
    site = membership.organisation.exchange_sites.get()
    defaults = {"kind": "wanted", "accepted_forms": [], "process": "mechanical"}
    return ListingFactory(organisation=membership.organisation, site=site, **{**defaults, **kwargs})


def offered_by(membership, **kwargs):
    site = membership.organisation.exchange_sites.get()
    return ListingFactory(organisation=membership.organisation, site=site, **kwargs)


def test_haversine_lodz_to_chemnitz():
    assert 440 < haversine_km(51.7592, 19.4560, 50.8278, 12.9214) < 470


def test_composition_similarity_is_family_aware():
    assert (
        composition_similarity({"polyester": 92, "elastane": 8}, {"polyester": 80, "unknown": 20})
        == 0.8
    )
    # viscose and lyocell are both man-made cellulosics: half credit
    assert composition_similarity({"viscose": 100}, {"lyocell": 100}) == 0.5
    assert composition_similarity({"wool": 100}, {"polyester": 100}) == 0


def test_offer_is_matched_and_explained(producer, recycler):
    wanted = wanted_by(
        recycler, composition={"polyester": 80, "unknown": 20}, quantity=Decimal("2000")
    )
    offer = offered_by(
        producer, composition={"polyester": 92, "elastane": 8}, quantity=Decimal("1200")
    )
    listing_matches_recompute(listing_id=offer.pk)
    match = Match.objects.get(offer=offer, wanted=wanted)
    assert 0.5 < match.score <= 1
    reasons = match.explanation
    assert "92% polyester + 8% elastane vs ≥80% polyester wanted" in reasons
    assert "covers 60% of the monthly need" in reasons
    assert "km" in reasons and match.distance_km == pytest.approx(470, abs=30)
    assert match.transport_co2_kg > 0


def test_supply_rhythm_is_normalised_per_month(producer, recycler):
    wanted = wanted_by(recycler, quantity=Decimal("4"), unit="t", supply_pattern="month")
    offered_by(producer, quantity=Decimal("500"), unit="kg", supply_pattern="week")
    listing_matches_recompute(listing_id=wanted.pk)
    match = Match.objects.get(wanted=wanted)
    # 500 kg a week is about 2,167 kg a month: 54% of 4 t
    assert "covers 54% of the monthly need" in match.explanation


def test_hazardous_offer_is_not_matched_to_a_wanted_listing_without_opt_in(producer, recycler):
    not_opted = wanted_by(recycler, waste_code="15 02 02*", accepts_hazardous=False)
    opted = wanted_by(recycler, waste_code="15 02 02*", accepts_hazardous=True)
    offer = offered_by(producer, waste_code="15 02 02*")
    listing_matches_recompute(listing_id=offer.pk)
    assert list(Match.objects.values_list("wanted_id", flat=True)) == [opted.pk]
    assert not Match.objects.filter(wanted=not_opted).exists()


def test_form_and_family_hard_filters(producer, recycler):
    wanted_by(recycler, accepted_forms=["garments"])
    wool = wanted_by(recycler, composition={"wool": 100}, waste_code="04 02 21")
    offer = offered_by(producer, form="fabric_cuttings", composition={"cotton": 100})
    assert listing_matches_recompute(listing_id=offer.pk) == 0
    assert not Match.objects.filter(wanted=wool).exists()


def test_own_and_unverified_listings_are_not_matched(producer, recycler):
    offered_by(producer)
    own = wanted_by(producer)
    assert listing_matches_recompute(listing_id=own.pk) == 0


def test_matches_follow_listing_changes_in_the_background(producer, recycler):
    wanted = wanted_by(recycler)
    offer = offered_by(producer)
    listing_matches_recompute(listing_id=wanted.pk)
    assert Match.objects.filter(offer=offer).exists()
    # closing the offer recomputes its matches (through listing_refresh → task)
    listing_set_state(listing=offer, user=producer.user, state=ListingState.CLOSED)
    assert not Match.objects.filter(offer=offer).exists()


def test_matches_page_ranks_and_is_bounded(
    client, producer, recycler, django_assert_max_num_queries
):
    wanted = wanted_by(recycler, composition={"cotton": 100})
    near = offered_by(producer, composition={"cotton": 100}, title="Near cotton")
    near_site = near.site
    far_site = SiteFactory(organisation=producer.organisation, latitude=38.7, longitude=-9.1)
    far = ListingFactory(
        organisation=producer.organisation,
        site=far_site,
        composition={"cotton": 100},
        title="Far cotton",
    )
    listing_matches_recompute(listing_id=wanted.pk)
    client.force_login(recycler.user)
    # (one of them reads the member's match-alert setting)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("exchange:matches"))
    content = response.content.decode()
    assert content.index(near.title) < content.index(far.title)
    for i in range(10):
        ListingFactory(organisation=producer.organisation, site=near_site, title=f"More cotton {i}")
    listing_matches_recompute(listing_id=wanted.pk)
    with django_assert_max_num_queries(15):
        client.get(reverse("exchange:matches"))
    # matches are read, never computed, on page view
    Match.objects.all().delete()
    assert "No matches yet" in client.get(reverse("exchange:matches")).content.decode()


def test_matches_page_needs_an_organisation(client, user):
    client.force_login(user)
    assert client.get(reverse("exchange:matches")).url == reverse("exchange:join")
