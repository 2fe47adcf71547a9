"""Site views of the training platform (the catalogue, courses and lessons are Wagtail pages)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import EnrolForm
from .models import Certificate, CoursePage, LessonPage


def can_manage_course(user, course):
    """Course editors: users who may edit the course page in Wagtail."""
    return (
        course is not None
        and user.is_authenticated
        and course.permissions_for_user(user).can_edit()
    )


@login_required
@require_POST
def course_enrol(request, course_id):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    form = EnrolForm(request.POST)
    form.is_valid()
    try:
        enrolment = services.course_enrol(
            user=request.user, course=course, key=form.cleaned_data.get("enrolment_key", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(course.url + "#enrol")
    messages.success(request, _("You are enrolled in “%(course)s”.") % {"course": course.title})
    outline = selectors.course_outline(course=course)
    first = next((a.page for module in outline for a in module.activities), None)
    if enrolment.last_activity_id is None and first is not None:
        return redirect(first.url)
    return redirect(course.url)


@login_required
@require_POST
def lesson_complete(request, lesson_id):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    try:
        certificate = services.lesson_complete(user=request.user, lesson=lesson)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(lesson.get_course().url + "#enrol")
    if certificate is not None:
        messages.success(
            request,
            _("Course completed. Your certificate is ready in My learning."),
        )
        return redirect("courses:dashboard")
    messages.success(request, _("Lesson marked as complete."))
    next_url = request.POST.get("next")
    if next_url and next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect(lesson.url)


@login_required
def dashboard(request):
    context = selectors.dashboard_for(user=request.user)
    return render(request, "courses/dashboard.html", context)


def _certificate_for(request, code):
    """The certificate if it is the user's own or the user edits its course; 404 otherwise,
    so nobody learns whether someone else's code exists."""
    certificate = get_object_or_404(Certificate.objects.select_related("course", "user"), code=code)
    if certificate.user_id != request.user.pk and not can_manage_course(
        request.user, certificate.course
    ):
        raise Http404
    return certificate


@login_required
def certificate_download(request, code):
    certificate = _certificate_for(request, code)
    if not certificate.pdf:
        # The background job has not run yet (or failed): render it now, once.
        services.certificate_render(certificate=certificate)
    response = FileResponse(
        certificate.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=request.GET.get("inline") != "1",
        filename=f"certificate-{certificate.code}.pdf",
    )
    return response


@login_required
@require_POST
def certificate_regenerate(request, code):
    certificate = _certificate_for(request, code)
    if certificate.revoked_at:
        raise PermissionDenied
    services.certificate_regenerate(certificate=certificate)
    messages.success(
        request,
        _("The certificate is being regenerated with the name “%(name)s”.")
        % {"name": certificate.learner_name},
    )
    if certificate.user_id != request.user.pk:  # a course editor, from the admin listing
        return redirect("courses_admin:course_certificates", certificate.course_id)
    return redirect("courses:dashboard")


def certificate_lookup(request):
    """/certificates/verify/: type the code printed on a certificate."""
    code = request.GET.get("code", "").strip()
    if code:
        return redirect("courses:certificate_verify", code=code)
    return render(request, "courses/certificate_lookup.html")


def certificate_verify(request, code):
    certificate = (
        Certificate.objects.select_related("course", "course__provider").filter(code=code).first()
    )
    if certificate is None:
        return render(request, "courses/certificate_not_found.html", {"code": code}, status=404)
    context = {
        "certificate": certificate,
        "status": certificate.status,
        "og_title": _("Certificate: %(course)s") % {"course": certificate.course_title},
        "meta_description": _("%(name)s completed “%(course)s” (%(provider)s) on %(date)s.")
        % {
            "name": certificate.learner_name,
            "course": certificate.course_title,
            "provider": certificate.provider_name,
            "date": date_format(certificate.completed_on, "DATE_FORMAT"),
        },
        "og_type": "article",
        "canonical_url": certificate.get_verify_url(),
    }
    return render(request, "courses/certificate_verify.html", context)
