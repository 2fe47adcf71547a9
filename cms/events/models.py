"""Registrations for events held with on-site registration (``cms.EventPage``).

A registration always belongs to the event page in the default language (the original of its
translations), so capacity and the waiting list count everyone whatever language they
registered in (``selectors.registration_event``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=RegistrationStatus.CANCELLED)

    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waiting(self):
        """The waiting list, first in line first."""
        return self.filter(status=RegistrationStatus.WAITING).order_by("queued_at", "pk")


class Registration(models.Model):
    event = models.ForeignKey(
        "cms.EventPage",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices, db_index=True
    )
    # {"<question id>": answer}; questions are the event's registration_questions.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # The place in the waiting list: when the person (last) asked for a place.
    queued_at = models.DateTimeField(_("registered"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("place confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="events_one_registration")
        ]
        indexes = [
            models.Index(fields=["event", "status", "queued_at"], name="events_reg_queue"),
        ]

    def __str__(self):
        return f"{self.user} – {self.event_id} ({self.status})"

    @property
    def is_confirmed(self):
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def is_waiting(self):
        return self.status == RegistrationStatus.WAITING

    @property
    def is_active(self):
        return self.status != RegistrationStatus.CANCELLED


# B2B meetings --------------------------------------------------------------------------------
class MeetingProfile(models.Model):
    """What a registered participant offers and seeks, shown to the other participants."""

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="meeting_profile",
    )
    offer = models.TextField(_("what I offer"), max_length=1000)
    seek = models.TextField(_("what I am looking for"), max_length=1000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("B2B profile")
        verbose_name_plural = _("B2B profiles")

    def __str__(self):
        return str(self.registration.user)


class MeetingTable(models.Model):
    event = models.ForeignKey(
        "cms.EventPage", on_delete=models.CASCADE, related_name="meeting_tables"
    )
    name = models.CharField(_("table"), max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("meeting table")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="events_table_name_unique")
        ]

    def __str__(self):
        return self.name


class MeetingSlot(models.Model):
    """A time in the organiser's timetable when meetings take place (at every table)."""

    event = models.ForeignKey(
        "cms.EventPage", on_delete=models.CASCADE, related_name="meeting_slots"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("meeting slot")
        constraints = [
            models.UniqueConstraint(fields=["event", "start"], name="events_slot_start_unique"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="events_slot_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.start:%Y-%m-%d %H:%M}"


class MeetingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_MEETING_STATUSES = [MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED]


class MeetingQuerySet(models.QuerySet):
    def involving(self, registration):
        return self.filter(models.Q(requester=registration) | models.Q(recipient=registration))

    def open(self):
        return self.filter(status__in=OPEN_MEETING_STATUSES)


class Meeting(models.Model):
    """A B2B meeting one participant asked another for; accepted ones have a slot and a table.
    No double booking: one accepted meeting per table and slot (constraint here) and one per
    person and slot (``AgendaEntry``), written under row locks (services)."""

    event = models.ForeignKey("cms.EventPage", on_delete=models.CASCADE, related_name="+")
    requester = models.ForeignKey(
        Registration,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="meetings_requested",
    )
    recipient = models.ForeignKey(
        Registration,
        verbose_name=_("with"),
        on_delete=models.CASCADE,
        related_name="meetings_received",
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.REQUESTED
    )
    slot = models.ForeignKey(
        MeetingSlot, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    table = models.ForeignKey(
        MeetingTable, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["slot__start", "created_at"]
        verbose_name = _("B2B meeting")
        verbose_name_plural = _("B2B meetings")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(requester=models.F("recipient")),
                name="events_meeting_two_people",
            ),
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=models.Q(status="accepted"),
                name="events_table_booked_once",
            ),
            models.UniqueConstraint(
                fields=["requester", "recipient"],
                condition=models.Q(status__in=["requested", "accepted"]),
                name="events_one_open_request",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="accepted")
                | models.Q(slot__isnull=False, table__isnull=False),
                name="events_accepted_meeting_has_slot",
            ),
        ]

    def __str__(self):
        return f"{self.requester.user} – {self.recipient.user}"

    def other(self, registration):
        return self.recipient if registration.pk == self.requester_id else self.requester


class AgendaEntry(models.Model):
    """A person's place in an accepted meeting: one per person and slot (database constraint)."""

    slot = models.ForeignKey(MeetingSlot, on_delete=models.PROTECT, related_name="agenda_entries")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="agenda_entries"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_entries")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "registration"], name="events_person_booked_once"
            )
        ]
