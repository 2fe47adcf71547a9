"""Registering for an event, cancelling, the waiting list and the reminders.

Every change of a registration runs under a row lock on the event, so two people taking the
last place at the same moment never both get it, and a cancellation promotes exactly one
person from the waiting list."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cms.mail import email_queue_template

from . import selectors
from .ical import events_calendar
from .models import (
    AgendaEntry,
    Meeting,
    MeetingProfile,
    MeetingSlot,
    MeetingStatus,
    MeetingTable,
    Registration,
    RegistrationStatus,
)

if TYPE_CHECKING:  # the page models import the event views, which import this module
    from cms.accounts.models import User
    from cms.models import EventPage

# A meeting's two people (registration ids), and the free (slot, table) pairs of the event.
People = tuple[int, ...]
FreeSlots = list[tuple[MeetingSlot, MeetingTable]]


class RegistrationError(Exception):
    """A registration that cannot be made; ``message`` says why, for the page."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


class RegistrationClosed(RegistrationError):
    pass


class EventFull(RegistrationError):
    pass


def _locked_event(event: EventPage) -> EventPage:
    """The event row, locked for the rest of the transaction (SQLite locks the database)."""
    model = apps.get_model("cms", "EventPage")
    return model.objects.select_for_update(of=("self",)).get(pk=event.pk)


def _ics_attachment(event: EventPage) -> tuple[str, Any, str]:
    return (f"{event.slug}.ics", events_calendar([event]), "text/calendar")


def _mail(registration: Registration, kind: str, *, with_calendar: bool = False) -> None:
    user = registration.user
    event = registration.event
    email_queue_template(
        to=[user.email],
        template_prefix=f"events/email/{kind}",
        context={
            "registration": registration,
            "event": event,
            "user": user,
            "register_url": event.get_full_url() + event.reverse_subpage("register"),
        },
        language=user.preferred_language or None,
        attachments=[_ics_attachment(event)] if with_calendar else None,
    )


def registration_create(
    *, event: EventPage, user: User, answers: dict[str, Any] | None = None
) -> Registration:
    """Register ``user`` for ``event``: a confirmed place while places are left (and nobody is
    waiting), else a place on the waiting list, else ``EventFull``. Registering again while
    registered changes nothing. Confirmed places get an e-mail with the event's .ics file."""
    event = selectors.registration_event(event)
    with transaction.atomic():
        event = _locked_event(event)
        if not event.registers_on_site:
            raise RegistrationClosed(_("This event does not take registrations on this site."))
        if timezone.now() >= event.registration_closes:
            raise RegistrationClosed(_("Registration for this event has closed."))
        registration = Registration.objects.filter(event=event, user=user).first()
        if registration and registration.is_active:
            return registration
        counts = selectors.registration_counts(event)
        if not counts.is_full and not counts.waiting:
            status = RegistrationStatus.CONFIRMED
        elif event.waiting_list:
            status = RegistrationStatus.WAITING
        else:
            raise EventFull(_("This event is full."))
        now = timezone.now()
        registration = registration or Registration(event=event, user=user)
        registration.status = status
        registration.answers = answers or {}
        registration.queued_at = now
        registration.confirmed_at = now if status == RegistrationStatus.CONFIRMED else None
        registration.cancelled_at = None
        registration.reminded_at = None
        registration.save()
        registration.event = event
        if status == RegistrationStatus.CONFIRMED:
            _mail(registration, "registration_confirmed", with_calendar=True)
        else:
            _mail(registration, "registration_waiting")
    return registration


