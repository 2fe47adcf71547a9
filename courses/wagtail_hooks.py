"""What the training platform plugs into the core and into the Wagtail admin."""

from urllib.parse import urlencode

from django.urls import include, path, reverse
from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from cms.discovery import active_locale
from cms.highlight import highlight
from cms.hooks import (
    BENCH_PAGES,
    HIDDEN_PAGES,
    HOME_PANELS,
    IMPACT_FIGURES,
    LOAD_DEMO,
    ORGANISATION_LINKS,
    PERSONAL_DATA,
    PERSONAL_DATA_ERASE,
    SEARCH_RESULTS,
    SECTION_PANELS,
    SEED_SCALE,
    USER_MENU_ITEMS,
    Figure,
    HitList,
    HomePanel,
    LinkedGroup,
    LinkedItem,
    SearchGroup,
    SearchHit,
    same_for_everyone,
)
from cms.hooks import MenuItem as UserMenuItem

from . import admin_views, privacy, selectors, views
from .hooks import PAGE_CONTEXT
from .models import Certificate, CourseIndexPage, CoursePage, LessonPage


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path(
            "<int:course_id>/certificates/",
            admin_views.course_certificates,
            name="course_certificates",
        ),
        path(
            "<int:course_id>/certificates.zip",
            admin_views.course_certificates_zip,
            name="course_certificates_zip",
        ),
        path(
            "<int:course_id>/certificates/regenerate/",
            admin_views.course_certificates_regenerate,
            name="course_certificates_regenerate",
        ),
        path(
            "certificates/<int:pk>/revoke/",
            admin_views.certificate_revoke,
            name="certificate_revoke",
        ),
        path("report/", admin_views.CourseReportView.as_view(), name="report"),
        path(
            "report/results/",
            admin_views.CourseReportView.as_view(results_only=True),
            name="report_results",
        ),
    ]
    return [path("courses/", include((urls, "courses_admin"), namespace="courses_admin"))]


class CourseReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("wagtailadmin.access_admin")


@hooks.register("register_reports_menu_item")
def register_course_report_menu_item():
    return CourseReportMenuItem(
        _("Course enrolments"), reverse("courses_admin:report"), icon_name="group", order=700
    )


@hooks.register("register_page_listing_more_buttons")
def course_certificates_button(page, user, next_url=None):
    if (
        isinstance(page.specific_deferred, CoursePage)
        and page.permissions_for_user(user).can_edit()
    ):
        yield Button(
            _("Certificates"),
            reverse("courses_admin:course_certificates", args=[page.pk]),
            priority=60,
        )


# Extension points of the core (cms/hooks.py) ----------------------------------------------------
def _course_cards(queryset, limit):
    return list(
        queryset.live()
        .select_related("provider", "region", "listing_image")
        .order_by("-featured", "title")[:limit]
    )


# The pages' learner state (courses/hooks.py): built by the views, so the models need not import
# the selectors and services above them.
@hooks.register(PAGE_CONTEXT)
def training_page_context(page, request):
    if isinstance(page, CourseIndexPage):
        return views.catalogue_context(request, page)
    if isinstance(page, CoursePage):
        return views.course_context(request, page)
    if isinstance(page, LessonPage):
        return views.lesson_context(request, page)
    return None


@hooks.register("before_serve_page", order=5)  # after Wagtail's privacy check
def lesson_gate(page, request, serve_args, serve_kwargs):
    """Only enrolled learners read a lesson (views.lesson_before_serve); previews skip this."""
    if isinstance(page, LessonPage):
        return views.lesson_before_serve(request, page)
    return None


@hooks.register(HOME_PANELS)
@same_for_everyone
def featured_courses_panel(request):
    courses = _course_cards(CoursePage.objects.filter(featured=True), 3)
    if not courses:
        return None
    return HomePanel(
        title=_("Featured training"),
        template="courses/includes/home_panel.html",
        context={"courses": courses, "catalogue_url": selectors.catalogue_url()},
        order=20,
    )


@hooks.register(SECTION_PANELS)
def training_section_panel(section, request):
    if section != "training":
        return None
    courses = _course_cards(CoursePage.objects.all(), 6)
    return HomePanel(
        title=_("Courses of the training platform"),
        template="courses/includes/home_panel.html",
        context={"courses": courses, "catalogue_url": selectors.catalogue_url()},
        order=10,
    )


@hooks.register(ORGANISATION_LINKS)
def organisation_courses(organisation, request):
    courses = CoursePage.objects.live().filter(provider=organisation).order_by("title")
    return LinkedGroup(
        title=_("Courses provided"),
        items=[
            LinkedItem(title=course.title, url=course.url, description=course.summary)
            for course in courses
        ],
        order=20,
    )


