"""Wagtail admin views for course editors: a course's certificates (revoke, ZIP of all PDFs)
and the enrolments-and-completions report with CSV export."""

import io
import zipfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies.pages import PagePermissionPolicy

from . import services
from .forms import RevokeForm
from .models import Certificate, CoursePage, Enrolment, LessonCompletion, LessonPage
from .providers import course_filter_for
from .views import can_manage_course


def _course_for_editor(request, course_id):
    course = get_object_or_404(CoursePage, pk=course_id)
    if not can_manage_course(request.user, course):
        raise PermissionDenied
    return course


def course_certificates(request, course_id):
    """The course's learners (enrolled, last visit, required lessons done, completed) and its
    certificates, with revoke, regenerate and ZIP download."""
    course = _course_for_editor(request, course_id)
    certificates = Certificate.objects.filter(course=course).select_related("user")
    required_lessons = list(
        LessonPage.objects.live()
        .descendant_of(course)
        .filter(required=True)
        .values_list("pk", flat=True)
    )
    lessons_done = dict(
        LessonCompletion.objects.filter(lesson_id__in=required_lessons)
        .values("user_id")
        .annotate(done=Count("pk"))
        .values_list("user_id", "done")
    )
    enrolments = list(
        Enrolment.objects.filter(course=course)
        .select_related("user", "last_activity")
        .order_by("-enrolled_at")
    )
    for enrolment in enrolments:
        enrolment.lessons_done = lessons_done.get(enrolment.user_id, 0)
    return TemplateResponse(
        request,
        "courses/admin/course_certificates.html",
        {
            "course": course,
            "certificates": certificates,
            "enrolments": enrolments,
            "required_lesson_count": len(required_lessons),
        },
    )


@require_POST
def certificate_revoke(request, pk):
    certificate = get_object_or_404(Certificate.objects.select_related("course"), pk=pk)
    if not can_manage_course(request.user, certificate.course):
        raise PermissionDenied
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.certificate_revoke(certificate=certificate, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Certificate of %(name)s revoked.") % {"name": certificate.learner_name},
            )
    else:
        messages.error(request, _("Give the reason for revoking the certificate."))
    return redirect("courses_admin:course_certificates", certificate.course_id)


@require_POST
def course_certificates_regenerate(request, course_id):
    """Render every valid certificate of the course again (e.g. after the signature or the
    design changed); the PDFs are rebuilt by the background job."""
    course = _course_for_editor(request, course_id)
    certificates = list(
        Certificate.objects.filter(course=course, revoked_at__isnull=True).select_related("user")
    )
    services.certificates_regenerate(certificates=certificates)
    messages.success(
        request,
        _("%(count)d certificates are being regenerated.") % {"count": len(certificates)},
    )
    return redirect("courses_admin:course_certificates", course.pk)


def course_certificates_zip(request, course_id):
    """Every certificate PDF of the course in one ZIP (PDFs not yet rendered are rendered)."""
    course = _course_for_editor(request, course_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in Certificate.objects.filter(course=course).select_related("user"):
            if not certificate.pdf:
                services.certificate_render(certificate=certificate)
            with certificate.pdf.open("rb") as pdf:
                name = slugify(certificate.learner_name) or "certificate"
                archive.writestr(f"{name}-{certificate.code}.pdf", pdf.read())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="certificates-{course.slug}.zip"'
    return response


class CourseReportView(ReportView):
    """Per course: enrolments, in progress, completions, completion rate, certificates."""

    page_title = gettext_lazy("Course enrolments and completions")
    header_icon = "group"
    index_url_name = "courses_admin:report"
    index_results_url_name = "courses_admin:report_results"
    paginate_by = 50
    list_export = [
        "title",
        "provider_name",
        "enrolment_count",
        "in_progress_count",
        "completion_count",
        "completion_rate",
        "certificate_count",
    ]
    export_headings = {
        "title": gettext_lazy("Course"),
        "provider_name": gettext_lazy("Provider"),
        "enrolment_count": gettext_lazy("Enrolments"),
        "in_progress_count": gettext_lazy("In progress"),
        "completion_count": gettext_lazy("Completions"),
        "completion_rate": gettext_lazy("Completion rate (%)"),
        "certificate_count": gettext_lazy("Certificates"),
    }
    columns = [
        TitleColumn(
            "title",
            label=gettext_lazy("Course"),
            get_url=lambda course: reverse("courses_admin:course_certificates", args=[course.pk]),
        ),
        Column("provider_name", label=gettext_lazy("Provider")),
        Column("enrolment_count", label=gettext_lazy("Enrolments")),
        Column("in_progress_count", label=gettext_lazy("In progress")),
        Column("completion_count", label=gettext_lazy("Completions")),
        Column("completion_rate", label=gettext_lazy("Completion rate (%)")),
        Column("certificate_count", label=gettext_lazy("Certificates")),
    ]

    def get_queryset(self):
        editable = PagePermissionPolicy().instances_user_has_any_permission_for(
            self.request.user, ["change", "publish"]
        )
        return (
            CoursePage.objects.filter(
                course_filter_for(self.request.user), pk__in=editable.values("pk")
            )
            .select_related("provider")
            .annotate(
                enrolment_count=Count("enrolments", distinct=True),
                completion_count=Count(
                    "enrolments", filter=Q(enrolments__completed_at__isnull=False), distinct=True
                ),
                certificate_count=Count("certificates", distinct=True),
            )
            .order_by("title")
        )

    def decorate_paginated_queryset(self, object_list):
        for course in object_list:
            course.provider_name = course.provider.name
            course.in_progress_count = course.enrolment_count - course.completion_count
            course.completion_rate = (
                round(100 * course.completion_count / course.enrolment_count)
                if course.enrolment_count
                else 0
            )
        return object_list
