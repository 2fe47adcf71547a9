from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Training")

    def ready(self):
        # Imported here: this module is loaded before the models exist (Django's rule).
        from . import signal_handlers

        signal_handlers.connect()
