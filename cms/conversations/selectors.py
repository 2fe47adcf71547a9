"""Reading conversations: who may, what is unread."""

from datetime import datetime

from django.db.models import Exists, QuerySet

from cms.accounts.models import User
from cms.directory.membership import acting_organisation_ids

from .models import Conversation, ReadMark, unread_expression


def conversation_side(*, conversation: Conversation, user: User) -> int | None:
    """The side ``user`` acts for (the starting organisation first, when they belong to both),
    or None when they belong to neither."""
    own = acting_organisation_ids(user)
    for organisation_id in conversation.sides:
        if organisation_id in own:
            return organisation_id
    return None


def conversations_of(user: User) -> QuerySet[Conversation]:
    """The conversations of the organisations ``user`` acts for, each annotated ``unread``."""
    own = acting_organisation_ids(user)
    if not own:
        return Conversation.objects.none()
    return Conversation.objects.of_organisations(own).with_unread(user)


def unread_count(user: User, *, kind: str | None = None) -> int:
    """How many of ``user``'s conversations (of ``kind``) have messages they have not read."""
    conversations = conversations_of(user)
    if kind is not None:
        conversations = conversations.filter(kind=kind)
    # ``unread`` is the annotation of ``with_unread``, which the type checker cannot see.
    return conversations.filter(unread=True).count()  # type: ignore[misc]


def unread_annotation(user: User, *, prefix: str = "conversation__") -> Exists:
    """For ``.annotate(unread=...)`` on a model with a one-to-one link to its conversation
    (``prefix`` is the path to it)."""
    return unread_expression(user, prefix=prefix)


def conversation_read_at(*, conversation: Conversation, user: User) -> datetime | None:
    """When ``user`` last read the thread (None: never)."""
    return (
        ReadMark.objects.filter(conversation=conversation, user=user)
        .values_list("read_at", flat=True)
        .first()
    )
