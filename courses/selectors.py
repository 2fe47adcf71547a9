"""Reads of the training platform reused by pages, views, hooks and services."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db.models import (
    DecimalField,
    Exists,
    F,
    Max,
    OuterRef,
    PositiveIntegerField,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, Site

from cms import tablecache
from cms.accounts.models import User
from cms.directory.models import Organisation, Region
from cms.selectors import exclude_private
from courses import badges
from courses.quizzes import selectors as quiz_selectors
from courses.quizzes.models import QuizPage

from .models import (
    Certificate,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    ModulePage,
)


@dataclass
class Activity:
    """A lesson or quiz in a course outline."""

    page: LessonPage | QuizPage
    kind: str  # "lesson" or "quiz"
    required: bool
    minutes: int | None = None


@dataclass
class ModuleOutline:
    page: ModulePage
    activities: list[Activity] = field(default_factory=list)


@dataclass
class Progress:
    required_total: int
    required_done: int
    completed_lesson_ids: set[int]
    passed_quiz_ids: set[int]
    # The first required lesson or quiz not done yet, in course order (None when all are).
    next_activity: LessonPage | QuizPage | None = None

    @property
    def percent(self) -> int:
        if not self.required_total:
            return 100
        return round(100 * self.required_done / self.required_total)

    @property
    def is_complete(self) -> bool:
        return self.required_done >= self.required_total


# Each page of an outline is read as its own type through Page's links to the page types'
# tables (one LEFT JOIN each), with the fields the outline and the progress use.
OUTLINE_TYPES = ("modulepage", "lessonpage", "quizpage")
OUTLINE_FIELDS = (
    "id",
    "title",
    "slug",
    "path",
    "depth",
    "url_path",
    "modulepage__summary",
    "lessonpage__required",
    "lessonpage__estimated_minutes",
    "quizpage__required",
    "quizpage__pass_mark",
    "quizpage__grading_method",
)


def course_outline(*, course: CoursePage) -> list[ModuleOutline]:
    """The live modules of ``course`` in order, each with its live lessons and quizzes in
    order: the same for every learner, so kept until a page of any type is written
    (cms/tablecache.py; the course, lesson and quiz pages show it on every visit). One query
    whatever the size of the course when it is not kept; each caller gets its own copy."""
    return tablecache.cached(
        "course-outline",
        course.pk,
        tables=tablecache.page_tables(),
        compute=lambda: _read_course_outline(course),
    )


def _read_course_outline(course: CoursePage) -> list[ModuleOutline]:
    rows = (
        Page.objects.live()
        .descendant_of(course)
        .filter(depth__lte=course.depth + 2)
        .select_related(*OUTLINE_TYPES)
        .only(*OUTLINE_FIELDS)
        .order_by("path")
    )
    modules: list[ModuleOutline] = []
    by_path: dict[str, ModuleOutline] = {}
    for row in rows:
        page = next(
            (typed for name in OUTLINE_TYPES if (typed := getattr(row, name, None)) is not None),
            None,
        )
        if isinstance(page, ModulePage) and page.depth == course.depth + 1:
            by_path[page.path] = ModuleOutline(page=page)
            modules.append(by_path[page.path])
        elif isinstance(page, LessonPage | QuizPage) and page.depth == course.depth + 2:
            module = by_path.get(page.path[: -page.steplen])
            if module is None:
                continue
            module.activities.append(
                Activity(
                    page=page, kind="lesson", required=page.required, minutes=page.estimated_minutes
                )
                if isinstance(page, LessonPage)
                else Activity(page=page, kind="quiz", required=page.required)
            )
    return modules


def _completions_and_attempts(
    *, user: User, lesson_ids: list[int], quiz_ids: list[int]
) -> list[tuple[int, int | None, Decimal | None]]:
    """The lessons ``user`` completed and their finished attempts at the quizzes, in one
    query: rows of (page id, attempt number, percent), number and percent empty for a lesson.
    No query when there are neither lessons nor quizzes."""
    parts = []
    if lesson_ids:
        parts.append(
            LessonCompletion.objects.filter(user=user, lesson_id__in=lesson_ids)
            .order_by()
            .annotate(
                page_id=F("lesson_id"),
                attempt_number=Value(None, output_field=PositiveIntegerField()),
                attempt_percent=Value(
                    None, output_field=DecimalField(max_digits=7, decimal_places=4)
                ),
            )
            .values_list("page_id", "attempt_number", "attempt_percent")
        )
    if quiz_ids:
        parts.append(quiz_selectors.finished_attempt_rows(user, quiz_ids))
    return list(parts[0].union(*parts[1:], all=True)) if parts else []


def course_progress(
    *, user: User, course: CoursePage, outline: list[ModuleOutline] | None = None
) -> Progress:
    """How far ``user`` is through ``course``: required activities done of the total."""
    outline = outline if outline is not None else course_outline(course=course)
    activities = [activity for module in outline for activity in module.activities]
    lesson_ids = [activity.page.pk for activity in activities if activity.kind == "lesson"]
    quizzes = [activity.page for activity in activities if activity.kind == "quiz"]
    rows = _completions_and_attempts(
        user=user, lesson_ids=lesson_ids, quiz_ids=[quiz.pk for quiz in quizzes]
    )
    lesson_id_set = set(lesson_ids)
    completed = {page_id for page_id, _number, _percent in rows if page_id in lesson_id_set}
    # The outline's quizzes carry their pass mark and grading method.
    passed = quiz_selectors.passed_in(quizzes, rows)
    required = [activity for activity in activities if activity.required]
    done = sum(
        1
        for activity in required
        if (
            activity.page.pk in passed if activity.kind == "quiz" else activity.page.pk in completed
        )
    )
    not_done = [
        activity
        for activity in required
        if activity.page.pk not in (passed if activity.kind == "quiz" else completed)
    ]
    return Progress(
        required_total=len(required),
        required_done=done,
        completed_lesson_ids=completed,
        passed_quiz_ids=passed,
        next_activity=not_done[0].page if not_done else None,
    )


def course_provider_and_region(*, course: CoursePage) -> tuple[Any, Any]:
    """The provider organisation and the region (or None) of ``course``, for its facts box:
    one query for both, where reading them from the page makes one each; kept until a page,
    an organisation or a region is written (cms/tablecache.py): the same for every visitor."""

    def read() -> tuple[Any, Any]:
        row = (
            CoursePage.objects.filter(pk=course.pk)
            .select_related("provider", "region")
            .only("id", "provider", "region")
            .get()
        )
        return row.provider, row.region

    return tablecache.cached(
        "course-provider-and-region",
        course.pk,
        tables=tablecache.page_tables() | tablecache.tables_of(Organisation, Region),
        compute=read,
    )


def parent_url(*, page: Page, request: Any = None) -> str:
    """The URL of ``page``'s parent (a breadcrumb), cut from the page's own URL (its last slug)
    instead of reading the parent."""
    url = page.get_url(request) or ""
    suffix = f"{page.slug}/"
    if url.endswith(suffix) and len(url) > len(suffix):
        return url[: -len(suffix)]
    parent = page.get_parent()
    return (parent.get_url(request) if parent is not None else None) or "/"


def enrolment_stamp(*, user: User | AnonymousUser, course: CoursePage) -> str | None:
    """What tells ``user``'s enrolment in ``course`` apart from before their last visit (its id
    and the time of that visit), or None when they are not enrolled: one narrow query, for the
    key of the course page kept for them (the enrolment itself is read when the page is made)."""
    if not user.is_authenticated:
        return None
    row = (
        Enrolment.objects.filter(user=user, course=course)
        .values_list("pk", "last_accessed_at")
        .first()
    )
    return None if row is None else f"{row[0]}:{row[1]}"


def enrolment_of(*, user: User | AnonymousUser, course: CoursePage) -> Enrolment | None:
    """``user``'s enrolment in ``course`` (with the last visited activity, and
    ``has_certificate``: whether they hold a certificate of the course), or None. One query."""
    if not user.is_authenticated:
        return None
    return (
        Enrolment.objects.filter(user=user, course=course)
        .select_related("last_activity")
        .annotate(
            has_certificate=Exists(
                Certificate.objects.filter(user=OuterRef("user_id"), course=OuterRef("course_id"))
            )
        )
        .first()
    )


def activity_enrolment(*, user: User | AnonymousUser, page: Any) -> Enrolment | None:
    """``user``'s enrolment in the course of ``page`` (a lesson or quiz), or None: one query
    for the enrolment, the course being kept (``page.get_course()``). (The last visited
    activity is not read: the visit being served replaces it, and only the course page and
    My learning show it.)"""
    if not user.is_authenticated:
        return None
    return Enrolment.objects.of_activity(user=user, page=page)


def enrolment_states(*, user: User | AnonymousUser) -> dict[int, str]:
    """{course id: "enrolled" or "completed"} of ``user``'s enrolments (the catalogue's
    badges). One query; empty for an anonymous visitor."""
    if not user.is_authenticated:
        return {}
    return {
        course_id: ("completed" if completed_at else "enrolled")
        for course_id, completed_at in Enrolment.objects.filter(user=user).values_list(
            "course_id", "completed_at"
        )
    }


def learning_stamp(*, user: User) -> str:
    """What My learning shows that a write to the database does not announce (cms/pagecache.py
    leaves the stamp of a lesson visit out, so a visit does not empty every kept page): the
    member's latest visit, which orders the courses in progress and says where to resume, and
    today's date, against which certificates expire. A kept dashboard is keyed by it. One
    query."""
    latest = Enrolment.objects.filter(user=user).aggregate(latest=Max("last_accessed_at"))
    return f"{latest['latest'] and latest['latest'].isoformat()}|{timezone.localdate()}"


# My learning shows this many courses and certificates a page in each of its lists (Moodle's
# course overview shows 12 too): a member with 200 courses gets the first twelve in progress,
# not 200 cards with their progress worked out.
DASHBOARD_PAGE_SIZE = 12


def dashboard_for(
    *,
    user: User,
    in_progress_page: Any = None,
    completed_page: Any = None,
    certificates_page: Any = None,
) -> dict[str, Any]:
    """The "My learning" dashboard: a page of the courses in progress (last visited first) with
    their progress figures computed in bulk, a page of the completed ones (latest first) and a
    page of the user's certificates. The pages are numbers from the address (anything else
    gives the first or last page, as ``Paginator.get_page`` does)."""
    enrolments = Enrolment.objects.filter(user=user)
    # The page is chosen on the enrolments alone, then its twelve are read with their courses:
    # sorting them joined to the pages made PostgreSQL join every page of the site first.
    # Courses never visited come after the visited ones (PostgreSQL puts NULLs first when
    # sorting down; SQLite last).
    in_progress = Paginator(
        enrolments.in_progress()
        .order_by(F("last_accessed_at").desc(nulls_last=True), "-enrolled_at", "-pk")
        .values_list("pk", flat=True),
        DASHBOARD_PAGE_SIZE,
    ).get_page(in_progress_page)
    shown = enrolments.select_related("course", "course__provider").in_bulk(
        list(in_progress.object_list)
    )
    in_progress.object_list = [shown[pk] for pk in in_progress.object_list if pk in shown]
    _add_progress(user=user, enrolments=in_progress.object_list)
    completed = Paginator(
        enrolments.select_related("course").completed().order_by("-completed_at", "-pk"),
        DASHBOARD_PAGE_SIZE,
    ).get_page(completed_page)
    certificates = Paginator(
        Certificate.objects.filter(user=user).order_by("-issued_at", "-pk"), DASHBOARD_PAGE_SIZE
    ).get_page(certificates_page)
    return {"in_progress": in_progress, "completed": completed, "certificates": certificates}


def _add_progress(*, user: User, enrolments: list[Any]) -> None:
    """Give each enrolment its progress (``progress_percent``, ``progress_done``,
    ``progress_total``) and ``resume_activity``: the first required lesson or quiz not done yet
    in course order, else the activity last opened. Three queries however many enrolments
    there are. (Enrolments, typed ``Any``: the attributes are the dashboard's, not the model's.)"""
    required_lessons: dict[int, int] = {}
    completed_lessons: dict[int, int] = {}
    resume_ids = {}
    courses = {enrolment.course_id: enrolment.course for enrolment in enrolments}
    if courses:
        # The required lessons and quizzes of all the courses in one query (the quizzes with
        # their pass mark and grading method), then the learner's completions and finished
        # attempts at them in another.
        path_filter = Q()
        for course in courses.values():
            path_filter |= Q(path__startswith=course.path)
        # Read as values: a learner with 200 courses has some 2,000 of them, and a Page object
        # each cost more than the rest of the page.
        activities = (
            Page.objects.live()
            .filter(path_filter)
            .filter(Q(lessonpage__required=True) | Q(quizpage__required=True))
            .values_list("pk", "path", "quizpage__pass_mark", "quizpage__grading_method")
        )
        quizzes: list[quiz_selectors.QuizRule] = []
        lesson_rows: list[tuple[int, str]] = []
        quiz_rows: list[tuple[int, str]] = []
        for pk, path, pass_mark, grading_method in activities:
            if grading_method is None:
                lesson_rows.append((pk, path))
            else:
                quizzes.append(quiz_selectors.QuizRule(pk, pass_mark, grading_method))
                quiz_rows.append((pk, path))
        quiz_id_set = {quiz.pk for quiz in quizzes}
        rows = _completions_and_attempts(
            user=user, lesson_ids=[pk for pk, _path in lesson_rows], quiz_ids=list(quiz_id_set)
        )
        done_ids = {page_id for page_id, _number, _percent in rows if page_id not in quiz_id_set}
        passed = quiz_selectors.passed_in(quizzes, rows)
        # Each activity counted for its course, found from its path's ancestors (courses are
        # not nested): one pass, however many courses the learner has.
        course_at = {course.path: course.pk for course in courses.values()}

        def course_of(path: str) -> int | None:
            for end in range(Page.steplen, len(path), Page.steplen):
                if path[:end] in course_at:
                    return course_at[path[:end]]
            return None

        not_done: dict[int, list] = {}
        for rows_of_kind, finished in ((lesson_rows, done_ids), (quiz_rows, passed)):
            for pk, path in rows_of_kind:
                course_id = course_of(path)
                if course_id is None:
                    continue
                required_lessons[course_id] = required_lessons.get(course_id, 0) + 1
                if pk in finished:
                    completed_lessons[course_id] = completed_lessons.get(course_id, 0) + 1
                else:
                    not_done.setdefault(course_id, []).append((path, pk))
        resume_ids = {course_id: min(rows)[1] for course_id, rows in not_done.items()}
    # A learner who has done every required activity goes back to the last one they opened.
    wanted = {*resume_ids.values()} | {
        enrolment.last_activity_id
        for enrolment in enrolments
        if enrolment.course_id not in resume_ids and enrolment.last_activity_id
    }
    pages = Page.objects.in_bulk(list(wanted)) if wanted else {}
    for enrolment in enrolments:
        enrolment.resume_activity = pages.get(resume_ids.get(enrolment.course_id)) or pages.get(
            enrolment.last_activity_id
        )
        total = required_lessons.get(enrolment.course_id, 0)
        done = completed_lessons.get(enrolment.course_id, 0)
        enrolment.progress_percent = 100 if not total else round(100 * done / total)
        enrolment.progress_done = done
        enrolment.progress_total = total


def catalogue_url() -> str:
    """The course catalogue's URL (the first live catalogue page, else /courses/), kept until a
    page, a site or a locale is written (cms/tablecache.py): site search and the home panels
    link to it on every visit."""

    def read() -> str:
        catalogue = CourseIndexPage.objects.live().first()
        return catalogue.url if catalogue else "/courses/"

    return tablecache.cached(
        "course-catalogue-url",
        get_language() or "",
        tables=tablecache.tables_of(CourseIndexPage, Site, Locale),
        compute=read,
    )


def hidden_activities_condition(*, user: User | AnonymousUser | None) -> Q:
    """A Q on Page matching the modules, lessons and quizzes of the key-protected courses that
    ``user`` is not enrolled in: search, the sitemap and feeds must not list them (their titles
    and text are for the people who have the key). One query, kept until a course or an
    enrolment is written (cms/tablecache.py): site search asks twice."""
    member = user if user is not None and user.is_authenticated else None

    def read() -> list[tuple[str, int]]:
        courses = CoursePage.objects.exclude(enrolment_key="")
        if member is not None:
            courses = courses.exclude(enrolments__user=member)
        return list(courses.values_list("path", "depth"))

    condition = Q(pk__in=[])
    for path, depth in tablecache.cached(
        "hidden-course-activities",
        member.pk if member is not None else "anonymous",
        tables=tablecache.tables_of(CoursePage, Enrolment),
        compute=read,
    ):
        condition |= Q(path__startswith=path, depth__gt=depth)
    return condition


@dataclass
class PlatformLook:
    name: str
    colour: str


def platform_look() -> PlatformLook:
    """The platform's name and colour from the default site's "Site look" setting (themes),
    falling back on WAGTAIL_SITE_NAME: printed on both certificate designs and the badges."""
    name, colour = settings.WAGTAIL_SITE_NAME, "#1d5c4d"
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and apps.is_installed("themes"):
        look = apps.get_model("themes", "SiteLook").for_site(site)
        name = look.site_name or name
        colour = getattr(look, "primary_colour", "") or colour
    return PlatformLook(name=name, colour=colour)


def credential_verification(*, jwt: str) -> badges.Verification:
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


# Site search (cms.hooks.SEARCH_RESULTS) ----------------------------------------------------------

COURSE_SEARCH_MODELS = ("courses.CoursePage", "courses.ExternalCoursePage")
LESSON_SEARCH_MODELS = ("courses.LessonPage", "quizzes.QuizPage", "courses.ModulePage")


def page_types_condition(model_labels: tuple[str, ...]) -> Q:
    """A Q on wagtailcore.Page matching the pages of those types (by content type)."""
    from django.contrib.contenttypes.models import ContentType

    models = [apps.get_model(label) for label in model_labels]
    types = ContentType.objects.get_for_models(*models, for_concrete_models=False)
    return Q(content_type_id__in=sorted(content_type.pk for content_type in types.values()))


def searchable_course_pages(
    *, user: User | AnonymousUser | None, locale: Any, region: Any = None
) -> QuerySet[Page]:
    """Live public pages of the course catalogue in ``locale`` that site search may show
    ``user``: the modules, lessons and quizzes of key-protected courses only to their enrolled
    learners (``hidden_activities_condition``); with ``region``, only of courses (and external
    courses) of that region. Narrow it with ``page_types_condition``."""
    pages = (
        exclude_private(Page.objects.live())
        .filter(locale=locale)
        .exclude(hidden_activities_condition(user=user))
    )
    if region is not None:
        courses = CoursePage.objects.filter(region=region).values_list("path", flat=True)
        external = apps.get_model("courses", "ExternalCoursePage").objects.filter(region=region)
        condition = Q(pk__in=external.values("pk"))
        for path in courses:
            condition |= Q(path__startswith=path)
        pages = pages.filter(condition)
    return pages


def courses_of_pages(pages: list[Page]) -> dict[int, CoursePage | None]:
    """{page id: the CoursePage it belongs to} for lessons, quizzes and modules: one query."""
    step = CoursePage.steplen
    prefixes = {
        page.pk: [page.path[:end] for end in range(step, len(page.path), step)] for page in pages
    }
    courses = {
        course.path: course
        for course in CoursePage.objects.filter(
            path__in={path for paths in prefixes.values() for path in paths}
        ).only("title", "path", "url_path")
    }
    return {
        pk: next((courses[path] for path in paths if path in courses), None)
        for pk, paths in prefixes.items()
    }
