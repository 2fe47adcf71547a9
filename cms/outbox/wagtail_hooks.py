from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


class OutboxMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.PERMISSION)


@hooks.register("register_settings_menu_item")
def register_outbox_menu_item():
    return OutboxMenuItem(
        _("E-mail outbox"), reverse("outbox_index"), name="outbox", icon_name="mail", order=900
    )


@hooks.register("register_admin_urls")
def register_outbox_urls():
    return [
        path("outbox/", views.outbox_index, name="outbox_index"),
        path("outbox/retry/", views.outbox_retry, name="outbox_retry"),
    ]
