"""Deals both sides confirm: who may propose, confirm, decline and withdraw; unverified
organisations; the inquiry limit; e-mail at each step; the impact report and its export."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cms.conversations.models import Conversation
from exchange.models import Deal, DealState, Inquiry, ListingState
from exchange.selectors import impact_total, organisation_impact
from exchange.services import (
    deal_confirm,
    deal_decline,
    deal_propose,
    deal_withdraw,
    inquiry_start,
    listing_set_state,
)
from tests.exchange.factories import ListingFactory, MembershipFactory, SiteFactory
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


@pytest.fixture
def offer(producer):
    return ListingFactory(
        organisation=producer.organisation,
        site=producer.organisation.exchange_sites.get(),
        quantity=Decimal("3"),
        unit="t",
        title="Polycotton cuttings",
        composition={"polyester": 65, "cotton": 35},
    )


@pytest.fixture
def inquiry(offer, recycler, django_capture_on_commit_callbacks):
    """An inquiry committed, its e-mail sent: what follows is a transaction of its own."""
    with django_capture_on_commit_callbacks(execute=True):
        return inquiry_start(
            listing=offer, user=recycler.user, organisation=recycler.organisation, body="2 t?"
        )


def test_each_step_emails_both_sides(
    producer, recycler, inquiry, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        deal = deal_propose(inquiry=inquiry, user=recycler.user, quantity=Decimal("2"), date=TODAY)
        assert not mail.outbox  # the e-mails leave once the deal is committed
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {producer.user.email, recycler.user.email}
    assert "Confirm or decline it here" in by_address[producer.user.email].body
    assert "It counts once Widzew Knitwear confirms it" in by_address[recycler.user.email].body
    assert all("Deal proposed" in message.subject for message in mail.outbox)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        deal_confirm(deal=deal, user=producer.user)
    assert {message.to[0] for message in mail.outbox} == {
        producer.user.email,
        recycler.user.email,
    }
    assert all("Deal confirmed" in message.subject for message in mail.outbox)
    assert "1 t remain on the listing" in mail.outbox[0].body


def test_decline_and_withdraw_count_nothing(producer, recycler, offer, inquiry):
    first = deal_propose(inquiry=inquiry, user=producer.user, quantity=Decimal("1"), date=TODAY)
    with pytest.raises(PermissionDenied):
        deal_decline(deal=first, user=producer.user)  # the proposer's side does not decide
    deal_decline(deal=first, user=recycler.user)
    second = deal_propose(inquiry=inquiry, user=producer.user, quantity=Decimal("1"), date=TODAY)
    with pytest.raises(PermissionDenied):
        deal_withdraw(deal=second, user=recycler.user)  # only the proposing side withdraws
    deal_withdraw(deal=second, user=producer.user)
    with pytest.raises(ValidationError):
        deal_confirm(deal=second, user=recycler.user)  # a withdrawn deal stays withdrawn
    offer.refresh_from_db()
    assert offer.remaining_quantity == Decimal("3")
    assert list(Deal.objects.values_list("state", flat=True).order_by("pk")) == [
        DealState.DECLINED,
        DealState.WITHDRAWN,
    ]
    assert impact_total() == 0


def test_outsiders_cannot_propose_or_confirm(client, producer, recycler, inquiry):
    outsider = MembershipFactory()
    with pytest.raises(PermissionDenied):
        deal_propose(inquiry=inquiry, user=outsider.user, quantity=Decimal("1"), date=TODAY)
    deal = deal_propose(inquiry=inquiry, user=recycler.user, quantity=Decimal("1"), date=TODAY)
    with pytest.raises(PermissionDenied):
        deal_confirm(deal=deal, user=outsider.user)
    # through the site: an outsider gets a 404 for the thread's deal
    client.force_login(outsider.user)
    response = client.post(reverse("exchange:deal_action", args=[deal.pk, "confirm"]))
    assert response.status_code == 404
    # a colleague of the proposer (same side) cannot confirm either
    colleague = MembershipFactory(organisation=recycler.organisation, role="member").user
    client.force_login(colleague)
    client.post(reverse("exchange:deal_action", args=[deal.pk, "confirm"]))
    deal.refresh_from_db()
    assert deal.state == DealState.PROPOSED


def test_unverified_organisation_cannot_record_deals(client, producer, offer):
    unverified = OrganisationFactory(verified_at=None)
    SiteFactory(organisation=unverified)
    member = MembershipFactory(organisation=unverified).user
    inquiry = inquiry_start(listing=offer, user=member, organisation=unverified, body="Hello")
    with pytest.raises(ValidationError):
        deal_propose(inquiry=inquiry, user=member, quantity=Decimal("1"), date=TODAY)
    # nor confirm one the verified side proposed
    deal = deal_propose(inquiry=inquiry, user=producer.user, quantity=Decimal("1"), date=TODAY)
    with pytest.raises(ValidationError):
        deal_confirm(deal=deal, user=member)
    offer.refresh_from_db()
    assert offer.remaining_quantity == Decimal("3")
    client.force_login(member)
    page = client.get(inquiry.get_absolute_url()).content.decode()
    assert "must be verified by staff before it can record deals" in page
    client.post(inquiry.get_absolute_url(), {"deal-quantity": "1", "deal-date": "2026-11-20"})
    assert Deal.objects.count() == 1


def test_unverified_organisation_has_a_daily_inquiry_limit(client, settings, producer):
    settings.UNVERIFIED_CONVERSATIONS_PER_DAY = 2
    unverified = OrganisationFactory(verified_at=None)
    member = MembershipFactory(organisation=unverified).user
    listings = [ListingFactory(organisation=producer.organisation) for _ in range(3)]
    client.force_login(member)
    for listing in listings:
        client.post(reverse("exchange:inquiry_start", args=[listing.pk]), {"body": "Hello"})
    assert Inquiry.objects.filter(organisation=unverified).count() == 2
    response = client.post(
        reverse("exchange:inquiry_start", args=[listings[2].pk]), {"body": "Hello"}, follow=True
    )
    assert "may start 2 conversations a day" in response.content.decode()
    # continuing an existing conversation is not a new inquiry
    client.post(reverse("exchange:inquiry_start", args=[listings[0].pk]), {"body": "Again"})
    assert Inquiry.objects.get(listing=listings[0]).messages.count() == 2
    # yesterday's inquiries do not count today
    Conversation.objects.update(created_at=timezone.now() - timedelta(days=1))
    client.post(reverse("exchange:inquiry_start", args=[listings[2].pk]), {"body": "Hello"})
    assert Inquiry.objects.filter(organisation=unverified).count() == 3


def test_only_the_listing_organisation_changes_its_state(producer, recycler, offer, inquiry):
    with pytest.raises(PermissionDenied):
        listing_set_state(listing=offer, user=recycler.user, state=ListingState.CLOSED)
    offer.refresh_from_db()
    assert offer.state == ListingState.ACTIVE


def test_editing_a_listing_never_writes_back_a_stale_remaining_quantity(
    client, producer, recycler, offer, inquiry
):
    from tests.exchange.test_listings import listing_data

    client.force_login(producer.user)
    edit = reverse("exchange:listing_edit", args=[offer.pk])
    form_page = client.get(edit)  # the member opens the form while 3 t remain
    assert form_page.status_code == 200
    deal = deal_propose(inquiry=inquiry, user=recycler.user, quantity=Decimal("1"), date=TODAY)
    deal_confirm(deal=deal, user=producer.user)  # 2 t remain now
    data = listing_data(offer.site, quantity="3", unit="t", title="Polycotton, edited")
    client.post(edit, data)
    offer.refresh_from_db()
    assert offer.title == "Polycotton, edited"
    assert offer.remaining_quantity == Decimal("2")
    # raising the total by 2 t raises what remains by 2 t
    client.post(edit, {**data, "quantity": "5"})
    offer.refresh_from_db()
    assert (offer.quantity, offer.remaining_quantity) == (Decimal("5"), Decimal("4"))


def test_organisation_impact_report_and_export(client, producer, recycler, offer, inquiry):
    deal = deal_propose(inquiry=inquiry, user=recycler.user, quantity=Decimal("2"), date=TODAY)
    deal_confirm(deal=deal, user=producer.user)
    deal_propose(inquiry=inquiry, user=recycler.user, quantity=Decimal("1"), date=TODAY)
    report = organisation_impact(producer.organisation)
    assert report["supplied"] == Decimal("2") and report["received"] == 0
    assert report["co2e"] == Decimal("8") and report["deals"] == 1
    assert organisation_impact(recycler.organisation)["received"] == Decimal("2")
    client.force_login(recycler.user)
    page = client.get(reverse("exchange:impact_report")).content.decode()
    assert "Polycotton cuttings" in page and "Widzew Knitwear" in page and "received" in page
    export = client.get(reverse("exchange:impact_export"))
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0][:4] == ["date", "listing", "role", "counterparty"]
    assert rows[1][1:4] == ["Polycotton cuttings", "received", "Widzew Knitwear"]
    assert rows[1][7] == "8.000"
    assert len([row for row in rows if row and row[0] == "2026-11-20"]) == 1  # confirmed only


def test_impact_report_needs_a_member(client, user):
    assert client.get(reverse("exchange:impact_report")).status_code == 302
    client.force_login(user)
    assert client.get(reverse("exchange:impact_report")).url == reverse("exchange:join")
    assert client.get(reverse("exchange:impact_export")).status_code == 403


def test_impact_report_queries_are_bounded(
    client, producer, recycler, offer, inquiry, django_assert_max_num_queries
):
    for _ in range(5):
        deal = deal_propose(
            inquiry=inquiry, user=recycler.user, quantity=Decimal("0.1"), date=TODAY
        )
        deal_confirm(deal=deal, user=producer.user)
    client.force_login(producer.user)
    client.get("/")  # the first request of a site creates its SiteLook
    with django_assert_max_num_queries(12):
        assert client.get(reverse("exchange:impact_report")).status_code == 200
