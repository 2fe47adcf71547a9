"""The SCORM runtime's server side: the package's files (permission-checked, from private
storage), the commit endpoint of the scorm-again runtime, and "start a new attempt"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cms.files import StoredFile, serve_file
from courses import services as course_services
from courses.models import Enrolment, LessonPage

from . import selectors, services
from .models import ScormAttempt, ScormPackage

SCORM_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
    "media-src 'self'; connect-src 'self'; frame-ancestors 'self'; object-src 'none'; "
    "base-uri 'self'"
)


@xframe_options_sameorigin
def package_file(request, package_uuid, path):
    """A file of a package, for the lesson's frame. 404 for anyone who may not read it and for
    any path the package does not have (the file map is the only way in: no path is ever
    joined onto a directory)."""
    package = ScormPackage.objects.filter(uuid=package_uuid).first()
    if package is None or not selectors.package_readable_by(user=request.user, package=package):
        raise Http404
    stored = package.stored_name(path)
    if stored is None:
        raise Http404
    # Served from this origin even on object storage: the package's pages load their
    # neighbours by relative URL, which a presigned URL would not sign.
    response = serve_file(
        request,
        StoredFile(stored),
        content_type=services.content_type_for(path),
        filename=path.rsplit("/", 1)[-1],
        as_attachment=False,
        allow_redirect=False,
        cache_seconds=3600,
    )
    # Packages are authored elsewhere, full of inline scripts and styles: their own policy,
    # limited to this origin (the site's nonce policy would stop them).
    response["Content-Security-Policy"] = SCORM_CONTENT_SECURITY_POLICY
    return response


@csrf_exempt  # the signed token in the URL does CSRF's job (sendBeacon sends no header)
@login_required
@require_POST
def attempt_commit(request, attempt_id):
    """scorm-again posts the CMI data here (``lmsCommitUrl``) on every commit and at the end.
    Answers in the format it expects: ``{"result": true, "errorCode": 0}``."""
    attempt = (
        ScormAttempt.objects.filter(pk=attempt_id, user=request.user)
        .select_related("package", "lesson")
        .first()
    )
    if attempt is None or not services.commit_token_valid(attempt, request.GET.get("token", "")):
        raise Http404
    try:
        completed = services.attempt_commit(attempt=attempt, body=request.body)
    except ValidationError as error:
        return JsonResponse(
            {"result": False, "errorCode": 101, "message": " ".join(error.messages)}, status=400
        )
    if completed:
        course_services.lesson_complete(user=request.user, lesson=attempt.lesson, by_package=True)
    return JsonResponse(
        {"result": True, "errorCode": 0, "completed": attempt.satisfied_at is not None}
    )


@login_required
@require_POST
def attempt_new(request, lesson_id):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id, scorm_package__isnull=False)
    course = lesson.get_course()
    if not Enrolment.objects.filter(user=request.user, course=course).exists():
        raise Http404
    services.attempt_start(user=request.user, lesson=lesson)
    messages.success(request, _("A new attempt has started."))
    return redirect(lesson.url)
