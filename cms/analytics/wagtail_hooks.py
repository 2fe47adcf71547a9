from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.hooks import LOAD_DEMO
from cms.pagecache import count_on_hit

from . import dashboard, media_log, report


@hooks.register("before_serve_page", order=10)  # after Wagtail's privacy check
def note_served_page(page, request, serve_args, serve_kwargs):
    """The page being served, for the view-count middleware (cms.analytics.middleware), which
    counts the view with its section and region. Previews never reach this hook. A page the
    page cache stores names its page again on each hit (cms/pagecache.py, count_on_hit)."""
    request.analytics_page_id = page.pk
    count_on_hit(request, "analytics.page", page.pk)


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(report.PERMISSION)


@hooks.register("register_reports_menu_item")
def register_dissemination_report():
    return ReportMenuItem(
        _("Dissemination"),
        reverse("analytics_report"),
        name="dissemination",
        icon_name="view",
        order=900,
    )


@hooks.register("register_reports_menu_item")
def register_dissemination_dashboard():
    return ReportMenuItem(
        _("Dissemination dashboard"),
        reverse("analytics_dashboard"),
        name="dissemination-dashboard",
        icon_name="view",
        order=901,
    )


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("analytics.add_socialpost")


@hooks.register("register_reports_menu_item")
def register_social_import():
    return ImportMenuItem(
        _("Import social-media posts"),
        reverse("analytics_social_import"),
        name="social-import",
        icon_name="upload",
        order=902,
    )


@hooks.register("register_admin_urls")
def register_report_url():
    return [
        path("reports/dissemination/", report.dissemination_report, name="analytics_report"),
        path(
            "reports/dissemination/dashboard/",
            dashboard.dissemination_dashboard,
            name="analytics_dashboard",
        ),
        path(
            "reports/dissemination/social-import/",
            media_log.social_import,
            name="analytics_social_import",
        ),
    ]


@hooks.register("register_admin_viewset")
def register_media_log():
    return media_log.MediaLogViewSetGroup()


@hooks.register(LOAD_DEMO, order=200)
def load_analytics_demo(*, stdout, style):
    from . import demo

    demo.load(stdout=stdout, style=style)
