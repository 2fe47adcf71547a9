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
from .forms import RegistrationForm
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
