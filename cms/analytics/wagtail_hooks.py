from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.hooks import LOAD_DEMO

from . import report
from .services import is_bot, page_view_record


@hooks.register("before_serve_page", order=10)  # after Wagtail's privacy check
def count_page_view(page, request, serve_args, serve_kwargs):
    """One view of the page today. No cookie, no IP, no user is stored. Robots and people who
    work in the admin are not counted; previews never reach this hook."""
    if request.method != "GET" or is_bot(request.headers.get("User-Agent", "")):
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"):
        return None
    page_view_record(page_id=page.pk)
    return None


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


@hooks.register("register_admin_urls")
def register_report_url():
    return [path("reports/dissemination/", report.dissemination_report, name="analytics_report")]


@hooks.register(LOAD_DEMO, order=200)
def load_analytics_demo(*, stdout, style):
    from . import demo

    demo.load(stdout=stdout, style=style)
