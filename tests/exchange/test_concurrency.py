"""Deals confirmed while members edit the listing: no update is lost (PostgreSQL, real
transactions in parallel threads)."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from exchange.models import Deal, DealState, Listing
from exchange.services import deal_confirm, deal_propose, inquiry_start, listing_save
from tests.exchange.factories import ListingFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_together(functions):
    """Start every function at the same moment in its own thread (own database connection)."""
    barrier = threading.Barrier(len(functions))
    errors = []

    def run(function):
        try:
            barrier.wait()
            function()
        except Exception as error:  # noqa: BLE001  (reported by the test below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(function,)) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_edits_racing_deal_confirmations_lose_no_update(producer, recycler):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises every write")
    offer = ListingFactory(
        organisation=producer.organisation,
        site=producer.organisation.exchange_sites.get(),
        quantity=Decimal("20"),
        unit="kg",
        title="Cotton cuttings",
    )
    inquiry = inquiry_start(
        listing=offer, user=recycler.user, organisation=recycler.organisation, body="8 × 1 kg"
    )
    deals = [
        deal_propose(inquiry=inquiry, user=recycler.user, quantity=Decimal("1"), date=date.today())
        for _ in range(8)
    ]
    # Eight members opened the edit form before any deal was confirmed: each holds a listing
    # read with 20 kg remaining, and each raises the total to 21 kg.
    stale = [Listing.objects.get(pk=offer.pk) for _ in range(8)]

    def edit(listing, n):
        def save():
            listing.title = f"Cotton cuttings, edit {n}"
            listing.quantity = Decimal("21")
            listing_save(listing=listing, user=producer.user, fields=["title", "quantity"])

        return save

    def confirm(deal):
        return lambda: deal_confirm(deal=deal, user=producer.user)

    errors = run_together(
        [edit(listing, n) for n, listing in enumerate(stale)] + [confirm(d) for d in deals]
    )
    assert errors == []
    offer.refresh_from_db()
    # 20 kg − 8 × 1 kg confirmed + 1 kg added once by raising the total from 20 to 21 kg.
    assert (offer.quantity, offer.remaining_quantity) == (Decimal("21"), Decimal("13"))
    assert Deal.objects.filter(state=DealState.CONFIRMED).count() == 8
