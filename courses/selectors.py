"""Reads of the training platform reused by pages, views, hooks and services."""

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from courses import badges
from courses.quizzes import services as quiz_services
from courses.quizzes.models import QuizPage

from .models import Certificate, CoursePage, Enrolment, LessonCompletion, LessonPage, ModulePage


@dataclass
class Activity:
    """A lesson or quiz in a course outline."""

    page: object
    kind: str  # "lesson" or "quiz"
    required: bool
    minutes: int | None = None


@dataclass
class ModuleOutline:
    page: ModulePage
    activities: list = field(default_factory=list)


@dataclass
class Progress:
    required_total: int
    required_done: int
    completed_lesson_ids: set
    passed_quiz_ids: set

    @property
    def percent(self):
        if not self.required_total:
            return 100
        return round(100 * self.required_done / self.required_total)

    @property
    def is_complete(self):
        return self.required_done >= self.required_total


def course_outline(*, course):
    """The live modules of ``course`` in order, each with its live lessons and quizzes in
    order. Three queries whatever the size of the course."""
    modules = list(ModulePage.objects.live().child_of(course).order_by("path"))
    by_path = {module.path: ModuleOutline(page=module) for module in modules}
    lessons = (
        LessonPage.objects.live()
        .descendant_of(course)
        .only("id", "title", "slug", "path", "depth", "url_path", "required", "estimated_minutes")
    )
    quizzes = (
        QuizPage.objects.live()
        .descendant_of(course)
        .only("id", "title", "slug", "path", "depth", "url_path", "required")
    )
    activities = [
        Activity(
            page=lesson, kind="lesson", required=lesson.required, minutes=lesson.estimated_minutes
        )
        for lesson in lessons
    ] + [Activity(page=quiz, kind="quiz", required=quiz.required) for quiz in quizzes]
    for activity in sorted(activities, key=lambda activity: activity.page.path):
        module = by_path.get(activity.page.path[: -activity.page.steplen])
        if module is not None:
            module.activities.append(activity)
    return [by_path[module.path] for module in modules]


def course_progress(*, user, course, outline=None):
    """How far ``user`` is through ``course``: required activities done of the total."""
    outline = outline if outline is not None else course_outline(course=course)
    activities = [activity for module in outline for activity in module.activities]
    lesson_ids = [activity.page.pk for activity in activities if activity.kind == "lesson"]
    completed = set(
        LessonCompletion.objects.filter(user=user, lesson_id__in=lesson_ids).values_list(
            "lesson_id", flat=True
        )
    )
    has_quiz = any(activity.kind == "quiz" for activity in activities)
    passed = set(quiz_services.passed_quiz_ids(user, course)) if has_quiz else set()
    required = [activity for activity in activities if activity.required]
    done = sum(
        1
        for activity in required
        if (
            activity.page.pk in passed if activity.kind == "quiz" else activity.page.pk in completed
        )
    )
    return Progress(
        required_total=len(required),
        required_done=done,
        completed_lesson_ids=completed,
        passed_quiz_ids=passed,
    )