def registration_cancel(*, registration: Registration) -> Registration:
    """The participant gives up their place (or their place in the waiting list); the first
    person waiting gets a freed place."""
    with transaction.atomic():
        event = _locked_event(registration.event)
        registration = Registration.objects.select_related("user").get(pk=registration.pk)
        if not registration.is_active:
            return registration
        was_confirmed = registration.is_confirmed
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        registration.event = event
        # Someone who no longer comes has no B2B meetings: their slots are free again.
        AgendaEntry.objects.filter(meeting__in=Meeting.objects.involving(registration)).delete()
        Meeting.objects.involving(registration).open().update(status=MeetingStatus.CANCELLED)
        _mail(registration, "registration_cancelled")
        if was_confirmed:
            waiting_list_promote(event=event)
    return registration


def waiting_list_promote(*, event: EventPage) -> list[Registration]:
    """Give free places to the people waiting, first in line first, until the event starts.
    Called after a cancellation, or when the organiser adds places."""
    with transaction.atomic():
        event = _locked_event(event)
        if event.start <= timezone.now():
            return []
        counts = selectors.registration_counts(event)
        free = None if event.capacity is None else counts.places_left
        waiting = Registration.objects.waiting().filter(event=event).select_related("user")
        promoted = list(waiting if free is None else waiting[:free])
        now = timezone.now()
        for registration in promoted:
            registration.status = RegistrationStatus.CONFIRMED
            registration.confirmed_at = now
            registration.save(update_fields=["status", "confirmed_at"])
            registration.event = event
            _mail(registration, "registration_promoted", with_calendar=True)
    return promoted


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """E-mail everyone confirmed for an event that starts within the next 24 hours, once."""
    now = now or timezone.now()
    due = (
        Registration.objects.confirmed()
        .filter(
            reminded_at__isnull=True,
            event__start__gt=now,
            event__start__lte=now + datetime.timedelta(hours=24),
            event__live=True,
        )
        .select_related("user", "event", "event__organiser")
    )
    sent = 0
    for registration in due:
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk,
                reminded_at__isnull=True,
                status=RegistrationStatus.CONFIRMED,
            ).update(reminded_at=now)
            if claimed:
                _mail(registration, "event_reminder", with_calendar=True)
                sent += 1
    return sent


# B2B meetings --------------------------------------------------------------------------------
class MeetingError(RegistrationError):
    """A meeting request, answer or booking that cannot be made; ``message`` says why."""


class SlotTaken(MeetingError):
    pass


def _b2b_registration(event: EventPage, user: User) -> Registration:
    """``user``'s confirmed registration for a B2B event, or ``MeetingError``."""
    event = selectors.registration_event(event)
    if not event.b2b_meetings:
        raise MeetingError(_("This event has no B2B meetings."))
    registration = Registration.objects.confirmed().filter(event=event, user=user).first()
    if registration is None:
        raise MeetingError(_("Only participants with a confirmed place take part in B2B meetings."))
    return registration


def meeting_profile_save(*, event: EventPage, user: User, offer: str, seek: str) -> MeetingProfile:
    """Publish (or update) what ``user`` offers and seeks at ``event``."""
    registration = _b2b_registration(event, user)
    profile, _created = MeetingProfile.objects.update_or_create(
        registration=registration, defaults={"offer": offer, "seek": seek}
    )
    return profile


def meeting_request(
    *, event: EventPage, user: User, recipient: Registration, message: str = ""
) -> Meeting:
    """``user`` asks the participant of ``recipient`` for a meeting."""
    requester = _b2b_registration(event, user)
    if recipient.event_id != requester.event_id or not recipient.is_confirmed:
        raise MeetingError(_("This participant is not taking part in the meetings."))
    if recipient.pk == requester.pk:
        raise MeetingError(_("You cannot meet yourself."))
    if not MeetingProfile.objects.filter(registration=requester).exists():
        raise MeetingError(_("Publish your profile before asking for meetings."))
    if not MeetingProfile.objects.filter(registration=recipient).exists():
        raise MeetingError(_("This participant is not taking part in the meetings."))
    with transaction.atomic():
        already = Meeting.objects.open().filter(
            Q(requester=requester, recipient=recipient)
            | Q(requester=recipient, recipient=requester)
        )
        if already.exists():
            raise MeetingError(_("You already have a meeting or a request with this participant."))
        try:
            with transaction.atomic():
                meeting = Meeting.objects.create(
                    event_id=requester.event_id,
                    requester=requester,
                    recipient=recipient,
                    message=message,
                )
        except IntegrityError as error:  # the same request sent twice at once
            raise MeetingError(
                _("You already have a meeting or a request with this participant.")
            ) from error
        _meeting_mail(meeting, "meeting_requested", to=recipient)
    return meeting


