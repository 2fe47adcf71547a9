"""A meeting slot taken twice at the same moment, and a full event's last seat asked for by
several people at once (PostgreSQL, real transactions in parallel threads): row locks and
constraints leave exactly one booking and exactly the event's capacity."""

import datetime
import threading

import pytest
from django.db import connection

from cms.events import services
from cms.events.models import (
    AgendaEntry,
    Meeting,
    MeetingSlot,
    MeetingStatus,
    Registration,
    RegistrationStatus,
)
from tests.cms.factories import build_site_tree, event
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_together(functions):
    barrier = threading.Barrier(len(functions))
    results, errors = [], []

    def run(function):
        try:
            barrier.wait()
            results.append(function())
        except Exception as error:  # noqa: BLE001 - reported by the tests
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(function,)) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.fixture
def b2b(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises every write")
    # No mail server in these threads: queued e-mails are enough.
    monkeypatch.setattr("cms.mail._kick_once_on_commit", lambda: None)
    page = event(
        build_site_tree()["events"],
        publish=True,
        registration_mode="on_site",
        capacity=50,
        b2b_meetings=True,
    )
    start = page.start.replace(second=0)
    services.timetable_create(
        event=page,
        first_start=start,
        last_end=start + datetime.timedelta(minutes=20),
        minutes=20,
        tables=1,
    )

    def person(name):
        user = UserFactory(display_name=name)
        registration = services.registration_create(event=page, user=user)
        services.meeting_profile_save(event=page, user=user, offer="Yarn", seek="Buyers")
        return registration

    return page, person, MeetingSlot.objects.get(event=page)


def test_one_person_cannot_be_booked_twice_in_a_slot(b2b):
    page, person, slot = b2b
    anna, marco, eva = person("Anna"), person("Marco"), person("Eva")
    services.timetable_create(
        event=page, first_start=slot.start, last_end=slot.end, minutes=20, tables=3
    )
    first = services.meeting_request(event=page, user=marco.user, recipient=anna)
    second = services.meeting_request(event=page, user=eva.user, recipient=anna)
    results, errors = run_together(
        [
            lambda: services.meeting_accept(meeting=first, user=anna.user, slot=slot),
            lambda: services.meeting_accept(meeting=second, user=anna.user, slot=slot),
        ]
    )
    assert len(results) == 1
    assert [type(error) for error in errors] == [services.SlotTaken]
    assert AgendaEntry.objects.filter(registration=anna, slot=slot).count() == 1
    assert Meeting.objects.filter(status=MeetingStatus.ACCEPTED).count() == 1


def test_one_table_cannot_be_booked_twice_in_a_slot(b2b):
    page, person, slot = b2b
    a, b, c, d = person("A"), person("B"), person("C"), person("D")
    first = services.meeting_request(event=page, user=a.user, recipient=b)
    second = services.meeting_request(event=page, user=c.user, recipient=d)
    results, errors = run_together(
        [
            lambda: services.meeting_accept(meeting=first, user=b.user, slot=slot),
            lambda: services.meeting_accept(meeting=second, user=d.user, slot=slot),
        ]
    )
    assert len(results) == 1
    assert [type(error) for error in errors] == [services.SlotTaken]
    assert Meeting.objects.filter(status=MeetingStatus.ACCEPTED, slot=slot).count() == 1


@pytest.fixture
def last_seat(monkeypatch):
    """An event with one place left (of three), and the waiting list as the test chooses."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises every write")
    monkeypatch.setattr("cms.mail._kick_once_on_commit", lambda: None)

    def make(*, waiting_list):
        page = event(
            build_site_tree()["events"],
            publish=True,
            registration_mode="on_site",
            capacity=3,
            waiting_list=waiting_list,
        )
        for name in ("Anna", "Marco"):
            services.registration_create(event=page, user=UserFactory(display_name=name))
        return page

    return make


@pytest.mark.parametrize("people", [2, 6])
def test_the_last_seat_goes_to_exactly_one_person(last_seat, people):
    page = last_seat(waiting_list=False)
    users = [UserFactory() for _ in range(people)]
    results, errors = run_together(
        [lambda user=user: services.registration_create(event=page, user=user) for user in users]
    )
    assert len(results) == 1
    assert [type(error) for error in errors] == [services.EventFull] * (people - 1)
    confirmed = Registration.objects.filter(event=page, status=RegistrationStatus.CONFIRMED)
    assert confirmed.count() == 3
    assert not Registration.objects.filter(event=page, status=RegistrationStatus.WAITING).exists()


def test_with_a_waiting_list_the_others_queue_in_order_behind_the_last_seat(last_seat):
    page = last_seat(waiting_list=True)
    users = [UserFactory() for _ in range(5)]
    results, errors = run_together(
        [lambda user=user: services.registration_create(event=page, user=user) for user in users]
    )
    assert errors == []
    statuses = sorted(registration.status for registration in results)
    assert statuses == [RegistrationStatus.CONFIRMED] + [RegistrationStatus.WAITING] * 4
    assert Registration.objects.filter(event=page, status=RegistrationStatus.CONFIRMED).count() == 3
