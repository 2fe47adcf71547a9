from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from exchange.models import Deal, Inquiry, ListingState
from exchange.selectors import impact_totals
from tests.exchange.factories import ListingFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(producer):
    return ListingFactory(
        organisation=producer.organisation,
        site=producer.organisation.exchange_sites.get(),
        quantity=Decimal("3"),
        unit="t",
        composition={"polyester": 65, "cotton": 35},
    )


def start(client, recycler, offer, body="Can we pick up 2 t next week?"):
    client.force_login(recycler.user)
    return client.post(reverse("exchange:inquiry_start", args=[offer.pk]), {"body": body})


def test_inquiry_notifies_the_other_side_without_showing_addresses(
    client, producer, recycler, offer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, recycler, offer)
    inquiry = Inquiry.objects.get()
    assert response.url == inquiry.get_absolute_url()
    assert mail.outbox[-1].to == [producer.user.email]
    assert "pick up 2 t" in mail.outbox[-1].body
    page = client.get(inquiry.get_absolute_url()).content.decode()
    assert producer.user.email not in page and recycler.user.email not in page
    client.force_login(producer.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(inquiry.get_absolute_url(), {"body": "Yes, Tuesday works."})
    assert mail.outbox[-1].to == [recycler.user.email]
    assert inquiry.messages.count() == 2


def test_outsiders_cannot_read_or_post_in_an_inquiry(client, recycler, offer):
    start(client, recycler, offer)
    inquiry = Inquiry.objects.get()
    outsider = MembershipFactory().user
    client.force_login(outsider)
    assert client.get(inquiry.get_absolute_url()).status_code == 404
    assert client.post(inquiry.get_absolute_url(), {"body": "hi"}).status_code == 404
    assert (
        inquiry.get_absolute_url()
        not in client.get(reverse("exchange:inquiry_list")).content.decode()
    )


def test_cannot_inquire_about_own_listing(client, producer, offer):
    client.force_login(producer.user)
    client.post(reverse("exchange:inquiry_start", args=[offer.pk]), {"body": "hello"})
    assert not Inquiry.objects.exists()


def test_deal_counts_once_the_other_side_confirms(
    client, producer, recycler, offer, django_capture_on_commit_callbacks
):
    start(client, recycler, offer)
    inquiry = Inquiry.objects.get()
    client.force_login(producer.user)
    client.post(inquiry.get_absolute_url(), {"deal-quantity": "2", "deal-date": "2026-11-20"})
    deal = Deal.objects.get()
    offer.refresh_from_db()
    assert deal.state == "proposed" and offer.remaining_quantity == Decimal("3")
    assert impact_totals()["total"] == 0
    # the proposer cannot confirm their own proposal
    confirm = reverse("exchange:deal_action", args=[deal.pk, "confirm"])
    client.post(confirm)
    deal.refresh_from_db()
    assert deal.state == "proposed"
    client.force_login(recycler.user)
    # The committed confirmation clears the cached impact figures read above.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm)
    deal.refresh_from_db()
    offer.refresh_from_db()
    assert deal.state == "confirmed" and offer.remaining_quantity == Decimal("1")
    assert deal.tonnes == Decimal("2") and deal.fibre_family == "synthetic"
    assert deal.region == offer.organisation.region
    totals = impact_totals()
    assert totals["total"] == Decimal("2") and totals["co2e"] == Decimal("8")
    assert totals["by_material"][0]["tonnes"] == Decimal("2")
    # more than remains is refused, nothing changes
    response = client.post(
        inquiry.get_absolute_url(), {"deal-quantity": "5", "deal-date": "2026-11-21"}
    )
    assert "Only 1" in response.content.decode()
    assert Deal.objects.count() == 1
    # the rest, proposed by the buyer and confirmed by the producer, closes the offer
    client.post(inquiry.get_absolute_url(), {"deal-quantity": "1", "deal-date": str(date.today())})
    client.force_login(producer.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exchange:deal_action", args=[Deal.objects.latest("pk").pk, "confirm"]))
    offer.refresh_from_db()
    assert offer.state == ListingState.CLOSED
    page = client.get(reverse("exchange:impact")).content.decode()
    assert "3 tonnes" in page and "Oakdene Hollins" in page


def test_inquiry_page_queries_are_bounded(
    client, producer, recycler, offer, django_assert_max_num_queries
):
    start(client, recycler, offer)
    inquiry = Inquiry.objects.get()
    for i in range(10):
        client.post(inquiry.get_absolute_url(), {"body": f"message {i}"})
    # (one query finds the side the member acts for, one reads the deals)
    with django_assert_max_num_queries(16):
        assert client.get(inquiry.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("exchange:inquiry_list")).status_code == 200


def test_an_inquiry_is_a_shared_conversation_with_unread_marks(client, producer, recycler, offer):
    start(client, recycler, offer)
    inquiry = Inquiry.objects.select_related("conversation").get()
    assert inquiry.conversation.kind == "exchange.inquiry"
    assert inquiry.conversation.sides == (recycler.organisation_id, producer.organisation_id)
    client.force_login(producer.user)
    assert "New messages" in client.get(reverse("exchange:inquiry_list")).content.decode()
    assert "New" in client.get(inquiry.get_absolute_url()).content.decode()
    assert "New messages" not in client.get(reverse("exchange:inquiry_list")).content.decode()
    # A message that cannot be stored gets a message in the page, and nothing is saved.
    response = client.post(inquiry.get_absolute_url(), {"body": "bad\x00byte"})
    assert response.status_code == 200
    assert inquiry.messages.count() == 1