def _meeting_mail(meeting: Meeting, kind: str, *, to: Registration) -> None:
    user = to.user
    event = meeting.event
    email_queue_template(
        to=[user.email],
        template_prefix=f"events/email/{kind}",
        context={
            "meeting": meeting,
            "event": event,
            "user": user,
            "other": meeting.other(to).user,
            "meetings_url": event.get_full_url() + event.reverse_subpage("meetings"),
        },
        language=user.preferred_language or None,
    )


def _free_slots_by_meeting(event_id: int, meetings: list[People]) -> dict[People, FreeSlots]:
    """For each meeting, the slots of the event where neither person has a meeting and a table
    is free, earliest first, each with its first free table. Five queries, however many."""
    people = {person for meeting in meetings for person in meeting}
    busy: dict[int, set[int]] = {}
    for registration_id, slot_id in AgendaEntry.objects.filter(registration__in=people).values_list(
        "registration_id", "slot_id"
    ):
        busy.setdefault(registration_id, set()).add(slot_id)
    tables = list(MeetingTable.objects.filter(event_id=event_id))
    taken: dict[int, set[int]] = {}
    for slot_id, table_id in Meeting.objects.filter(
        event_id=event_id, status=MeetingStatus.ACCEPTED
    ).values_list("slot_id", "table_id"):
        taken.setdefault(slot_id, set()).add(table_id)
    open_slots = []
    for slot in MeetingSlot.objects.filter(event_id=event_id, start__gt=timezone.now()):
        table = next((t for t in tables if t.pk not in taken.get(slot.pk, set())), None)
        if table is not None:
            open_slots.append((slot, table))
    return {
        meeting: [
            (slot, table)
            for slot, table in open_slots
            if not any(slot.pk in busy.get(person, ()) for person in meeting)
        ]
        for meeting in meetings
    }


def _free_slots(meeting: Meeting, people: list[int]) -> FreeSlots:
    key = tuple(people)
    return _free_slots_by_meeting(meeting.event_id, [key])[key]


def meeting_free_slots(*, meeting: Meeting) -> FreeSlots:
    """The slots (with a table) still free for both people of ``meeting``."""
    return _free_slots(meeting, [meeting.requester_id, meeting.recipient_id])


def meetings_free_slots(*, event: EventPage, meetings: list[Meeting]) -> dict[int, FreeSlots]:
    """``meeting_free_slots`` for several meetings of ``event`` at once: {meeting pk: slots}."""
    pairs = {meeting.pk: (meeting.requester_id, meeting.recipient_id) for meeting in meetings}
    free = _free_slots_by_meeting(event.pk, list(pairs.values()))
    return {pk: free[pair] for pk, pair in pairs.items()}


