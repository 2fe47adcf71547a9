"""iCalendar files: the events feed, one event (the confirmation e-mail's attachment) and a
participant's B2B agenda."""

from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vUri

PRODID = "-//Textile Virtual Centre//events//EN"
UID_DOMAIN = "textile-virtual-centre"


def _calendar(name):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def event_component(page, *, request=None):
    zone = ZoneInfo(page.time_zone)
    event = Event()
    event.add("uid", f"event-{page.translation_key}@{UID_DOMAIN}")
    event.add("summary", page.title)
    event.add("dtstart", timezone.localtime(page.start, zone))
    event.add("dtend", timezone.localtime(page.end, zone))
    event.add("dtstamp", page.last_published_at or timezone.now())
    event.add("description", f"{page.summary}\n\n{page.organiser.name}")
    location = (page.online_url or _("Online")) if page.is_online else page.location
    event.add("location", location)
    url = page.get_full_url(request)
    if url:
        event.add("url", vUri(url))
    return event


def events_calendar(events, *, request=None, name=None) -> bytes:
    """An iCalendar file of event pages; times carry their time zone (VTIMEZONE included)."""
    calendar = _calendar(name or _("Textile Virtual Centre events"))
    for page in events:
        calendar.add_component(event_component(page, request=request))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def meetings_calendar(event, registration, meetings, *, request=None) -> bytes:
    """A participant's B2B agenda: one VEVENT per accepted meeting, in the event's time zone."""
    zone = ZoneInfo(event.time_zone)
    calendar = _calendar(_("B2B meetings: %(event)s") % {"event": event.title})
    location = event.location if not event.is_online else _("Online")
    for meeting in meetings:
        other = meeting.other(registration).user
        organisation = other.organisation.name if other.organisation_id else ""
        entry = Event()
        entry.add("uid", f"meeting-{meeting.pk}@{UID_DOMAIN}")
        entry.add(
            "summary",
            _("Meeting with %(name)s") % {"name": other.get_display_name()}
            + (f" ({organisation})" if organisation else ""),
        )
        entry.add("dtstart", timezone.localtime(meeting.slot.start, zone))
        entry.add("dtend", timezone.localtime(meeting.slot.end, zone))
        entry.add("dtstamp", meeting.responded_at or timezone.now())
        entry.add(
            "location", f"{meeting.table.name}, {location}" if location else meeting.table.name
        )
        entry.add("description", event.title)
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def ical_response(request, events, *, filename):
    """An iCalendar file of ``events``; times carry their time zone (VTIMEZONE included)."""
    response = HttpResponse(
        events_calendar(events, request=request), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
