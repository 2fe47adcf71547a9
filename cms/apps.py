from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = _("Virtual Centre")

    def ready(self):
        # Imported here, not at the top: this module is loaded before the models exist, and
        # ready() is where Django allows code that needs them.
        from . import signal_handlers
        from .catalogs import catalogues_merged
        from .choices import choice_labels_kept
        from .choosers import chooser_bad_ids_tolerated
        from .documents import documents_private_setup
        from .images import pillow_limit_set
        from .middleware import site_root_paths_kept

        choice_labels_kept()
        catalogues_merged()
        pillow_limit_set()
        chooser_bad_ids_tolerated()
        documents_private_setup()
        site_root_paths_kept()
        signal_handlers.connect(self)
