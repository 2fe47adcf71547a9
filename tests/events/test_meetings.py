"""B2B meetings: profiles, requests, acceptance into the organiser's timetable without double
booking, the personal agenda and its calendar file, the organiser's grid, and the forbidden
paths."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from icalendar import Calendar

from cms.events import services
from cms.events.models import AgendaEntry, Meeting, MeetingSlot, MeetingStatus
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def b2b_event(make_event):
    page = make_event(capacity=20, b2b_meetings=True, title="Matchmaking in Łódź")
    start = page.start.replace(second=0)
    services.timetable_create(
        event=page,
        first_start=start,
        last_end=start + datetime.timedelta(hours=1),
        minutes=20,
        tables=2,
    )
    return page


def participant(event, name, **profile):
    user = UserFactory(display_name=name, organisation=OrganisationFactory(name=f"{name} Ltd"))
    registration = services.registration_create(event=event, user=user)
    services.meeting_profile_save(
        event=event,
        user=user,
        offer=profile.get("offer", "Recycled yarn"),
        seek=profile.get("seek", "Buyers"),
    )
    return registration


def test_timetable_makes_slots_and_tables(b2b_event):
    assert MeetingSlot.objects.filter(event=b2b_event).count() == 3
    assert b2b_event.meeting_tables.count() == 2


def test_request_accept_and_agenda(b2b_event, client):
    anna = participant(b2b_event, "Anna")
    marco = participant(b2b_event, "Marco")
    meeting = services.meeting_request(event=b2b_event, user=anna.user, recipient=marco)
    with pytest.raises(services.MeetingError):
        services.meeting_request(event=b2b_event, user=marco.user, recipient=anna)
    meeting = services.meeting_accept(meeting=meeting, user=marco.user)
    assert meeting.status == MeetingStatus.ACCEPTED
    assert meeting.slot.start == b2b_event.start.replace(second=0)
    assert AgendaEntry.objects.filter(meeting=meeting).count() == 2

    client.force_login(anna.user)
    agenda = client.get(b2b_event.url + "meetings/agenda/")
    assert agenda.status_code == 200
    assert "Marco" in agenda.content.decode()
    ics = client.get(b2b_event.url + "meetings/agenda/ics/")
    [vevent] = Calendar.from_ical(ics.content).walk("VEVENT")
    assert "Marco" in str(vevent["summary"])
    assert vevent.decoded("dtstart") == meeting.slot.start


def test_accepting_through_the_page_with_a_chosen_time(b2b_event, client):
    anna, marco = participant(b2b_event, "Anna"), participant(b2b_event, "Marco")
    client.force_login(anna.user)
    response = client.post(b2b_event.url + f"meetings/request/{marco.pk}/", {"message": "Coffee?"})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    second = MeetingSlot.objects.filter(event=b2b_event).order_by("start")[1]
    client.force_login(marco.user)
    page = client.get(b2b_event.url + "meetings/").content.decode()
    assert "Coffee?" in page
    response = client.post(b2b_event.url + f"meetings/{meeting.pk}/accept/", {"slot": second.pk})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.slot == second


def test_nobody_gets_two_meetings_in_one_slot(b2b_event):
    anna, marco, eva, jan = (
        participant(b2b_event, name) for name in ("Anna", "Marco", "Eva", "Jan")
    )
    first = services.meeting_request(event=b2b_event, user=anna.user, recipient=marco)
    second = services.meeting_request(event=b2b_event, user=eva.user, recipient=anna)
    slot = MeetingSlot.objects.filter(event=b2b_event).order_by("start").first()
    services.meeting_accept(meeting=first, user=marco.user, slot=slot)
    with pytest.raises(services.SlotTaken):
        services.meeting_accept(meeting=second, user=anna.user, slot=slot)
    # Without a chosen time, the earliest time free for both is taken.
    second = services.meeting_accept(meeting=second, user=anna.user)
    assert second.slot.start > slot.start
    # The database refuses a second booking of a person in a slot, whatever the code does.
    third = services.meeting_request(event=b2b_event, user=jan.user, recipient=marco)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaEntry.objects.create(slot=slot, registration=marco, meeting=third)


def test_a_table_is_booked_once_per_slot(make_event):
    page = make_event(capacity=20, b2b_meetings=True)
    start = page.start.replace(second=0)
    services.timetable_create(
        event=page,
        first_start=start,
        last_end=start + datetime.timedelta(minutes=20),
        minutes=20,
        tables=1,
    )
    a, b, c, d = (participant(page, name) for name in ("A", "B", "C", "D"))
    services.meeting_accept(
        meeting=services.meeting_request(event=page, user=a.user, recipient=b), user=b.user
    )
    with pytest.raises(services.SlotTaken):
        services.meeting_accept(
            meeting=services.meeting_request(event=page, user=c.user, recipient=d), user=d.user
        )


def test_someone_elses_meetings_are_out_of_reach(b2b_event, client):
    anna, marco, eva = (participant(b2b_event, name) for name in ("Anna", "Marco", "Eva"))
    meeting = services.meeting_request(event=b2b_event, user=anna.user, recipient=marco)
    client.force_login(eva.user)
    for answer in ("accept", "decline", "cancel"):
        assert client.post(b2b_event.url + f"meetings/{meeting.pk}/{answer}/").status_code == 404
    # The requester cannot accept their own request.
    client.force_login(anna.user)
    assert client.post(b2b_event.url + f"meetings/{meeting.pk}/accept/").status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.REQUESTED
    # Eva's agenda shows only her own meetings; the grid is for organisers.
    client.force_login(eva.user)
    services.meeting_accept(meeting=meeting, user=marco.user)
    assert "Marco" not in client.get(b2b_event.url + "meetings/agenda/").content.decode()
    assert client.get(b2b_event.url + "meetings/grid/").status_code == 403


def test_people_without_a_confirmed_place_do_not_take_part(make_event, client):
    page = make_event(capacity=1, b2b_meetings=True)
    participant(page, "Anna")
    waiting = UserFactory()
    services.registration_create(event=page, user=waiting)
    with pytest.raises(services.MeetingError):
        services.meeting_profile_save(event=page, user=waiting, offer="x", seek="y")
    client.force_login(waiting)
    response = client.get(page.url + "meetings/")
    assert response.status_code == 302 and response["Location"].endswith("/register/")
    client.logout()
    assert "/accounts/login/" in client.get(page.url + "meetings/agenda/ics/")["Location"]


def test_cancelling_a_registration_frees_the_meetings(b2b_event):
    anna, marco = participant(b2b_event, "Anna"), participant(b2b_event, "Marco")
    meeting = services.meeting_request(event=b2b_event, user=anna.user, recipient=marco)
    services.meeting_accept(meeting=meeting, user=marco.user)
    services.registration_cancel(registration=anna)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert not AgendaEntry.objects.exists()


def test_organisers_see_the_grid_and_set_the_timetable(b2b_event, client, admin_user):
    anna, marco = participant(b2b_event, "Anna"), participant(b2b_event, "Marco")
    services.meeting_accept(
        meeting=services.meeting_request(event=b2b_event, user=anna.user, recipient=marco),
        user=marco.user,
    )
    client.force_login(admin_user)
    response = client.get(b2b_event.url + "meetings/grid/")
    assert response.status_code == 200
    assert "Anna – Marco" in response.content.decode()
    local = timezone.localtime(
        b2b_event.start, __import__("zoneinfo").ZoneInfo(b2b_event.time_zone)
    )
    later = local + datetime.timedelta(hours=2)
    response = client.post(
        b2b_event.url + "meetings/grid/",
        {
            "first_start": later.strftime("%Y-%m-%dT%H:%M"),
            "last_end": (later + datetime.timedelta(minutes=45)).strftime("%Y-%m-%dT%H:%M"),
            "minutes": 20,
            "break_minutes": 5,
            "tables": 3,
        },
    )
    assert response.status_code == 302
    assert MeetingSlot.objects.filter(event=b2b_event).count() == 3 + 2
    assert b2b_event.meeting_tables.count() == 3
    response = client.post(
        b2b_event.url + "meetings/grid/", {"first_start": "x\x00", "minutes": "a lot"}
    )
    assert response.status_code == 400


def test_meetings_page_query_count_does_not_grow(b2b_event, client, django_assert_max_num_queries):
    me = participant(b2b_event, "Me")
    others = [participant(b2b_event, f"Person {n}") for n in range(6)]
    for other in others[:3]:
        services.meeting_request(event=b2b_event, user=other.user, recipient=me)
    services.meeting_request(event=b2b_event, user=me.user, recipient=others[4])
    client.force_login(me.user)
    client.get(b2b_event.url + "meetings/")
    with django_assert_max_num_queries(45):
        response = client.get(b2b_event.url + "meetings/")
    assert response.status_code == 200
