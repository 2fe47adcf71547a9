"""Registering for an event, cancelling, the waiting list and the reminders.

Every change of a registration runs under a row lock on the event, so two people taking the
last place at the same moment never both get it, and a cancellation promotes exactly one
person from the waiting list."""

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.mail import email_queue_template

from . import selectors
from .ical import events_calendar
from .models import Registration, RegistrationStatus


class RegistrationError(Exception):
    """A registration that cannot be made; ``message`` says why, for the page."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class RegistrationClosed(RegistrationError):
    pass


class EventFull(RegistrationError):
    pass


def _locked_event(event):
    """The event row, locked for the rest of the transaction (SQLite locks the database)."""
    model = apps.get_model("cms", "EventPage")
    return model.objects.select_for_update(of=("self",)).get(pk=event.pk)


def _ics_attachment(event):
    return (f"{event.slug}.ics", events_calendar([event]), "text/calendar")


def _mail(registration, kind, *, with_calendar=False):
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


def registration_create(*, event, user, answers=None) -> Registration:
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


def registration_cancel(*, registration) -> Registration:
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
        _mail(registration, "registration_cancelled")
        if was_confirmed:
            waiting_list_promote(event=event)
    return registration


def waiting_list_promote(*, event) -> list[Registration]:
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


def reminders_send(*, now=None) -> int:
    """E-mail everyone confirmed for an event that starts within the next 24 hours, once."""
    now = now or timezone.now()
    due = (
        Registration.objects.confirmed()
        .filter(
            reminded_at__isnull=True,
            event__start__gt=now,
            event__start__lte=now + timezone.timedelta(hours=24),
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
