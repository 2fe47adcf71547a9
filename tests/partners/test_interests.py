import pytest
from django.core import mail
from django.urls import reverse

from cms.partners.models import Interest, InterestState, ReviewState
from tests.cms.factories import build_site_tree, technology
from tests.exchange.factories import MembershipFactory
from tests.factories import UserFactory
from tests.partners.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_search(research_centre):
    return OpportunityFactory(organisation=research_centre.organisation)


def express(client, membership, opportunity, body="We sort 2,000 t a year with NIR lines."):
    client.force_login(membership.user)
    return client.post(
        reverse("partners:opportunity_interest", args=[opportunity.pk]),
        {"organisation": membership.organisation.pk, "body": body},
    )


def test_expression_of_interest_is_a_private_thread_both_sides_hear_of(
    client, sme, research_centre, partner_search
):
    response = express(client, sme, partner_search)
    interest = Interest.objects.get()
    assert response.url == interest.get_absolute_url()
    assert interest.owner_organisation == research_centre.organisation
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {sme.user.email, research_centre.user.email}
    received = next(m for m in mail.outbox if m.to == [research_centre.user.email])
    assert "NIR lines" in received.body
    page = client.get(interest.get_absolute_url()).content.decode()
    assert "NIR lines" in page
    assert research_centre.user.email not in page
    # The poster answers, shortlists; the interested side is told each time.
    client.force_login(research_centre.user)
    listing = client.get(reverse("partners:interest_list")).content.decode()
    assert "Widzew Knitwear" in listing
    client.post(interest.get_absolute_url(), {"body": "Could you join a call on Monday?"})
    assert mail.outbox[-1].to == [sme.user.email]
    assert "call on Monday" in mail.outbox[-1].body
    client.post(reverse("partners:interest_state", args=[interest.pk]), {"state": "shortlisted"})
    interest.refresh_from_db()
    assert interest.state == InterestState.SHORTLISTED
    assert mail.outbox[-1].to == [sme.user.email]
    assert "shortlisted" in mail.outbox[-1].body
    # A second expression from the same organisation continues the same thread.
    express(client, sme, partner_search, body="Monday is fine.")
    assert Interest.objects.count() == 1
    assert interest.messages.count() == 3


def test_someone_elses_thread_is_not_found(client, sme, partner_search):
    express(client, sme, partner_search)
    interest = Interest.objects.get()
    for outsider in (MembershipFactory().user, UserFactory()):
        client.force_login(outsider)
        assert client.get(interest.get_absolute_url()).status_code == 404
        assert client.post(interest.get_absolute_url(), {"body": "hi"}).status_code == 404
        response = client.post(
            reverse("partners:interest_state", args=[interest.pk]), {"state": "closed"}
        )
        assert response.status_code == 404
        listing = client.get(reverse("partners:interest_list")).content.decode()
        assert interest.get_absolute_url() not in listing
    client.logout()
    assert client.get(interest.get_absolute_url()).status_code == 302  # to sign in
    interest.refresh_from_db()
    assert interest.messages.count() == 1
    assert interest.state == InterestState.OPEN


def test_the_interested_side_cannot_shortlist_itself(client, sme, partner_search):
    express(client, sme, partner_search)
    interest = Interest.objects.get()
    response = client.post(
        reverse("partners:interest_state", args=[interest.pk]), {"state": "shortlisted"}
    )
    assert response.status_code == 403
    interest.refresh_from_db()
    assert interest.state == InterestState.OPEN


def test_no_interest_in_own_draft_or_closed_opportunities(client, sme, research_centre):
    own = OpportunityFactory(organisation=sme.organisation)
    response = express(client, sme, own)
    assert response.status_code == 200
    assert "your own organisation" in response.content.decode()
    draft = OpportunityFactory(
        organisation=research_centre.organisation, review_state=ReviewState.DRAFT
    )
    assert express(client, sme, draft).status_code == 404
    closed = OpportunityFactory(organisation=research_centre.organisation, status="closed")
    response = express(client, sme, closed)
    assert "no longer open" in response.content.decode()
    assert express(client, sme, own, body="\x00").status_code == 200
    assert not Interest.objects.exists()


def test_a_closed_thread_takes_no_more_messages(client, sme, research_centre, partner_search):
    express(client, sme, partner_search)
    interest = Interest.objects.get()
    client.force_login(research_centre.user)
    client.post(reverse("partners:interest_state", args=[interest.pk]), {"state": "closed"})
    client.force_login(sme.user)
    response = client.post(interest.get_absolute_url(), {"body": "Please reconsider"})
    assert "This conversation is closed." in response.content.decode()
    assert interest.messages.count() == 1


def test_registering_interest_in_a_technology_opens_a_thread_with_its_developer(
    client, sme, research_centre
):
    tree = build_site_tree()
    page = technology(tree["technologies"], developer=research_centre.organisation)
    page_html = client.get(page.url).content.decode()
    url = reverse("partners:technology_interest", args=[page.pk])
    assert url in page_html
    client.force_login(sme.user)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"organisation": sme.organisation.pk, "body": "Does it handle cotton blends?"}
    )
    interest = Interest.objects.get()
    assert response.url == interest.get_absolute_url()
    assert interest.technology_id == page.pk
    assert interest.owner_organisation == research_centre.organisation
    assert any(m.to == [research_centre.user.email] for m in mail.outbox)


def test_interest_pages_queries_are_bounded(
    client, sme, research_centre, partner_search, django_assert_max_num_queries
):
    express(client, sme, partner_search)
    interest = Interest.objects.get()
    client.force_login(research_centre.user)
    for _ in range(5):
        other = MembershipFactory()
        express(client, other, partner_search)
    client.force_login(research_centre.user)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("partners:interest_list")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(interest.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(partner_search.get_absolute_url()).status_code == 200
