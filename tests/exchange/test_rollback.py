"""The exchange's after-commit work (e-mail through the outbox, match recomputation, alerts)
waits for the commit: a rolled-back action sends nothing and queues nothing. Django's own
on-commit rules apply, as in every exchange test, observed with pytest-django's
``django_capture_on_commit_callbacks``."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction

from cms.outbox.models import OutgoingEmail
from exchange import jobs, services
from exchange.models import Inquiry, Listing, ListingState
from tests.exchange.factories import ListingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """The background jobs the exchange asks for, by name, instead of running them."""
    names = []
    monkeypatch.setattr(jobs, "enqueue", lambda task_name, *args: names.append(task_name))
    return names


@pytest.fixture
def offer(producer):
    return ListingFactory(
        organisation=producer.organisation,
        site=producer.organisation.exchange_sites.get(),
        quantity=Decimal("3"),
        unit="t",
        composition={"polyester": 65, "cotton": 35},
    )


class Abort(Exception):
    """Raised inside the transaction to roll it back, as a failing request would."""


def inquire(recycler, offer):
    return services.inquiry_start(
        listing=offer,
        user=recycler.user,
        organisation=recycler.organisation,
        body="Can we pick up 2 t next week?",
    )


def test_a_rolled_back_inquiry_sends_no_email(recycler, offer, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Abort), transaction.atomic():
            inquire(recycler, offer)
            assert OutgoingEmail.objects.count() == 1  # written in the transaction...
            raise Abort
    assert callbacks == []
    assert not OutgoingEmail.objects.exists()  # ...and gone with it
    assert not Inquiry.objects.exists()
    assert mail.outbox == []


def test_a_committed_inquiry_emails_the_other_side_only_after_the_commit(
    producer, recycler, offer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks() as callbacks:
        inquire(recycler, offer)
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [[producer.user.email]]


def test_a_rolled_back_publication_queues_no_matching_or_alerts(
    producer, queued, django_capture_on_commit_callbacks
):
    draft = ListingFactory(
        organisation=producer.organisation,
        site=producer.organisation.exchange_sites.get(),
        state=ListingState.DRAFT,
        composition={"cotton": 100},
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Abort), transaction.atomic():
            services.listing_publish(listing=draft, user=producer.user)
            raise Abort
    assert callbacks == [] and queued == []
    assert Listing.objects.get(pk=draft.pk).state == ListingState.DRAFT

    with django_capture_on_commit_callbacks(execute=True):
        services.listing_publish(listing=draft, user=producer.user)
    assert queued == [jobs.LISTING_CHANGED, jobs.INSTANT_ALERTS]
