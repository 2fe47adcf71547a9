from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = _("Materials exchange")

    def ready(self):
        # Registers the Celery tasks that services queue by name (exchange.jobs).
        from . import tasks  # noqa: F401
