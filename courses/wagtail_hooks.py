"""What the training platform plugs into the core and into the Wagtail admin."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from cms.hooks import (
    HIDDEN_PAGES,
    HOME_PANELS,
    IMPACT_FIGURES,
    LOAD_DEMO,
    ORGANISATION_LINKS,
    PERSONAL_DATA,
    PERSONAL_DATA_ERASE,
    SECTION_PANELS,
    SEED_SCALE,
    USER_MENU_ITEMS,
    Figure,
    HomePanel,
    LinkedGroup,
    LinkedItem,
)
from cms.hooks import MenuItem as UserMenuItem

from . import admin_views, privacy, selectors
from .models import Certificate, CourseIndexPage, CoursePage


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
def _catalogue_url():
    catalogue = CourseIndexPage.objects.live().first()
    return catalogue.url if catalogue else "/courses/"


def _course_cards(queryset, limit):
    return list(
        queryset.live()
        .select_related("provider", "region", "listing_image")
        .order_by("-featured", "title")[:limit]
    )


@hooks.register(HOME_PANELS)
def featured_courses_panel(request):
    courses = _course_cards(CoursePage.objects.filter(featured=True), 3)
    if not courses:
        return None
    return HomePanel(
        title=_("Featured training"),
        template="courses/includes/home_panel.html",
        context={"courses": courses, "catalogue_url": _catalogue_url()},
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
        context={"courses": courses, "catalogue_url": _catalogue_url()},
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
            url=_catalogue_url(),
            order=30,
        )
    ]


@hooks.register(HIDDEN_PAGES)
def hide_activities_of_key_protected_courses(user):
    return selectors.hidden_activities_condition(user=user)


@hooks.register(LOAD_DEMO, order=200)
def load_courses_demo(*, stdout, style):
    from . import demo

    demo.load(stdout=stdout, style=style)


@hooks.register(SEED_SCALE, order=200)
def seed_scale_courses(*, seed):
    from .seed_scale import seed_courses

    seed_courses(seed=seed)


@hooks.register(PERSONAL_DATA)
def personal_data(user):
    return privacy.personal_data(user)


@hooks.register(PERSONAL_DATA_ERASE)
def erase_personal_data(user):
    privacy.erase_personal_data(user)
