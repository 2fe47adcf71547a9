from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewslettersConfig(AppConfig):
    name = "cms.newsletters"
    label = "newsletters"
    verbose_name = _("Newsletters")

    def ready(self):
        # Imported here: this module is loaded before the models exist (Django's rule).
        from . import signal_handlers

        signal_handlers.connect()
