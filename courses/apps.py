from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _setup_training_providers(**kwargs):
    from .providers import training_providers_setup

    training_providers_setup()


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Training")

    def ready(self):
        from .services import on_activity_completed
        from .signals import activity_completed

        activity_completed.connect(on_activity_completed, dispatch_uid="courses.completion")
        # The "Training provider" role and the provider groups' page permissions.
        # After the last of the training apps, when the quiz and SCORM permissions exist.
        post_migrate.connect(
            _setup_training_providers,
            sender=apps.get_app_config("scorm"),
            dispatch_uid="courses_training_providers",
        )
