from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "cms.events"
    label = "events"
    verbose_name = _("Event registration and B2B meetings")
