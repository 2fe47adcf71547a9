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
    client, producer, recycler, offer
):
    response = start(client, recycler, offer)
    inquiry = Inquiry.objects.get()
    assert response.url == inquiry.get_absolute_url()
    assert mail.outbox[-1].to == [producer.user.email]
    assert "pick up 2 t" in mail.outbox[-1].body
    page = client.get(inquiry.get_absolute_url()).content.decode()
    assert producer.user.email not in page and recycler.user.email not in page
    client.force_login(producer.user)
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


def test_deal_lowers_remaining_quantity_and_feeds_impact(client, producer, recycler, offer):
    start(client, recycler, offer)
    inquiry = Inquiry.objects.get()
    client.force_login(producer.user)
    client.post(inquiry.get_absolute_url(), {"deal-quantity": "2", "deal-date": "2026-11-20"})
    offer.refresh_from_db()
    assert offer.remaining_quantity == Decimal("1")
    deal = Deal.objects.get()
    assert deal.tonnes == Decimal("2") and deal.fibre_family == "synthetic"
    assert deal.region == offer.organisation.region
    totals = impact_totals()
    assert totals["total"] == Decimal("2")
    assert totals["by_material"][0]["tonnes"] == Decimal("2")
    # more than remains is refused, nothing changes
    response = client.post(
        inquiry.get_absolute_url(), {"deal-quantity": "5", "deal-date": "2026-11-21"}
    )
    assert "Only 1" in response.content.decode()
    assert Deal.objects.count() == 1
    # the rest closes the offer
    client.post(inquiry.get_absolute_url(), {"deal-quantity": "1", "deal-date": str(date.today())})
    offer.refresh_from_db()
    assert offer.state == ListingState.CLOSED
    assert "3" in client.get(reverse("exchange:impact")).content.decode()


def test_inquiry_page_queries_are_bounded(
    client, producer, recycler, offer, django_assert_max_num_queries
):
    start(client, recycler, offer)
    inquiry = Inquiry.objects.get()
    for i in range(10):
        client.post(inquiry.get_absolute_url(), {"body": f"message {i}"})
    with django_assert_max_num_queries(14):
        assert client.get(inquiry.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("exchange:inquiry_list")).status_code == 200
