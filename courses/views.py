"""Site views of the training platform. The catalogue, courses and lessons are Wagtail pages:
what they show of the learner's state is built here (``*_context``), and handed to the pages
through the hooks registered in ``wagtail_hooks.py`` (``courses/hooks.py``)."""

import functools
import json
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms import tablecache
from cms.files import serve_file

from . import badges, selectors, services
from .filters import catalogue_filtersets
from .forms import CredentialVerifyForm, EnrolForm
from .models import Certificate, CourseIndexPage, CoursePage, LessonPage
from .scorm import services as scorm_services


def can_manage_course(user, course):
    """Course editors: users who may edit the course page in Wagtail."""
    return (
        course is not None
        and user.is_authenticated
        and course.permissions_for_user(user).can_edit()
    )


# The pages (courses.models): context and the lesson's gate ---------------------------------------


def catalogue_context(request, catalogue: CourseIndexPage) -> dict:
    """The catalogue: the courses of this platform and the external courses in one filtered
    list, merged and paginated: four queries whatever the filters and the number of courses.
    The list is the same for every visitor asking the same address with the same enrolments
    (its badges), so the template keeps it as a fragment (cms/fragments.py) and the courses
    are read only when it is not kept yet: ``courses``, ``filter`` and ``filter_form`` are
    read when first used."""
    listing = functools.cache(lambda: _catalogue_listing(request, catalogue))
    states = selectors.enrolment_states(user=request.user)
    return {
        "courses": SimpleLazyObject(lambda: listing()["courses"]),
        "filter": SimpleLazyObject(lambda: listing()["filter"]),
        "filter_form": SimpleLazyObject(lambda: listing()["filter"].form),
        "is_filtered": _is_filtered(request),
        "enrolment_states": states,
        "enrolments_key": ",".join(f"{pk}:{state}" for pk, state in sorted(states.items())),
    }


def _is_filtered(request) -> bool:
    """Whether the catalogue's address asks for any filter (a page number is not one)."""
    return any(value for key, value in request.GET.items() if key != "page")


def _catalogue_listing(request, catalogue: CourseIndexPage) -> dict:
    course_filter, external_filter = catalogue_filtersets(request.GET, catalogue)
    # Sorted and paginated on the sort keys alone; only the courses of the page shown are read
    # as pages (a catalogue of 200 courses read 200 pages to show 12).
    filtered = (course_filter.qs, external_filter.qs)

    def order():
        return sorted(
            (not featured, title.lower(), kind, position, pk)
            for kind, queryset in enumerate(filtered)
            for position, (pk, featured, title) in enumerate(
                queryset.values_list("pk", "featured", "title")
            )
        )

    # The whole catalogue's order (what most visitors see: no filter) is kept until a page is
    # written (cms/tablecache.py); a filtered one, whose addresses anyone can make up, is not.
    keys = (
        order()
        if _is_filtered(request)
        else tablecache.cached(
            "catalogue-order", catalogue.pk, tables=tablecache.page_tables(), compute=order
        )
    )
    paginator = Paginator(keys, settings.COURSES_CATALOGUE_PER_PAGE)
    courses = paginator.get_page(request.GET.get("page"))
    shown = {}
    for kind, queryset in enumerate(filtered):
        ids = [pk for _featured, _title, of_kind, _position, pk in courses if of_kind == kind]
        if ids:
            shown.update({(kind, entry.pk): entry for entry in queryset.filter(pk__in=ids)})
    # (A course unpublished between the two reads is left out of the page.)
    courses.object_list = [
        shown[kind, pk] for _f, _t, kind, _p, pk in courses.object_list if (kind, pk) in shown
    ]
    return {"courses": courses, "filter": course_filter}


def course_context(request, course: CoursePage) -> dict:
    """A course page: its outline; to an enrolled learner, their progress and certificate."""
    outline = selectors.course_outline(course=course)
    stamp = selectors.enrolment_stamp(user=request.user, course=course)
    provider, region = selectors.course_provider_and_region(course=course)
    context = {
        "modules": outline,
        "enrolment": None,
        "provider": provider,
        "region": region,
        "catalogue_url": selectors.parent_url(page=course, request=request),
    }
    if stamp is not None:
        # Read when the template shows them: the page is kept for the learner (course_page.html)
        # until the next write or their next lesson visit (the enrolment's stamp, in its key).
        context["enrolment"] = SimpleLazyObject(
            lambda: selectors.enrolment_of(user=request.user, course=course)
        )
        context["progress"] = SimpleLazyObject(
            lambda: selectors.course_progress(user=request.user, course=course, outline=outline)
        )
        context["enrolment_key"] = stamp
    return context


def lesson_before_serve(request, lesson: LessonPage):
    """Run before a lesson is served (not previewed): only enrolled learners read it; their
    visit is remembered ("resume where you left off"), and a SCORM lesson gets their attempt.
    Returns a redirect to the course's enrolment form for anyone else."""
    enrolment = selectors.activity_enrolment(user=request.user, page=lesson)
    course = lesson.get_course()
    if enrolment is None:
        # Said by the course page from the address, not with a message in the session: the
        # same redirect for every anonymous visitor, which the page cache can keep.
        return redirect(course.url + "?enrol=required#enrol")
    services.enrolment_record_visit(enrolment=enrolment, page=lesson)
    request.course = course
    request.enrolment = enrolment
    if lesson.scorm_package_id:
        request.scorm_attempt = scorm_services.attempt_current(user=request.user, lesson=lesson)
    return None


