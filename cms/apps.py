from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _setup_regional_editing(**kwargs):
    from cms.editing import regional_editing_setup

    regional_editing_setup()


def _sync_default_site(**kwargs):
    from cms.links import default_site_sync_quietly

    default_site_sync_quietly()


def _forget_private_paths(**kwargs):
    from django.core.cache import cache

    from cms.selectors import PRIVATE_PATHS_CACHE_KEY

    cache.delete(PRIVATE_PATHS_CACHE_KEY)


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = _("Virtual Centre")

    def ready(self):
        from .images import pillow_limit_set

        pillow_limit_set()
        # Region editor groups and the moderation workflow exist after every migrate.
        post_migrate.connect(
            _setup_regional_editing, sender=self, dispatch_uid="cms_regional_editing"
        )
        # The default site's hostname and port follow SITE_URL (cms/links.py).
        post_migrate.connect(_sync_default_site, sender=self, dispatch_uid="cms_default_site")
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import PageViewRestriction

        for signal in (post_save, post_delete):
            signal.connect(
                _forget_private_paths,
                sender=PageViewRestriction,
                dispatch_uid=f"cms_private_paths_{signal is post_save}",
            )
