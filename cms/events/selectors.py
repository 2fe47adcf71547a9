"""Reads of registrations reused by the event pages, the organiser's views and the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from wagtail.models import Locale

from .models import (
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


def registration_event(page: EventPage) -> EventPage:
    """The event page registrations belong to: the original in the default language, so the
    Polish and Italian translations of an event share its places and waiting list."""
    default = Locale.get_default()
    if page.locale_id == default.pk:
        return page
    return (
        type(page).objects.filter(translation_key=page.translation_key, locale=default).first()
        or page
    )


@dataclass(frozen=True)
class RegistrationCounts:
    confirmed: int
    waiting: int
    cancelled: int
    capacity: int | None

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.confirmed >= self.capacity


def registration_counts(event: EventPage) -> RegistrationCounts:
    """Confirmed, waiting and cancelled registrations of ``event`` in one query."""
    counts = Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
        cancelled=Count("pk", filter=Q(status=RegistrationStatus.CANCELLED)),
    )
    return RegistrationCounts(capacity=event.capacity, **counts)


def user_registration(event: EventPage, user: User | AnonymousUser) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()


def waiting_position(registration: Registration | None) -> int | None:
    """1 for the first in line."""
    if not registration or not registration.is_waiting:
        return None
    return (
        Registration.objects.waiting()
        .filter(event_id=registration.event_id)
        .filter(
            Q(queued_at__lt=registration.queued_at)
            | Q(queued_at=registration.queued_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


def attendees(event: EventPage) -> QuerySet[Registration]:
    """Everyone who registered for ``event``, with what the attendee list shows."""
    return (
        Registration.objects.filter(event=event)
        .select_related("user", "user__organisation")
        .order_by("status", "queued_at", "pk")
    )


# B2B meetings --------------------------------------------------------------------------------
def meeting_participants(
    event: EventPage, *, exclude: Registration | None = None
) -> QuerySet[MeetingProfile]:
    """Confirmed participants who published a B2B profile, with what their card shows."""
    queryset = (
        MeetingProfile.objects.filter(
            registration__event=event, registration__status=RegistrationStatus.CONFIRMED
        )
        .select_related("registration__user__organisation")
        .order_by("registration__user__display_name", "pk")
    )
    if exclude is not None:
        queryset = queryset.exclude(registration=exclude)
    return queryset


def meetings_of(registration: Registration) -> QuerySet[Meeting]:
    """Every meeting request ``registration`` sent or received, newest first."""
    return (
        Meeting.objects.involving(registration)
        .select_related(
            "requester__user__organisation", "recipient__user__organisation", "slot", "table"
        )
        .order_by("-created_at")
    )


def agenda(registration: Registration) -> QuerySet[Meeting]:
    """``registration``'s accepted meetings in time order."""
    return (
        Meeting.objects.involving(registration)
        .filter(status=MeetingStatus.ACCEPTED)
        .select_related(
            "requester__user__organisation", "recipient__user__organisation", "slot", "table"
        )
        .order_by("slot__start")
    )


def meeting_grid(
    event: EventPage,
) -> tuple[list[tuple[MeetingSlot, list[Meeting | None]]], list[MeetingTable]]:
    """The organiser's grid: (slot, [meeting or None for each table]) rows, and the tables."""
    tables = list(MeetingTable.objects.filter(event=event))
    slots = list(MeetingSlot.objects.filter(event=event))
    booked = {
        (meeting.slot_id, meeting.table_id): meeting
        for meeting in Meeting.objects.filter(
            event=event, status=MeetingStatus.ACCEPTED
        ).select_related("requester__user", "recipient__user")
    }
    rows = [(slot, [booked.get((slot.pk, table.pk)) for table in tables]) for slot in slots]
    return rows, tables
