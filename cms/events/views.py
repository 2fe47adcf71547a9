"""Registration pages of an event, served by ``cms.EventPage``'s routes (register/, ...)."""

import csv

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.ratelimit import ratelimit_request_hit

from . import selectors, services
from .forms import (
    MeetingAcceptForm,
    MeetingProfileForm,
    MeetingRequestForm,
    RegistrationForm,
    TimetableForm,
)
from .ical import meetings_calendar
from .models import OPEN_MEETING_STATUSES, Meeting, MeetingProfile, MeetingStatus, Registration
from .permissions import can_manage_event


def _on_site_event(page):
    if not page.registers_on_site:
        raise Http404
    return selectors.registration_event(page)


def register(request, page):
    """/events/<slug>/register/: the form, the participant's registration and its cancel."""
    event = _on_site_event(page)
    questions = list(event.registration_questions.all())
    labels = questions if page.pk == event.pk else list(page.registration_questions.all())
    data = request.POST if request.method == "POST" else None
    form = RegistrationForm(data, questions=questions, labels=labels)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if ratelimit_request_hit(request, scope="events.register"):
            form.add_error(None, _("Too many attempts. Please wait a little and try again."))
            status = 429
        elif form.is_valid():
            try:
                registration = services.registration_create(
                    event=event, user=request.user, answers=form.answers()
                )
            except services.RegistrationError as error:
                form.add_error(None, error.message)
                status = 409
            else:
                if registration.is_confirmed:
                    messages.success(
                        request,
                        _(
                            "You are registered. We have e-mailed you the details and a calendar file."
                        ),
                    )
                else:
                    messages.info(
                        request,
                        _(
                            "The event is full: you are on the waiting list. We will e-mail you if a place becomes free."
                        ),
                    )
                return redirect(page.register_url)
        else:
            status = 400
    registration = selectors.user_registration(event, request.user)
    context = {
        "page": page,
        "event": event,
        "form": form,
        "registration": registration if registration and registration.is_active else None,
        "waiting_position": selectors.waiting_position(registration),
        "counts": selectors.registration_counts(event),
        "registration_open": event.registration_is_open,
        "can_manage": can_manage_event(request.user, page),
    }
    return TemplateResponse(request, "events/register.html", context, status=status)


@require_POST
def register_cancel(request, page):
    event = _on_site_event(page)
    if not request.user.is_authenticated:
        return redirect_to_login(page.register_url)
    registration = selectors.user_registration(event, request.user)
    if registration is None or not registration.is_active:
        raise Http404
    services.registration_cancel(registration=registration)
    messages.success(request, _("Your registration is cancelled."))
    return redirect(page.register_url)


def _organiser_event(request, page):
    event = _on_site_event(page)
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    if not can_manage_event(request.user, page):
        raise PermissionDenied
    return event, None


def attendees(request, page):
    """The organiser's view: counts and everyone registered."""
    event, response = _organiser_event(request, page)
    if response:
        return response
    return TemplateResponse(
        request,
        "events/attendees.html",
        {
            "page": page,
            "event": event,
            "counts": selectors.registration_counts(event),
            "registrations": selectors.attendees(event),
        },
    )


