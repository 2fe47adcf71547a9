from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cms.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Imported here: this module is loaded before the models exist (Django's rule).
        from .services import roles_grant_permissions

        # After the last app's permissions exist; sender=self would run before other apps'.
        post_migrate.connect(
            roles_grant_permissions, dispatch_uid="accounts_roles_grant_permissions"
        )
