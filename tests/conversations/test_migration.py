"""The threads that existed before cms.conversations (partner InterestMessage, exchange
InquiryMessage) move into conversations with their sides, messages, dates and states."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# serialized_rollback: the flush after the test then restores the data migrations' rows instead
# of re-running post_migrate, which recreated the roles under new ids and broke the restore of
# every later serialized test ("UNIQUE constraint failed: auth_group.name").
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [
    ("partners", "0006_opportunity_term_countries"),
    ("exchange", "0007_match_alert_threshold"),
    ("conversations", None),
]
AFTER = [
    ("partners", "0008_interest_conversation_required"),
    ("exchange", "0009_inquiry_conversation_required"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1]]).apps


@pytest.fixture(autouse=True)
def _back_to_the_latest_migrations():
    """The test leaves the schema at AFTER; the tests after it need every migration applied."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_threads_become_conversations():
    old = migrate(BEFORE)
    Organisation = old.get_model("directory", "Organisation")
    User = old.get_model("accounts", "User")
    asking = Organisation.objects.create(name="Asking", slug="asking")
    owner = Organisation.objects.create(name="Owner", slug="owner")
    anna = User.objects.create(email="anna@example.org", password="!")
    piotr = User.objects.create(email="piotr@example.org", password="!")
    then = timezone.now() - datetime.timedelta(days=2)
    opportunity = old.get_model("partners", "Opportunity").objects.create(
        organisation=owner, kind="partner_search", title="Pilot", summary="A pilot"
    )
    Interest = old.get_model("partners", "Interest")
    interest = Interest.objects.create(
        opportunity=opportunity,
        organisation=asking,
        owner_organisation=owner,
        started_by=anna,
        state="closed",
        created_at=then,
        updated_at=then,
    )
    InterestMessage = old.get_model("partners", "InterestMessage")
    for n, (author, side) in enumerate([(anna, asking), (piotr, owner)]):
        InterestMessage.objects.create(
            interest=interest,
            author=author,
            author_organisation=side,
            body=f"message {n}",
            created_at=then + datetime.timedelta(hours=n),
        )
    site = old.get_model("exchange", "Site").objects.create(
        organisation=owner, name="Yard", city="Prato", country="IT", latitude=43.88, longitude=11.1
    )
    listing = old.get_model("exchange", "Listing").objects.create(
        organisation=owner, site=site, kind="offer", title="Selvedges", quantity=1, unit="t"
    )
    inquiry = old.get_model("exchange", "Inquiry").objects.create(
        listing=listing, organisation=asking, started_by=anna, created_at=then
    )
    old.get_model("exchange", "InquiryMessage").objects.create(
        inquiry=inquiry, author=anna, author_organisation=asking, body="How much?", created_at=then
    )

    new = migrate(AFTER)
    interest = new.get_model("partners", "Interest").objects.get()
    conversation = interest.conversation
    assert conversation.kind == "partners.interest"
    assert (conversation.starter_organisation_id, conversation.owner_organisation_id) == (
        asking.pk,
        owner.pk,
    )
    assert conversation.started_by_id == anna.pk
    assert conversation.closed_at is not None  # the interest was closed
    bodies = list(conversation.messages.order_by("created_at").values_list("body", "author_id"))
    assert bodies == [("message 0", anna.pk), ("message 1", piotr.pk)]
    assert conversation.last_message_at == then + datetime.timedelta(hours=1)
    ReadMark = new.get_model("conversations", "ReadMark")
    assert set(ReadMark.objects.values_list("user_id", flat=True)) == {anna.pk, piotr.pk}
    inquiry = new.get_model("exchange", "Inquiry").objects.get()
    assert inquiry.conversation.kind == "exchange.inquiry"
    assert inquiry.conversation.owner_organisation_id == owner.pk
    assert list(inquiry.conversation.messages.values_list("body", flat=True)) == ["How much?"]
    assert inquiry.conversation.closed_at is None
