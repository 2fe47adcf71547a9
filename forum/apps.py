from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    # machina's own forum app already holds the label "forum".
    label = "working_groups"
    verbose_name = _("Working groups")

    def ready(self):
        from . import machina_overrides, signal_handlers

        machina_overrides.apply()
        signal_handlers.connect(self)
