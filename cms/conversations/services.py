"""The thread mechanics every conversation shares (materials-exchange inquiries, partner
expressions of interest). Each action checks who may do it (PermissionDenied otherwise) and
runs in a transaction; e-mail goes through the outbox.

- ``conversation_start``: a member of one organisation opens a thread with another. An
  organisation that staff have not verified yet may start ``UNVERIFIED_CONVERSATIONS_PER_DAY``
  threads a day (of every kind together: it is one mechanism and one limit).
- ``conversation_post``: a member of either side writes; it is read for them and unread for
  everyone else; the other side's members are e-mailed (unless they turned the
  ``conversations.messages`` topic off), each in their language, with a one-click unsubscribe.
- ``conversation_mark_read``, ``conversation_close``, ``conversation_reopen``.

What the thread is about is the calling app's: it passes the e-mail template and its context.
"""

from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.accounts.models import User
from cms.directory.membership import is_organisation_member, organisation_members
from cms.directory.models import Organisation
from cms.mail import email_queue_template
from cms.notifications.links import unsubscribe_headers
from cms.notifications.models import Frequency
from cms.notifications.selectors import preference_frequencies

from .models import MESSAGE_MAX_LENGTH, Conversation, Message, ReadMark
from .selectors import conversation_side
from .topics import MESSAGES_TOPIC


def conversations_left_today(organisation: Organisation) -> int | None:
    """How many new threads an unverified organisation may still start today (None: no
    limit)."""
    if organisation.is_verified:
        return None
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    started = Conversation.objects.filter(
        starter_organisation=organisation, created_at__gte=start
    ).count()
    return max(settings.UNVERIFIED_CONVERSATIONS_PER_DAY - started, 0)


def clean_body(body: object) -> str:
    """The message text, or a ValidationError the form shows."""
    body = (body or "").strip() if isinstance(body, str) else ""
    if not body:
        raise ValidationError(_("Write a message."))
    if "\x00" in body:
        raise ValidationError(_("The message contains characters that cannot be stored."))
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            _("Keep the message under %(count)s characters.") % {"count": MESSAGE_MAX_LENGTH}
        )
    return body


@transaction.atomic
def conversation_start(
    *, kind: str, starter_organisation: Organisation, owner_organisation_id: int, user: User
) -> Conversation:
    """Open a thread between ``starter_organisation`` (``user`` is a member) and the
    organisation ``owner_organisation_id``."""
    if not is_organisation_member(user, starter_organisation.pk):
        raise PermissionDenied
    if owner_organisation_id == starter_organisation.pk:
        raise ValidationError(_("This is your own organisation's."))
    # The count is per organisation and day in the database, so it holds across processes and
    # without a cache; the lock on the organisation row serialises two requests at once.
    organisation = Organisation.objects.select_for_update().get(pk=starter_organisation.pk)
    if conversations_left_today(organisation) == 0:
        raise ValidationError(
            _(
                "Organisations that are not verified yet may start %(count)s conversations a "
                "day. Try again tomorrow, or continue one of your conversations."
            )
            % {"count": settings.UNVERIFIED_CONVERSATIONS_PER_DAY}
        )
    return Conversation.objects.create(
        kind=kind,
        starter_organisation=organisation,
        owner_organisation_id=owner_organisation_id,
        started_by=user,
    )


def _acting_side(conversation: Conversation, user: User) -> int:
    side = conversation_side(conversation=conversation, user=user)
    if side is None:
        raise PermissionDenied
    return side


@transaction.atomic
def conversation_post(
    *,
    conversation: Conversation,
    user: User,
    body: object,
    notify_template: str | None = None,
    notify_context: dict[str, Any] | None = None,
) -> Message:
    """``user`` writes in the thread for their side. With ``notify_template`` (an e-mail
    template prefix), the other side's members are e-mailed; its context gets ``message``,
    ``conversation`` and ``site_url`` besides ``notify_context``."""
    side = _acting_side(conversation, user)
    body = clean_body(body)
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if locked.is_closed:
        raise ValidationError(_("This conversation is closed."))
    message = Message.objects.create(
        conversation=locked, author=user, author_organisation_id=side, body=body
    )
    locked.last_message_at = conversation.last_message_at = message.created_at
    locked.save(update_fields=["last_message_at"])
    conversation_mark_read(conversation=conversation, user=user, at=message.created_at)
    if notify_template:
        conversation_notify(
            conversation=conversation,
            organisation_id=conversation.other_side(side),
            template_prefix=notify_template,
            context={**(notify_context or {}), "message": message},
            exclude_user=user,
        )
    return message


def conversation_notify(
    *,
    conversation: Conversation,
    organisation_id: int,
    template_prefix: str,
    context: dict[str, Any],
    exclude_user: User | None,
) -> None:
    """E-mail the members of one side about the thread, one e-mail each (in their language,
    with a one-click unsubscribe from message e-mails), except those who turned them off."""
    members = [
        member
        for member in organisation_members([organisation_id]).get(organisation_id, [])
        if exclude_user is None or member.pk != exclude_user.pk
    ]
    frequencies = preference_frequencies(
        topic=MESSAGES_TOPIC, user_ids=[member.pk for member in members]
    )
    for member in members:
        if frequencies[member.pk] == Frequency.OFF:
            continue
        language = member.preferred_language or settings.LANGUAGE_CODE
        email_queue_template(
            to=[member.email],
            template_prefix=template_prefix,
            context={**context, "conversation": conversation, "site_url": settings.SITE_URL},
            language=language,
            headers=unsubscribe_headers(topic=MESSAGES_TOPIC, user=member, language=language),
        )


def conversation_mark_read(
    *, conversation: Conversation, user: User, at: datetime | None = None
) -> datetime | None:
    """``user`` has read the thread up to ``at`` (its last message by default). Returns when
    they had read it before (None: never), so a page can mark what is new to them."""
    if at is None:
        at = (
            Conversation.objects.filter(pk=conversation.pk)
            .values_list("last_message_at", flat=True)
            .get()
        )
    mark = ReadMark.objects.filter(conversation=conversation, user=user).first()
    if mark is None:
        # Two pages opened at once both find no mark: the second insert changes nothing.
        ReadMark.objects.bulk_create(
            [ReadMark(conversation=conversation, user=user, read_at=at)], ignore_conflicts=True
        )
        return None
    if mark.read_at < at:
        ReadMark.objects.filter(pk=mark.pk, read_at__lt=at).update(read_at=at)
    return mark.read_at


def conversation_close(*, conversation: Conversation) -> Conversation:
    """No more messages (the owning app decides who may close)."""
    if conversation.closed_at is None:
        conversation.closed_at = timezone.now()
        conversation.save(update_fields=["closed_at"])
    return conversation


def conversation_reopen(*, conversation: Conversation) -> Conversation:
    if conversation.closed_at is not None:
        conversation.closed_at = None
        conversation.save(update_fields=["closed_at"])
    return conversation
