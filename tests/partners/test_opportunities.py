from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cms.partners.models import Opportunity, OpportunityStatus, ReviewState
from tests.exchange.factories import MembershipFactory
from tests.factories import UserFactory
from tests.partners.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

NEW = reverse("partners:opportunity_create")


def form_data(**overrides):
    data = {
        "kind": "partner_search",
        "title": "Partners for a Horizon Europe proposal on fibre-to-fibre recycling",
        "summary": "We coordinate a proposal and look for a sorter and a spinner.",
        "description": "",
        "sought_partners": ["sorting", "spinning"],
        "sought_countries": ["PL", "IT"],
        "nace_codes": ["13.10"],
        "s3_areas": ["circular_economy"],
        "competences": "automated sorting, open-end spinning",
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "budget": "",
        "trl_wanted": "",
    }
    data.update(overrides)
    return data


def test_member_posts_a_draft_that_reviewers_publish(client, research_centre, reviewer):
    client.force_login(research_centre.user)
    response = client.post(NEW, form_data(submit="1"))
    opportunity = Opportunity.objects.get()
    assert response.url == opportunity.get_absolute_url()
    assert opportunity.review_state == ReviewState.SUBMITTED
    assert opportunity.organisation == research_centre.organisation
    assert opportunity.competences == ["automated sorting", "open-end spinning"]
    assert not opportunity.terms.exists()  # nothing to match until it is published
    assert mail.outbox[-1].to == [reviewer.email]
    # Not public while under review.
    client.logout()
    assert client.get(opportunity.get_absolute_url()).status_code == 404
    assert (
        opportunity.title
        not in client.get(reverse("partners:search"), {"show": "opportunities"}).content.decode()
    )

    client.force_login(reviewer)
    client.post(
        reverse("partners:review_queue"), {"opportunity": opportunity.pk, "decision": "approve"}
    )
    opportunity.refresh_from_db()
    assert opportunity.review_state == ReviewState.PUBLISHED
    assert opportunity.published_at is not None
    assert set(opportunity.terms.values_list("scheme", "code")) >= {
        ("seeks", "sorting"),
        ("nace", "13"),
        ("nace", "13.1"),
        ("nace", "13.10"),
        ("competence", "automated sorting"),
    }
    assert set(opportunity.terms.values_list("countries", flat=True)) == {",PL,IT,"}
    assert mail.outbox[-1].to == [research_centre.user.email]
    client.logout()
    page = client.get(opportunity.get_absolute_url())
    assert page.status_code == 200
    assert "fibre-to-fibre" in page.content.decode()
    listing = client.get(reverse("partners:search"), {"show": "opportunities"}).content.decode()
    assert opportunity.title in listing


def test_reviewer_returns_with_a_note_and_the_member_edits_again(client, research_centre, reviewer):
    opportunity = OpportunityFactory(
        organisation=research_centre.organisation, review_state=ReviewState.SUBMITTED
    )
    client.force_login(reviewer)
    client.post(
        reverse("partners:review_queue"),
        {"opportunity": opportunity.pk, "decision": "return", "note": "Name the funding call."},
    )
    opportunity.refresh_from_db()
    assert opportunity.review_state == ReviewState.REJECTED
    assert "Name the funding call." in mail.outbox[-1].body
    client.force_login(research_centre.user)
    edit = reverse("partners:opportunity_edit", args=[opportunity.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, form_data(title="Better title"))
    opportunity.refresh_from_db()
    assert opportunity.title == "Better title"


def test_a_return_without_a_note_changes_nothing(client, research_centre, reviewer):
    opportunity = OpportunityFactory(
        organisation=research_centre.organisation, review_state=ReviewState.SUBMITTED
    )
    client.force_login(reviewer)
    response = client.post(
        reverse("partners:review_queue"),
        {"opportunity": opportunity.pk, "decision": "return", "note": ""},
        follow=True,
    )
    assert "Say what should change." in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.review_state == ReviewState.SUBMITTED


def test_another_organisations_draft_is_not_found(client, sme, research_centre):
    draft = OpportunityFactory(
        organisation=research_centre.organisation, review_state=ReviewState.DRAFT
    )
    for user in (sme.user, UserFactory()):
        client.force_login(user)
        assert client.get(draft.get_absolute_url()).status_code == 404
        edit = client.get(reverse("partners:opportunity_edit", args=[draft.pk]))
        assert edit.status_code in (403, 404)
        response = client.post(reverse("partners:opportunity_action", args=[draft.pk, "submit"]))
        assert response.status_code == 404
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404
    draft.refresh_from_db()
    assert draft.review_state == ReviewState.DRAFT
    # Its own members see it.
    client.force_login(research_centre.user)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_only_reviewers_reach_the_review_queue(client, sme):
    opportunity = OpportunityFactory(
        organisation=sme.organisation, review_state=ReviewState.SUBMITTED
    )
    client.force_login(sme.user)
    assert client.get(reverse("partners:review_queue")).status_code == 403
    response = client.post(
        reverse("partners:review_queue"), {"opportunity": opportunity.pk, "decision": "approve"}
    )
    assert response.status_code == 403
    opportunity.refresh_from_db()
    assert opportunity.review_state == ReviewState.SUBMITTED


def test_people_without_an_organisation_cannot_post(client):
    client.force_login(UserFactory())
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data()).status_code == 403
    assert not Opportunity.objects.exists()


def test_a_published_opportunity_cannot_be_edited_but_can_be_closed(client, sme):
    opportunity = OpportunityFactory(organisation=sme.organisation)
    client.force_login(sme.user)
    response = client.post(reverse("partners:opportunity_edit", args=[opportunity.pk]), form_data())
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.title != form_data()["title"]
    client.post(
        reverse("partners:opportunity_action", args=[opportunity.pk, "status"]),
        {"status": "partner_found"},
    )
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.PARTNER_FOUND
    assert not Opportunity.objects.live().exists()
    # A stranger cannot change it.
    client.force_login(MembershipFactory().user)
    response = client.post(
        reverse("partners:opportunity_action", args=[opportunity.pk, "status"]), {"status": "open"}
    )
    assert response.status_code == 404
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.PARTNER_FOUND


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": "Nul\x00byte"},
        {"budget": "1" * 40},
        {"trl_wanted": "12"},
        {"deadline": "not a date"},
        {"kind": "gossip"},
        {"sought_countries": ["XX"]},
        {"competences": ", ".join(f"tag {n}" for n in range(30))},
        {"kind": "business_offer", "funding_call": "999999"},
    ],
)
def test_bad_input_gets_a_message_and_saves_nothing(client, sme, overrides):
    client.force_login(sme.user)
    response = client.post(NEW, form_data(**overrides))
    assert response.status_code == 200
    assert "Please correct the errors below." in response.content.decode()
    assert not Opportunity.objects.exists()


def test_opportunity_page_queries_are_bounded(client, sme, django_assert_max_num_queries):
    opportunity = OpportunityFactory(
        organisation=sme.organisation, nace_codes=["13.20", "38.32"], competences=["a", "b"]
    )
    client.get(reverse("partners:search"))  # the site's first request creates its SiteLook
    with django_assert_max_num_queries(8):
        assert client.get(opportunity.get_absolute_url()).status_code == 200
    client.force_login(sme.user)
    with django_assert_max_num_queries(14):
        assert client.get(opportunity.get_absolute_url()).status_code == 200