@hooks.register(USER_MENU_ITEMS)
def my_learning_menu_item(request):
    if not request.user.is_authenticated:
        return None
    return UserMenuItem(label=_("My learning"), url=reverse("courses:dashboard"), order=10)


@hooks.register(IMPACT_FIGURES)
def certificates_issued_figure():
    return [
        Figure(
            label=_("training certificates issued"),
            value=Certificate.objects.filter(revoked_at__isnull=True).count(),
            url=selectors.catalogue_url(),
            order=30,
        )
    ]


@hooks.register(HIDDEN_PAGES)
def hide_activities_of_key_protected_courses(user):
    return selectors.hidden_activities_condition(user=user)


def _stream_text(value):
    """The words of a StreamField's raw data (rich text, headings, list items), in order."""
    if isinstance(value, str):
        return [strip_tags(value)]
    if isinstance(value, dict):
        value = value.get("value", list(value.values()))
    if isinstance(value, list | tuple):
        return [text for item in value for text in _stream_text(item)]
    return []


def _page_text(page):
    for name in ("summary", "search_description"):
        if getattr(page, name, ""):
            return getattr(page, name)
    if getattr(page, "intro", ""):
        return strip_tags(str(page.intro))
    body = getattr(page, "body", None)
    return " ".join(_stream_text(body.raw_data)) if body is not None else ""


def _content_date(page):
    """An external course's start; else the day the course, lesson or quiz was published
    (the content's own date: not when it was indexed, not its last edit)."""
    return getattr(page, "start_date", None) or page.first_published_at


@hooks.register(SEARCH_RESULTS)
def course_search_results(query, request, *, region=None):
    """Courses (this platform's and external ones) and their lessons, quizzes and modules; the
    content of key-protected courses only for their enrolled learners."""
    searchable = selectors.searchable_course_pages(
        user=request.user, locale=active_locale(), region=region
    )

    def pages_of(model_labels):
        return (
            searchable.filter(selectors.page_types_condition(model_labels)).specific().search(query)
        )

    def course_hit(page):
        return SearchHit(
            title=page.title,
            url=page.get_url(request),
            date=_content_date(page),
            snippet=highlight(_page_text(page), query),
            kind_label=capfirst(page._meta.verbose_name),
        )

    def with_courses(pages):
        courses = selectors.courses_of_pages(pages)
        for page in pages:
            page.search_course = courses.get(page.pk)
        return pages

    def lesson_hit(page):
        kind = capfirst(page._meta.verbose_name)
        course = page.search_course
        return SearchHit(
            title=page.title,
            url=page.get_url(request),
            date=_content_date(page),
            snippet=highlight(_page_text(page), query),
            kind_label=(
                _("%(kind)s in %(course)s") % {"kind": kind, "course": course.title}
                if course
                else kind
            ),
        )

    return [
        SearchGroup(
            kind="courses",
            label=_("Courses"),
            results=HitList(pages_of(selectors.COURSE_SEARCH_MODELS), course_hit),
            more_url=f"{selectors.catalogue_url()}?{urlencode({'q': query})}",
            order=12,
            pages=selectors.page_types_condition(selectors.COURSE_SEARCH_MODELS),
        ),
        SearchGroup(
            kind="lessons",
            label=_("Lessons and quizzes"),
            results=HitList(
                pages_of(selectors.LESSON_SEARCH_MODELS), lesson_hit, prepare=with_courses
            ),
            order=13,
            pages=selectors.page_types_condition(selectors.LESSON_SEARCH_MODELS),
        ),
    ]


@hooks.register(LOAD_DEMO, order=200)
def load_courses_demo(*, stdout, style):
    # Imported when the command runs: the demo, scale and benchmark data builders are not loaded
    # with the site (they are large, and only manage.py load_demo/seed_scale/bench_pages use them).
    from . import demo

    demo.load(stdout=stdout, style=style)


@hooks.register(SEED_SCALE, order=200)
def seed_scale_courses(*, seed):
    # Imported when the command runs: the demo, scale and benchmark data builders are not loaded
    # with the site (they are large, and only manage.py load_demo/seed_scale/bench_pages use them).
    from .seed_scale import seed_courses

    seed_courses(seed=seed)


@hooks.register(PERSONAL_DATA)
def personal_data(user):
    return privacy.personal_data(user)


@hooks.register(PERSONAL_DATA_ERASE)
def erase_personal_data(user):
    privacy.erase_personal_data(user)


@hooks.register(BENCH_PAGES, order=200)
def bench_courses_pages(*, member):
    # Imported when the command runs: the demo, scale and benchmark data builders are not loaded
    # with the site (they are large, and only manage.py load_demo/seed_scale/bench_pages use them).
    from .bench_pages import training_pages

    return training_pages(member=member)