def meeting_accept(*, meeting: Meeting, user: User, slot: MeetingSlot | None = None) -> Meeting:
    """The recipient accepts: the meeting takes ``slot`` (or the earliest slot free for both)
    and a free table. Both people's registrations are locked, in a fixed order, so two
    acceptances at the same moment never give one person (or one table) two meetings in one
    slot; the database constraints refuse it should anything else try."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.recipient.user_id != user.pk:
            raise MeetingError(_("Only the person asked can accept this meeting."))
        if meeting.status != MeetingStatus.REQUESTED:
            raise MeetingError(_("This request has already been answered."))
        people = sorted([meeting.requester_id, meeting.recipient_id])
        list(Registration.objects.select_for_update().filter(pk__in=people).order_by("pk"))
        free = _free_slots(meeting, people)
        if slot is not None:
            free = [(s, table) for s, table in free if s.pk == slot.pk]
        if not free:
            if slot is not None:
                raise SlotTaken(_("This time is no longer free. Choose another one."))
            raise SlotTaken(_("No time is left in the timetable when you are both free."))
        # Everyone accepting a meeting in this slot queues here; the tables are then read again
        # with every earlier acceptance in the slot committed.
        wanted = MeetingSlot.objects.select_for_update().get(pk=free[0][0].pk)
        free = [(s, table) for s, table in _free_slots(meeting, people) if s.pk == wanted.pk]
        if not free:
            raise SlotTaken(_("This time is no longer free. Choose another one."))
        chosen_slot, table = free[0]
        try:
            with transaction.atomic():
                meeting.status = MeetingStatus.ACCEPTED
                meeting.slot, meeting.table = chosen_slot, table
                meeting.responded_at = timezone.now()
                meeting.save(update_fields=["status", "slot", "table", "responded_at"])
                AgendaEntry.objects.bulk_create(
                    [
                        AgendaEntry(slot=chosen_slot, registration_id=person, meeting=meeting)
                        for person in people
                    ]
                )
        except IntegrityError as error:
            raise SlotTaken(_("This time is no longer free. Choose another one.")) from error
        _meeting_mail(meeting, "meeting_accepted", to=meeting.requester)
    return meeting


def meeting_decline(*, meeting: Meeting, user: User) -> Meeting:
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.recipient.user_id != user.pk:
            raise MeetingError(_("Only the person asked can decline this meeting."))
        if meeting.status != MeetingStatus.REQUESTED:
            raise MeetingError(_("This request has already been answered."))
        meeting.status = MeetingStatus.DECLINED
        meeting.responded_at = timezone.now()
        meeting.save(update_fields=["status", "responded_at"])
        _meeting_mail(meeting, "meeting_declined", to=meeting.requester)
    return meeting


def meeting_cancel(*, meeting: Meeting, user: User) -> Meeting:
    """Either person calls the meeting (or the request) off; its slot and table are free again."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        people = {
            meeting.requester.user_id: meeting.recipient,
            meeting.recipient.user_id: meeting.requester,
        }
        if user.pk not in people:
            raise MeetingError(_("This is not your meeting."))
        if meeting.status not in (MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED):
            raise MeetingError(_("This meeting is no longer planned."))
        was_accepted = meeting.status == MeetingStatus.ACCEPTED
        meeting.agenda_entries.all().delete()
        meeting.status = MeetingStatus.CANCELLED
        meeting.save(update_fields=["status"])
        if was_accepted:
            _meeting_mail(meeting, "meeting_cancelled", to=people[user.pk])
    return meeting


def timetable_create(
    *,
    event: EventPage,
    first_start: datetime.datetime,
    last_end: datetime.datetime,
    minutes: int,
    tables: int,
    break_minutes: int = 0,
) -> tuple[int, int]:
    """The organiser's timetable: slots of ``minutes`` from ``first_start`` until ``last_end``
    and ``tables`` tables. Adds what is missing; existing slots and tables are kept."""
    event = selectors.registration_event(event)
    with transaction.atomic():
        _locked_event(event)
        created_tables = 0
        for number in range(1, tables + 1):
            _table, created = MeetingTable.objects.get_or_create(
                event=event,
                name=str(_("Table %(number)s") % {"number": number}),
                defaults={"position": number},
            )
            created_tables += created
        created_slots = 0
        start = first_start
        step = datetime.timedelta(minutes=minutes)
        while start + step <= last_end:
            _slot, created = MeetingSlot.objects.get_or_create(
                event=event, start=start, defaults={"end": start + step}
            )
            created_slots += created
            start += step + datetime.timedelta(minutes=break_minutes)
    return created_slots, created_tables
