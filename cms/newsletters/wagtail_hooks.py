from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from cms.hooks import HOME_PANELS, LOAD_DEMO, NOTIFICATION_TOPICS, HomePanel
from cms.notifications.models import Frequency
from cms.notifications.topics import NotificationTopic

from . import demo
from .models import NEWSLETTER_TOPIC, Subscription


@hooks.register(NOTIFICATION_TOPICS)
def newsletter_topics():
    return [
        NotificationTopic(
            key=NEWSLETTER_TOPIC,
            label=_("the newsletter of a partner region"),
            default=Frequency.OFF,  # only the double opt-in turns it on
            frequencies=(Frequency.INSTANT, Frequency.OFF),
            describe=lambda region: region.name,
            settings_url="newsletters:subscribe",
        )
    ]


@hooks.register(HOME_PANELS)
def newsletter_signup_panel(request):
    # Only the e-mail field here, so the home page runs no query for the list of regions;
    # the sign-up page asks for the regions.
    return HomePanel(
        title=_("Regional newsletters"), template="newsletters/home_panel.html", order=900
    )


@hooks.register(LOAD_DEMO, order=190)
def load_newsletters_demo(*, stdout, style):
    demo.load(stdout=stdout, style=style)


class SubscriptionIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().with_receiving()


class SubscriptionViewSet(ModelViewSet):
    """Subscriptions in the admin (Newsletters → Subscribers), for partner staff to see who
    subscribed and to delete an address on request. Needs the model's permissions."""

    model = Subscription
    icon = "mail"
    menu_label = _("Newsletter subscribers")
    add_to_admin_menu = True
    menu_order = 800
    index_view_class = SubscriptionIndexView
    list_display = [
        "email",
        "region",
        "language",
        "confirmed_at",
        BooleanColumn("receiving", label=_("receiving")),
    ]
    list_filter = ["region", "language"]
    search_fields = ["email"]
    search_backend_name = None  # plain database lookups on the e-mail address
    form_fields = ["email", "region", "language", "confirmed_at"]
    ordering = ["-created_at"]


@hooks.register("register_admin_viewset")
def register_subscription_viewset():
    return SubscriptionViewSet("newsletter_subscriptions")