def _csv_cell(value):
    """A cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def _answer_text(value):
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return value


def attendees_csv(request, page):
    """The attendee list as CSV (one row per registration, one column per question)."""
    event, response = _organiser_event(request, page)
    if response:
        return response
    questions = list(event.registration_questions.all())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-attendees-{stamp}.csv"'
    response.write("\ufeff")  # spreadsheets open UTF-8 (Łódź, Città) correctly
    writer = csv.writer(response)
    writer.writerow(
        [_("Name"), _("E-mail"), _("Organisation"), _("Status"), _("Registered")]
        + [question.label for question in questions]
    )
    for registration in selectors.attendees(event):
        user = registration.user
        answers = registration.answers or {}
        writer.writerow(
            [
                _csv_cell(value)
                for value in [
                    user.get_display_name(),
                    user.email,
                    user.organisation.name if user.organisation else "",
                    registration.get_status_display(),
                    timezone.localtime(registration.queued_at).strftime("%Y-%m-%d %H:%M"),
                    *[_answer_text(answers.get(str(question.pk))) for question in questions],
                ]
            ]
        )
    return response


# B2B meetings --------------------------------------------------------------------------------
def _b2b_event(page):
    event = _on_site_event(page)
    if not event.b2b_meetings:
        raise Http404
    return event


def _participant(request, page):
    """(event, the user's confirmed registration) or a response: sign in, or register first."""
    event = _b2b_event(page)
    if not request.user.is_authenticated:
        return event, None, redirect_to_login(request.get_full_path())
    registration = Registration.objects.confirmed().filter(event=event, user=request.user).first()
    if registration is None:
        messages.info(request, _("Register for the event to take part in the B2B meetings."))
        return event, None, redirect(page.register_url)
    return event, registration, None


def meetings(request, page):
    """The participant's B2B page: their profile, the other participants, their requests."""
    event, registration, response = _participant(request, page)
    if response:
        return response
    try:
        profile = registration.meeting_profile
    except MeetingProfile.DoesNotExist:
        profile = None
    profile_form = MeetingProfileForm(
        initial={"offer": profile.offer, "seek": profile.seek} if profile else None
    )
    return _meetings_page(request, page, event, registration, profile, profile_form)


def _meetings_page(request, page, event, registration, profile, profile_form, status=200):
    my_meetings = list(selectors.meetings_of(registration))
    open_with = {
        meeting.other(registration).pk
        for meeting in my_meetings
        if meeting.status in OPEN_MEETING_STATUSES
    }
    received = [
        meeting
        for meeting in my_meetings
        if meeting.recipient_id == registration.pk and meeting.status == MeetingStatus.REQUESTED
    ]
    free = services.meetings_free_slots(event=event, meetings=received)
    accept_forms = {
        meeting.pk: MeetingAcceptForm(free_slots=free[meeting.pk], time_zone=event.time_zone)
        for meeting in received
    }
    context = {
        "page": page,
        "event": event,
        "registration": registration,
        "profile": profile,
        "profile_form": profile_form,
        "participants": selectors.meeting_participants(event, exclude=registration),
        "open_with": open_with,
        "received": [(meeting, accept_forms[meeting.pk]) for meeting in received],
        "sent": [
            meeting
            for meeting in my_meetings
            if meeting.requester_id == registration.pk and meeting.status == MeetingStatus.REQUESTED
        ],
        "agenda": [m for m in my_meetings if m.status == MeetingStatus.ACCEPTED][::-1],
        "request_form": MeetingRequestForm(),
        "can_manage": can_manage_event(request.user, page),
    }
    return TemplateResponse(request, "events/meetings.html", context, status=status)


@require_POST
def meeting_profile(request, page):
    event, registration, response = _participant(request, page)
    if response:
        return response
    form = MeetingProfileForm(request.POST)
    if form.is_valid():
        services.meeting_profile_save(
            event=event,
            user=request.user,
            offer=form.cleaned_data["offer"],
            seek=form.cleaned_data["seek"],
        )
        messages.success(request, _("Your B2B profile is published."))
        return redirect(page.url + page.reverse_subpage("meetings"))
    try:
        profile = registration.meeting_profile
    except MeetingProfile.DoesNotExist:
        profile = None
    return _meetings_page(request, page, event, registration, profile, form, status=400)


def _meetings_url(page):
    return page.url + page.reverse_subpage("meetings")


@require_POST
def meeting_request(request, page, registration_id):
    event, registration, response = _participant(request, page)
    if response:
        return response
    recipient = Registration.objects.filter(pk=registration_id, event=event).first()
    if recipient is None:
        raise Http404
    form = MeetingRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The message is too long."))
        return redirect(_meetings_url(page))
    try:
        services.meeting_request(
            event=event,
            user=request.user,
            recipient=recipient,
            message=form.cleaned_data["message"],
        )
    except services.MeetingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your meeting request is sent."))
    return redirect(_meetings_url(page))


def _my_meeting(request, page, meeting_id):
    event, registration, response = _participant(request, page)
    if response:
        return None, response
    meeting = (
        Meeting.objects.involving(registration)
        .filter(pk=meeting_id, event=event)
        .select_related("requester__user", "recipient__user")
        .first()
    )
    if meeting is None:  # someone else's meeting: it does not exist for this user
        raise Http404
    return meeting, None


@require_POST
def meeting_answer(request, page, meeting_id, answer):
    meeting, response = _my_meeting(request, page, meeting_id)
    if response:
        return response
    if answer in ("accept", "decline") and meeting.recipient.user_id != request.user.pk:
        raise PermissionDenied
    try:
        if answer == "accept":
            event = meeting.event
            form = MeetingAcceptForm(
                request.POST,
                free_slots=services.meeting_free_slots(meeting=meeting),
                time_zone=event.time_zone,
            )
            slot = None
            if request.POST.get("slot"):
                if not form.is_valid():
                    raise services.SlotTaken(_("This time is no longer free. Choose another one."))
                slot = form.slots[form.cleaned_data["slot"]]
            services.meeting_accept(meeting=meeting, user=request.user, slot=slot)
            messages.success(request, _("Meeting accepted: it is in your agenda."))
        elif answer == "decline":
            services.meeting_decline(meeting=meeting, user=request.user)
            messages.success(request, _("Meeting request declined."))
        else:
            services.meeting_cancel(meeting=meeting, user=request.user)
            messages.success(request, _("Meeting cancelled."))
    except services.SlotTaken as error:
        messages.error(request, error.message)
        return TemplateResponse(
            request,
            "events/meeting_conflict.html",
            {"page": page, "message": error.message},
            status=409,
        )
    except services.MeetingError as error:
        messages.error(request, error.message)
    return redirect(_meetings_url(page))


def meeting_agenda(request, page):
    """The participant's own agenda; nobody else's can be asked for."""
    event, registration, response = _participant(request, page)
    if response:
        return response
    return TemplateResponse(
        request,
        "events/agenda.html",
        {
            "page": page,
            "event": event,
            "agenda": selectors.agenda(registration),
            "registration": registration,
        },
    )


def meeting_agenda_ics(request, page):
    event, registration, response = _participant(request, page)
    if response:
        return response
    content = meetings_calendar(
        event, registration, selectors.agenda(registration), request=request
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-agenda.ics"'
    return response


def meeting_grid(request, page):
    """The organiser's grid of meetings (slots × tables) and the timetable form."""
    event, response = _organiser_event(request, page)
    if response:
        return response
    if not event.b2b_meetings:
        raise Http404
    form = TimetableForm(request.POST or None, time_zone=event.time_zone)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            slots, tables = services.timetable_create(
                event=event,
                first_start=form.cleaned_data["first_start"],
                last_end=form.cleaned_data["last_end"],
                minutes=form.cleaned_data["minutes"],
                tables=form.cleaned_data["tables"],
                break_minutes=form.cleaned_data["break_minutes"],
            )
            messages.success(
                request,
                _("Timetable saved: %(slots)s new times, %(tables)s new tables.")
                % {"slots": slots, "tables": tables},
            )
            return redirect(page.url + page.reverse_subpage("meeting_grid"))
        status = 400
    rows, tables = selectors.meeting_grid(event)
    return TemplateResponse(
        request,
        "events/meeting_grid.html",
        {"page": page, "event": event, "rows": rows, "tables": tables, "form": form},
        status=status,
    )
