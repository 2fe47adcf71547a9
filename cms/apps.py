from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _setup_regional_editing(**kwargs):
    from cms.editing import regional_editing_setup

    regional_editing_setup()


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = _("Virtual Centre")

    def ready(self):
        # Region editor groups and the moderation workflow exist after every migrate.
        post_migrate.connect(
            _setup_regional_editing, sender=self, dispatch_uid="cms_regional_editing"
        )
