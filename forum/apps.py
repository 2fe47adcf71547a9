from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Machina's app configs are told their auto field here: Django creates every app config before
# it imports any model, so this runs in time wherever "forum" stands in INSTALLED_APPS.
from . import machina_compat  # noqa: F401


class ForumConfig(AppConfig):
    name = "forum"
    # machina's own forum app already holds the label "forum".
    label = "working_groups"
    verbose_name = _("Working groups")

    def ready(self):
        from . import machina_overrides, signal_handlers

        machina_overrides.apply()
        signal_handlers.connect(self)