def dashboard_for(*, user):
    """The "My learning" dashboard: enrolments in progress and completed, with progress
    figures computed in bulk, and the user's certificates."""
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .select_related("course", "course__provider", "last_activity")
        .order_by("-last_accessed_at", "-enrolled_at")
    )
    required_lessons = {}
    completed_lessons = {}
    # "Resume" leads to the first required lesson or quiz not done yet, in course order.
    resume_ids = {}
    courses = {enrolment.course_id: enrolment.course for enrolment in enrolments}
    if courses:
        # One query each for the required lessons and the user's completions of all courses.
        lesson_rows = LessonPage.objects.live().filter(required=True)
        path_filter = Q()
        for course in courses.values():
            path_filter |= Q(path__startswith=course.path)
        lesson_rows = list(lesson_rows.filter(path_filter).values_list("pk", "path"))
        done_ids = set(
            LessonCompletion.objects.filter(
                user=user, lesson_id__in=[pk for pk, _path in lesson_rows]
            ).values_list("lesson_id", flat=True)
        )
        quiz_rows = list(
            QuizPage.objects.live()
            .filter(required=True)
            .filter(path_filter)
            .values_list("pk", "path")
        )
        for course in courses.values():
            lessons = [pk for pk, path in lesson_rows if path.startswith(course.path)]
            quizzes = [pk for pk, path in quiz_rows if path.startswith(course.path)]
            passed = set(quiz_services.passed_quiz_ids(user, course)) if quizzes else set()
            required_lessons[course.pk] = len(lessons) + len(quizzes)
            not_done = sorted(
                [
                    (path, pk)
                    for pk, path in lesson_rows
                    if path.startswith(course.path) and pk not in done_ids
                ]
                + [
                    (path, pk)
                    for pk, path in quiz_rows
                    if path.startswith(course.path) and pk not in passed
                ]
            )
            if not_done:
                resume_ids[course.pk] = not_done[0][1]
            completed_lessons[course.pk] = sum(1 for pk in lessons if pk in done_ids) + sum(
                1 for pk in quizzes if pk in passed
            )
    resume_pages = Page.objects.in_bulk(list(resume_ids.values())) if resume_ids else {}
    for enrolment in enrolments:
        enrolment.resume_activity = (
            resume_pages.get(resume_ids.get(enrolment.course_id)) or enrolment.last_activity
            if enrolment.last_activity_id
            else None
        )
        total = required_lessons.get(enrolment.course_id, 0)
        done = completed_lessons.get(enrolment.course_id, 0)
        enrolment.progress_percent = 100 if not total else round(100 * done / total)
        enrolment.progress_done = done
        enrolment.progress_total = total
    certificates = list(Certificate.objects.filter(user=user).order_by("-issued_at"))
    return {
        "in_progress": [enrolment for enrolment in enrolments if not enrolment.is_completed],
        "completed": [enrolment for enrolment in enrolments if enrolment.is_completed],
        "certificates": certificates,
    }


def hidden_activities_condition(*, user):
    """A Q on Page matching the modules, lessons and quizzes of the key-protected courses that
    ``user`` is not enrolled in: search, the sitemap and feeds must not list them (their titles
    and text are for the people who have the key). One query."""
    courses = CoursePage.objects.exclude(enrolment_key="")
    if user is not None and user.is_authenticated:
        courses = courses.exclude(enrolments__user=user)
    condition = Q(pk__in=[])
    for path, depth in courses.values_list("path", "depth"):
        condition |= Q(path__startswith=path, depth__gt=depth)
    return condition


@dataclass
class PlatformLook:
    name: str
    colour: str


def platform_look():
    """The platform's name and colour from the default site's "Site look" setting (themes),
    falling back on WAGTAIL_SITE_NAME: printed on both certificate designs and the badges."""
    name, colour = settings.WAGTAIL_SITE_NAME, "#1d5c4d"
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and apps.is_installed("themes"):
        look = apps.get_model("themes", "SiteLook").for_site(site)
        name = look.site_name or name
        colour = getattr(look, "primary_colour", "") or colour
    return PlatformLook(name=name, colour=colour)


def credential_verification(*, jwt):
    """Verify a pasted or uploaded Open Badges credential: the signature (this platform's
    keys), then the certificate's record: revoked, expired (by the record or the credential's
    ``exp``) or valid. Returns a ``badges.Verification`` with ``certificate`` set when found."""
    result = badges.verify_jwt(jwt)
    result.certificate = None
    if result.outcome != badges.Outcome.VALID:
        return result
    credential_id = str(result.credential.get("jti", ""))
    code = credential_id.rstrip("/").rsplit("/", 1)[-1]
    certificate = Certificate.objects.filter(code=code).first() if code else None
    if certificate is None:
        result.outcome = badges.Outcome.INVALID
        result.message = _("This platform has no certificate with this credential's identifier.")
        return result
    result.certificate = certificate
    expires = result.credential.get("exp")
    if certificate.status == Certificate.Status.REVOKED:
        result.outcome = badges.Outcome.REVOKED
    elif certificate.status == Certificate.Status.EXPIRED or (
        isinstance(expires, int) and expires < timezone.now().timestamp()
    ):
        result.outcome = badges.Outcome.EXPIRED
    return result
