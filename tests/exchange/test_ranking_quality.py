"""Ranking quality on the labelled set (tests/exchange/labelled_set.json): offers and buyers'
specifications written as traders write them, graded from each specification."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from exchange.evaluation import evaluate, load_set

pytestmark = pytest.mark.django_db

SET = Path(__file__).with_name("labelled_set.json")


@pytest.fixture(scope="module")
def labelled():
    return load_set(SET)


def test_the_set_is_large_enough_and_graded(labelled):
    assert len(labelled["offers"]) >= 40
    assert len(labelled["wanted"]) >= 12
    offers = {offer["id"] for offer in labelled["offers"]}
    for wanted in labelled["wanted"]:
        assert set(wanted["relevance"]) <= offers and set(wanted["never"]) <= offers
        assert not set(wanted["relevance"]) & set(wanted["never"]), wanted["id"]
        assert set(wanted["relevance"].values()) <= {1, 2, 3}
        assert wanted["never"], f"{wanted['id']} names no offer that breaks its specification"


def test_never_pairs_are_never_proposed_and_ranking_meets_its_targets(labelled):
    result = evaluate(labelled)
    assert result["never_proposed"] == []
    # Every offer graded as fitting a specification passes its hard limits.
    assert result["missed"] == []
    assert result["precision_at_3"] >= 0.8
    assert result["ndcg_at_5"] >= 0.85


def test_the_command_prints_the_figures():
    out = StringIO()
    call_command("evaluate_matching", stdout=out)
    text = out.getvalue()
    assert "mean precision@3: " in text and "mean nDCG@5: " in text
    assert "never-pairs proposed: 0" in text


def test_the_database_filters_never_drop_a_pair_the_rules_accept(labelled):
    """candidates_for (SQL, both directions) keeps every pair that check_pair accepts, and
    check_pair refuses every never-pair: the two statements of the rules agree."""
    from exchange.evaluation import _create
    from exchange.matching import Profile, candidates_for, check_pair, profiles
    from exchange.models import Listing, ListingKind

    listings = _create(labelled)
    full = {
        key: Profile.of(
            Listing.objects.prefetch_related("composition", "accepted_codes", "fibre_limits").get(
                pk=listing.pk
            )
        )
        for key, listing in listings.items()
    }
    offers = [key for key in full if full[key].listing.is_offer]
    wanted = [key for key in full if not full[key].listing.is_offer]
    by_side = {
        key: {
            p.listing.id
            for p in profiles(
                candidates_for(full[key]),
                kind=ListingKind.WANTED if full[key].listing.is_offer else ListingKind.OFFER,
            )
        }
        for key in full
    }
    never = {(o, w["id"]) for w in labelled["wanted"] for o in w["never"]}
    accepted = 0
    for o in offers:
        for w in wanted:
            passes = check_pair(full[o], full[w]) is not None
            if passes:
                accepted += 1
                assert full[o].listing.id in by_side[w], (o, w)
                assert full[w].listing.id in by_side[o], (o, w)
            if (o, w) in never:
                assert not passes, (o, w)
    assert accepted >= 40
