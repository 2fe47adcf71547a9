from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cms.notifications.services import preference_set
from cms.partners.models import OpportunityTerm, ReviewState
from cms.partners.seed import seed_partners
from cms.partners.selectors import opportunity_recommendations
from cms.partners.tasks import send_recommendation_digests
from cms.partners.topics import RECOMMENDATIONS_TOPIC
from tests.cms.factories import build_site_tree, funding_call
from tests.exchange.factories import MembershipFactory
from tests.partners.factories import CooperationProfileFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recycler(db):
    """A Polish recycler whose profile says: recycling, 38.32, circular economy, NIR sorting."""
    profile = CooperationProfileFactory(
        organisation__country="PL",
        value_chain=["recycling"],
        nace_codes=["38.32"],
        s3_areas=["circular_economy"],
        competences=["NIR sorting"],
    )
    return MembershipFactory(organisation=profile.organisation)


def titles(recommendations):
    return [r.opportunity.title for r in recommendations]


def test_recommendations_are_ranked_and_explained(recycler):
    best = OpportunityFactory(
        title="Recycler with NIR sorting wanted",
        sought_partners=["recycling"],
        s3_areas=["circular_economy"],
        competences=["NIR sorting"],
        sought_countries=["PL", "CZ"],
    )
    OpportunityFactory(title="Any recycler", sought_partners=["recycling"], s3_areas=[])
    OpportunityFactory(title="Weaver wanted", sought_partners=["weaving_knitting"], s3_areas=[])
    OpportunityFactory(title="Recycler in Italy only", sought_countries=["IT"])
    OpportunityFactory(organisation=recycler.organisation, title="Our own search")
    OpportunityFactory(title="Draft", review_state=ReviewState.DRAFT)
    OpportunityFactory(title="Closed", status="closed")
    OpportunityFactory(title="Expired", deadline=timezone.localdate() - timedelta(days=1))
    found = opportunity_recommendations(recycler.organisation)
    assert titles(found) == ["Recycler with NIR sorting wanted", "Any recycler"]
    reasons = " ".join(found[0].reasons)
    assert "Looks for partners like you: Recycling" in reasons
    assert "Circular economy and recycling" in reasons
    assert "nir sorting" in reasons
    assert "Seeks partners in Poland" in reasons
    assert found[0].opportunity == best


def test_recommendation_page_and_digest_subscription(
    client, recycler, django_capture_on_commit_callbacks
):
    OpportunityFactory(title="Recycler wanted for a pilot")
    client.force_login(recycler.user)
    url = reverse("partners:recommendations")
    with_reasons = client.get(url).content.decode()
    assert "Recycler wanted for a pilot" in with_reasons
    assert "Looks for partners like you" in with_reasons
    client.post(url, {"frequency": "weekly"})
    with django_capture_on_commit_callbacks(execute=True):  # the digest job's transaction
        assert send_recommendation_digests("weekly") == 1
    digest = mail.outbox[-1]
    assert digest.to == [recycler.user.email]
    assert "Recycler wanted for a pilot" in digest.body
    assert "List-Unsubscribe" in digest.extra_headers
    # Never the same opportunity twice; nothing for the daily subscribers.
    assert send_recommendation_digests("weekly") == 0
    assert send_recommendation_digests("daily") == 0
    client.post(url, {"frequency": "hourly"})
    assert len(mail.outbox) == 1


def test_digest_leaves_out_old_opportunities(recycler, django_capture_on_commit_callbacks):
    preference_set(topic=RECOMMENDATIONS_TOPIC, frequency="daily", user=recycler.user)
    OpportunityFactory(title="Old", published_at=timezone.now() - timedelta(days=5))
    assert send_recommendation_digests("daily") == 0
    OpportunityFactory(title="New")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_recommendation_digests("daily") == 1
    assert "New" in mail.outbox[-1].body and "Old" not in mail.outbox[-1].body


def test_term_rows_follow_the_opportunity(recycler):
    opportunity = OpportunityFactory(review_state=ReviewState.SUBMITTED)
    assert not OpportunityTerm.objects.filter(opportunity=opportunity).exists()
    opportunity.review_state = ReviewState.PUBLISHED
    opportunity.save()
    assert OpportunityTerm.objects.filter(opportunity=opportunity).exists()
    opportunity.status = "partner_found"
    opportunity.save(update_fields=["status"])
    assert not OpportunityTerm.objects.filter(opportunity=opportunity).exists()


def test_a_funding_call_page_lists_its_partner_searches(client, recycler):
    tree = build_site_tree()
    call = funding_call(tree["funding"], title="Interreg CE circular textiles", publish=True)
    OpportunityFactory(title="Partners for our Interreg proposal", funding_call=call)
    OpportunityFactory(title="Unrelated search")
    page = client.get(call.url).content.decode()
    assert "Partners for our Interreg proposal" in page
    assert "Unrelated search" not in page
    assert f"{reverse('partners:opportunity_create')}?funding_call={call.pk}" in page


def test_recommendations_queries_do_not_grow(recycler, django_assert_max_num_queries):
    seed_partners(organisations=40, opportunities=120, prefix="small")
    with django_assert_max_num_queries(4):
        found = opportunity_recommendations(recycler.organisation)
    assert found


def test_benchmark_command_runs_and_rolls_back(capsys):
    call_command("bench_partners", organisations=30, opportunities=60, samples=3)
    output = capsys.readouterr().out
    assert "Recommendations for one organisation" in output
    assert not OpportunityTerm.objects.exists()
