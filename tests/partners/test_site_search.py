"""Opportunities and experts in the site search (/search/), through cms.hooks.SEARCH_RESULTS:
only what anyone may read, each with its facet; organisations are the directory's kind."""

import pytest
from django.utils import timezone

from cms.partners.models import OpportunityStatus, ReviewState
from tests.cms.searching import facet_counts, result_titles, search
from tests.exchange.factories import VerifiedOrganisationFactory
from tests.factories import RegionFactory, UserFactory
from tests.partners.factories import ExpertFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


def test_live_opportunities_are_found_and_drafts_never(client):
    OpportunityFactory(title="Lyocell blends pilot", summary="Partner for lyocell recycling.")
    OpportunityFactory(title="Lyocell draft", review_state=ReviewState.DRAFT)
    OpportunityFactory(title="Lyocell under review", review_state=ReviewState.SUBMITTED)
    OpportunityFactory(title="Lyocell closed", status=OpportunityStatus.CLOSED)
    OpportunityFactory(
        title="Lyocell expired", deadline=timezone.localdate() - timezone.timedelta(days=1)
    )
    html = search(client, "lyocell", kind="opportunities")
    assert result_titles(html) == ["Lyocell blends pilot"]
    assert facet_counts(html)["Cooperation opportunities"] == 1
    assert "/partners/?show=opportunities" in html
    # Every word must match.
    assert "Lyocell blends pilot" not in search(client, "lyocell hemp", kind="opportunities")


def test_experts_are_found_only_once_they_opt_in(client):
    listed = ExpertFactory(
        headline="Lyocell spinning adviser", user=UserFactory(display_name="Ada")
    )
    ExpertFactory(headline="Lyocell chemist", opted_in_at=None)
    ExpertFactory(headline="Lyocell dyer", user=UserFactory(is_active=False))
    html = search(client, "lyocell", kind="experts")
    assert result_titles(html) == ["Ada — Lyocell spinning adviser"]
    assert facet_counts(html)["Experts"] == 1
    assert listed.user.email not in html


def test_the_region_narrows_opportunities_and_experts(client):
    lodz, prato = RegionFactory(), RegionFactory()
    in_lodz = VerifiedOrganisationFactory(region=lodz)
    in_prato = VerifiedOrganisationFactory(region=prato)
    OpportunityFactory(title="Wool pilot Lodz", organisation=in_lodz)
    OpportunityFactory(title="Wool pilot Prato", organisation=in_prato)
    ExpertFactory(headline="Wool carding", organisation=in_prato)
    html = search(client, "wool", region=lodz.slug)
    assert "Wool pilot Lodz" in result_titles(html)
    assert "Wool pilot Prato" not in result_titles(html)
    assert facet_counts(html).get("Experts", 0) == 0


@pytest.mark.parametrize("count", [2, 12])
def test_query_count_does_not_grow_with_results(client, django_assert_max_num_queries, count):
    for n in range(count):
        OpportunityFactory(title=f"Hemp partner search {n}")
        ExpertFactory(headline=f"Hemp expert {n}")
    for kind in ("opportunities", "experts", ""):
        with django_assert_max_num_queries(30):
            search(client, "hemp", kind=kind)
