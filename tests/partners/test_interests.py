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
    # The list: counts per state, the opportunities to filter by, unread marks in the rows.
    with django_assert_max_num_queries(18):
        assert client.get(reverse("partners:interest_list")).status_code == 200
    # The thread: its messages, the reader's read mark (read, then moved forward).
    with django_assert_max_num_queries(19):
        assert client.get(interest.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(partner_search.get_absolute_url()).status_code == 200


def test_the_interested_side_withdraws_and_may_come_back(
    client, sme, research_centre, partner_search
):
    express(client, sme, partner_search)
    interest = Interest.objects.get()
    url = reverse("partners:interest_withdraw", args=[interest.pk])
    # Not the receiving side, nobody outside.
    for other in (research_centre.user, MembershipFactory().user):
        client.force_login(other)
        assert client.post(url).status_code == 404
    interest.refresh_from_db()
    assert interest.state == InterestState.OPEN
    client.force_login(sme.user)
    mail.outbox.clear()
    response = client.post(url, {"from_list": "1"})
    assert response.url == reverse("partners:interest_list")
    interest.refresh_from_db()
    assert interest.state == InterestState.WITHDRAWN
    assert interest.conversation.is_closed
    assert [m.to for m in mail.outbox] == [[research_centre.user.email]]
    assert "withdrew" in mail.outbox[0].body
    # The thread takes no more messages; the receiving side cannot shortlist it any more.
    response = client.post(interest.get_absolute_url(), {"body": "One more thing"})
    assert "the conversation is closed" in response.content.decode()
    assert interest.messages.count() == 1
    client.force_login(research_centre.user)
    client.post(reverse("partners:interest_state", args=[interest.pk]), {"state": "shortlisted"})
    interest.refresh_from_db()
    assert interest.state == InterestState.WITHDRAWN
    assert "withdrew" in client.get(interest.get_absolute_url()).content.decode()
    # Expressing interest again reopens the same thread.
    express(client, sme, partner_search, body="We are back with a new line.")
    interest.refresh_from_db()
    assert interest.state == InterestState.OPEN
    assert not interest.conversation.is_closed
    assert interest.messages.count() == 2
    assert Interest.objects.count() == 1


def test_the_poster_sees_every_interest_in_one_place_with_counts_and_unread(
    client, sme, research_centre, partner_search
):
    second = OpportunityFactory(organisation=research_centre.organisation, title="Pilot line")
    express(client, sme, partner_search)
    others = [MembershipFactory() for _ in range(2)]
    for other in others:
        express(client, other, second, body="We would like to join the pilot.")
    client.force_login(research_centre.user)
    page = client.get(reverse("partners:interest_list")).content.decode()
    assert page.count("New messages") == 3
    assert "Open (3)" in page
    # Filter by opportunity; shortlist one and close another from the list.
    page = client.get(reverse("partners:interest_list"), {"opportunity": second.pk})
    assert "Widzew Knitwear" not in page.content.decode()
    first, other = Interest.objects.filter(opportunity=second).order_by("pk")
    state_url = reverse("partners:interest_state", args=[first.pk])
    client.post(state_url, {"state": "shortlisted", "from_list": "1"})
    client.post(
        reverse("partners:interest_state", args=[other.pk]), {"state": "closed", "from_list": "1"}
    )
    page = client.get(reverse("partners:interest_list")).content.decode()
    assert "Open (1)" in page and "Shortlisted (1)" in page and "Closed (1)" in page
    page = client.get(reverse("partners:interest_list"), {"state": "shortlisted"}).content
    assert first.organisation.name in page.decode()
    assert other.organisation.name not in page.decode()
    # Opening a thread reads it; a reply makes it unread for the other side only.
    client.get(first.get_absolute_url())
    page = client.get(reverse("partners:interest_list")).content.decode()
    assert page.count("New messages") == 2
    client.post(first.get_absolute_url(), {"body": "Welcome aboard."})
    assert client.get(reverse("partners:interest_list")).content.decode().count("New messages") == 2
    client.force_login(others[0].user)
    page = client.get(reverse("partners:interest_list")).content.decode()
    assert page.count("New messages") == 1
    assert "New" in client.get(first.get_absolute_url()).content.decode()
    # Bad filter values are ignored, not errors.
    client.force_login(research_centre.user)
    response = client.get(reverse("partners:interest_list"), {"opportunity": "9" * 40})
    assert response.status_code == 200


def test_unverified_organisations_start_a_few_conversations_a_day(
    client, settings, research_centre
):
    settings.UNVERIFIED_CONVERSATIONS_PER_DAY = 2
    unverified = MembershipFactory(organisation__verified_at=None)
    assert unverified.organisation.verified_at is None
    searches = [OpportunityFactory(organisation=research_centre.organisation) for _ in range(3)]
    for search in searches:
        express(client, unverified, search)
    assert Interest.objects.count() == 2
    response = express(client, unverified, searches[2])
    assert "may start 2 conversations a day" in response.content.decode()
    # Continuing one of its conversations is not a new one.
    express(client, unverified, searches[0], body="Also: we have NIR sorting.")
    assert Interest.objects.get(opportunity=searches[0]).messages.count() == 2


def test_message_e_mails_can_be_turned_off(client, sme, research_centre, partner_search):
    from cms.conversations.topics import MESSAGES_TOPIC
    from cms.notifications.services import preference_set

    express(client, sme, partner_search)
    interest = Interest.objects.get()
    client.force_login(research_centre.user)
    client.post(interest.get_absolute_url(), {"body": "Thanks, noted."})
    message = mail.outbox[-1]
    assert message.to == [sme.user.email]
    assert "List-Unsubscribe" in message.extra_headers
    preference_set(topic=MESSAGES_TOPIC, frequency="off", user=sme.user)
    count = len(mail.outbox)
    client.post(interest.get_absolute_url(), {"body": "One more detail."})
    assert len(mail.outbox) == count
    assert interest.messages.count() == 3