def lesson_context(request, lesson: LessonPage) -> dict:
    """A lesson: its course's outline, the previous and next activities, the learner's
    progress, and the SCORM player's settings when the lesson plays a package."""
    course = getattr(request, "course", None) or lesson.get_course()
    outline = selectors.course_outline(course=course)
    context = {"course": course, "modules": outline}
    activities = [activity for module in outline for activity in module.activities]
    index_of = {activity.page.pk: position for position, activity in enumerate(activities)}
    position = index_of.get(lesson.pk)
    if position is not None:
        context["previous_activity"] = activities[position - 1] if position > 0 else None
        context["next_activity"] = (
            activities[position + 1] if position + 1 < len(activities) else None
        )
    if request.user.is_authenticated:
        # Read when the template shows them: the lesson is kept for the learner until the next
        # write (lesson_page.html); the stamp of their visit is not shown on it.
        progress = SimpleLazyObject(
            lambda: selectors.course_progress(user=request.user, course=course, outline=outline)
        )
        context["progress"] = progress
        context["is_completed"] = SimpleLazyObject(
            lambda: lesson.pk in progress.completed_lesson_ids
        )
    attempt = getattr(request, "scorm_attempt", None)
    if attempt is not None:
        package = lesson.scorm_package
        context["scorm"] = {
            "attempt": attempt,
            "package": package,
            "launch_url": reverse("courses:scorm_file", args=[package.uuid, "-"]).removesuffix("-")
            + package.launch_path,
            "settings": {
                "version": package.version,
                "commitUrl": reverse("courses:scorm_commit", args=[attempt.pk])
                + "?token="
                + scorm_services.commit_token(attempt),
                "cmi": scorm_services.initial_cmi(
                    attempt=attempt, learner_name=request.user.get_display_name()
                ),
            },
        }
    return context


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
    """My learning. The lists are kept for the member until the next write or their next visit
    to a lesson (``learning_stamp``; the template's fragment), and read only when the template
    lists them: a kept dashboard costs none of their queries."""
    lists = functools.cache(
        lambda: selectors.dashboard_for(
            user=request.user,
            in_progress_page=request.GET.get("page"),
            completed_page=request.GET.get("completed"),
            certificates_page=request.GET.get("certificates"),
        )
    )
    context = {
        name: SimpleLazyObject(functools.partial(lambda name: lists()[name], name))
        for name in ("in_progress", "completed", "certificates")
    }
    # only a key: read when the fragments are on (the page cache: production), not otherwise
    context["learning_stamp"] = SimpleLazyObject(
        lambda: selectors.learning_stamp(user=request.user)
    )
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
    return serve_file(
        request,
        certificate.pdf,
        content_type="application/pdf",
        as_attachment=request.GET.get("inline") != "1",
        filename=f"certificate-{certificate.code}.pdf",
    )


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


# What models.new_certificate_code makes (token_urlsafe), within the field's length.
CERTIFICATE_CODE = re.compile(r"[A-Za-z0-9_-]{1,40}")


def certificate_lookup(request):
    """/certificates/verify/: type the code printed on a certificate."""
    code = request.GET.get("code", "").strip()
    if code and not CERTIFICATE_CODE.fullmatch(code):
        # A code that no certificate can have (a "/" would not even make a URL): not found.
        return render(
            request, "courses/certificate_not_found.html", {"code": code[:80]}, status=404
        )
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


BADGE_FORMATS = {
    # (content type, file extension) of the learner's downloads of the Open Badges credential.
    "png": ("image/png", "png"),
    "json": ("application/json", "json"),
    "jwt": ("application/vc+jwt", "jwt"),
}


@login_required
def certificate_badge(request, code, file_format):
    """The Open Badges 3.0 credential of a certificate, for its learner (and course editors):
    the badge image with the credential baked in, the JSON envelope or the bare VC-JWT."""
    if file_format not in BADGE_FORMATS:
        raise Http404
    certificate = _certificate_for(request, code)
    if not certificate.badge_credential:
        services.certificate_badge_issue(certificate=certificate)
    if file_format == "png":
        body = services.certificate_badge_png(certificate=certificate)
    elif file_format == "json":
        body = json.dumps(badges.envelope(certificate.badge_credential), indent=2)
    else:
        body = certificate.badge_credential
    content_type, extension = BADGE_FORMATS[file_format]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="badge-{certificate.code}.{extension}"'
    return response


def badge_image(request, code):
    """The badge image of a certificate without the credential (public, like the verification
    page): what the credential's ``achievement.image`` points at."""
    certificate = get_object_or_404(Certificate, code=code)
    response = HttpResponse(
        services.certificate_badge_png(certificate=certificate, baked=False),
        content_type="image/png",
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


def badge_issuer(request):
    """The issuer's Open Badges Profile (the ``issuer.id`` of every credential)."""
    return JsonResponse(
        badges.issuer_profile(selectors.platform_look().name),
        json_dumps_params={"ensure_ascii": False},
    )


def badge_jwks(request):
    """The public keys that verify this platform's credentials, as a JWK Set (RFC 7517)."""
    response = JsonResponse(badges.jwks())
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def credential_verify(request):
    """/certificates/verify/credential/: paste an Open Badges credential or upload its file
    (the baked PNG, the JSON or the JWT); the page says valid, revoked, expired or invalid."""
    result = None
    if request.method == "POST":
        form = CredentialVerifyForm(request.POST, request.FILES)
        if form.is_valid():
            result = selectors.credential_verification(jwt=form.cleaned_data["jwt"])
    else:
        form = CredentialVerifyForm()
    return render(
        request,
        "courses/credential_verify.html",
        {
            "form": form,
            "result": result,
            "Outcome": badges.Outcome,
            "jwks_url": reverse("courses:badge_jwks"),
        },
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )
