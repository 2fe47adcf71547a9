"""The thread mechanism shared by exchange inquiries and partner expressions of interest."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from cms.conversations.models import Conversation, Message
from cms.conversations.selectors import conversations_of, unread_count
from cms.conversations.services import (
    conversation_close,
    conversation_mark_read,
    conversation_post,
    conversation_start,
)
from tests.exchange.factories import MembershipFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sides():
    return MembershipFactory(), MembershipFactory()


def start(asking, owner):
    return conversation_start(
        kind="test.thread",
        starter_organisation=asking.organisation,
        owner_organisation_id=owner.organisation_id,
        user=asking.user,
    )


def test_only_members_start_and_write_and_never_with_themselves(sides):
    asking, owner = sides
    with pytest.raises(PermissionDenied):
        conversation_start(
            kind="test.thread",
            starter_organisation=asking.organisation,
            owner_organisation_id=owner.organisation_id,
            user=UserFactory(),
        )
    with pytest.raises(ValidationError):
        start(asking, asking)
    conversation = start(asking, owner)
    for outsider in (UserFactory(), MembershipFactory().user):
        with pytest.raises(PermissionDenied):
            conversation_post(conversation=conversation, user=outsider, body="Hello")
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write a message."),
        ("   \n ", "Write a message."),
        (None, "Write a message."),
        (12, "Write a message."),
        ("nul\x00byte", "cannot be stored"),
        ("x" * 5001, "under 5000 characters"),
    ],
)
def test_bad_messages_are_refused_with_a_message(sides, body, error):
    asking, owner = sides
    conversation = start(asking, owner)
    with pytest.raises(ValidationError) as raised:
        conversation_post(conversation=conversation, user=asking.user, body=body)
    assert error in " ".join(raised.value.messages)
    assert not Message.objects.exists()


def test_unread_state_follows_each_reader(sides):
    asking, owner = sides
    colleague = MembershipFactory(organisation=owner.organisation)
    conversation = start(asking, owner)
    conversation_post(conversation=conversation, user=asking.user, body="Hello")
    assert unread_count(asking.user) == 0
    assert unread_count(owner.user) == 1
    assert unread_count(colleague.user) == 1
    conversation_mark_read(conversation=conversation, user=owner.user)
    assert unread_count(owner.user) == 0
    assert unread_count(colleague.user) == 1
    conversation_post(conversation=conversation, user=colleague.user, body="Hi back")
    assert unread_count(asking.user) == 1
    assert unread_count(owner.user) == 1
    assert unread_count(colleague.user) == 0
    assert list(conversations_of(UserFactory())) == []


def test_the_other_side_is_e_mailed_one_message_each_and_a_closed_thread_takes_none(
    sides, django_capture_on_commit_callbacks
):
    asking, owner = sides
    colleague = MembershipFactory(organisation=owner.organisation)
    conversation = start(asking, owner)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        conversation_post(
            conversation=conversation,
            user=asking.user,
            body="About your offer",
            notify_template="partners/email/interest_message",
            notify_context={"interest": None},
        )
        assert mail.outbox == []  # the e-mail waits for the message's commit
    assert callbacks
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.user.email, colleague.user.email])
    assert all(asking.user.email not in m.body for m in mail.outbox)
    conversation_close(conversation=conversation)
    with pytest.raises(ValidationError):
        conversation_post(conversation=conversation, user=owner.user, body="Late")
    assert Conversation.objects.get().messages.count() == 1


def test_inquiries_and_expressions_of_interest_share_one_daily_limit(client, settings):
    """Both apps' threads are conversations: an unverified organisation's daily allowance
    counts them together."""
    from django.urls import reverse

    from cms.partners.models import Interest
    from exchange.models import Inquiry
    from tests.exchange.factories import ListingFactory, SiteFactory
    from tests.partners.factories import OpportunityFactory

    settings.UNVERIFIED_CONVERSATIONS_PER_DAY = 2
    unverified = MembershipFactory(organisation__verified_at=None)
    SiteFactory(organisation=unverified.organisation)
    other = MembershipFactory()
    SiteFactory(organisation=other.organisation)
    listing = ListingFactory(organisation=other.organisation)
    opportunities = [OpportunityFactory(organisation=other.organisation) for _ in range(2)]
    client.force_login(unverified.user)
    client.post(reverse("exchange:inquiry_start", args=[listing.pk]), {"body": "Hello"})
    assert Inquiry.objects.count() == 1
    for opportunity in opportunities:
        response = client.post(
            reverse("partners:opportunity_interest", args=[opportunity.pk]),
            {"organisation": unverified.organisation_id, "body": "We are interested."},
        )
    assert Interest.objects.count() == 1
    assert "may start 2 conversations a day" in response.content.decode()
    assert set(Conversation.objects.values_list("kind", flat=True)) == {
        "exchange.inquiry",
        "partners.interest",
    }
