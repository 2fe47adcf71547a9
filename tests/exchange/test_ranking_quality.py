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
