"""A participant registers for an event, books two B2B meetings and downloads the agenda."""

import datetime

from icalendar import Calendar
from playwright.sync_api import expect

from cms.events import services
from cms.events.models import Meeting
from cms.models import EventQuestion
from tests.browser.test_exchange_journey import sign_in
from tests.cms.factories import build_site_tree, event
from tests.factories import OrganisationFactory, UserFactory


def test_participant_registers_books_two_meetings_and_downloads_the_agenda(
    page, live_server, screenshot
):
    tree = build_site_tree()
    days = event(
        tree["events"],
        publish=True,
        title="Textile Circularity Days Prato",
        registration_mode="on_site",
        capacity=50,
        b2b_meetings=True,
    )
    EventQuestion.objects.create(
        page=days,
        label="Organisation type",
        kind="choice",
        options="Company\nRecycler",
        required=True,
    )
    start = days.start.replace(second=0)
    services.timetable_create(
        event=days,
        first_start=start,
        last_end=start + datetime.timedelta(hours=1),
        minutes=20,
        tables=4,
    )
    others = {}
    for name, offer in (("Marco Rossi", "Carded recycled wool"), ("Eva Novak", "NIR sorting")):
        user = UserFactory(display_name=name, organisation=OrganisationFactory(name=f"{name} Ltd"))
        services.registration_create(event=days, user=user)
        services.meeting_profile_save(event=days, user=user, offer=offer, seek="Selvedges")
        others[name] = user
    me = UserFactory(display_name="Anna Nowak")

    sign_in(page, live_server, me.email)
    page.goto(live_server.url + days.url)
    page.get_by_role("link", name="Register").click()
    page.get_by_label("Organisation type").select_option("Recycler")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered.")).to_be_visible()

    page.get_by_role("link", name="B2B meetings").click()
    page.get_by_label("What I offer").fill("Wool selvedges, 20 t a year")
    page.get_by_label("What I am looking for").fill("Recyclers who card selvedges")
    page.get_by_role("button", name="Publish my profile").click()
    expect(page.get_by_text("Your B2B profile is published.")).to_be_visible()
    page.get_by_role("button", name="Ask Marco Rossi for a meeting").click()
    expect(page.get_by_text("Your meeting request is sent.")).to_be_visible()
    page.get_by_role("button", name="Ask Eva Novak for a meeting").click()
    expect(page.get_by_text("Your meeting request is sent.")).to_be_visible()
    screenshot(page, "b2b-meetings")

    for meeting in Meeting.objects.all():
        services.meeting_accept(meeting=meeting, user=meeting.recipient.user)

    page.get_by_role("link", name="My agenda").click()
    expect(page.get_by_role("cell", name="Marco Rossi, Marco Rossi Ltd")).to_be_visible()
    expect(page.get_by_role("cell", name="Eva Novak, Eva Novak Ltd")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my agenda (.ics)").click()
    calendar = Calendar.from_ical(open(download.value.path(), "rb").read())
    summaries = sorted(str(entry["summary"]) for entry in calendar.walk("VEVENT"))
    assert summaries == [
        "Meeting with Eva Novak (Eva Novak Ltd)",
        "Meeting with Marco Rossi (Marco Rossi Ltd)",
    ]
