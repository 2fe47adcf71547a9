from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Training")

    def ready(self):
        from .services import on_activity_completed
        from .signals import activity_completed

        activity_completed.connect(on_activity_completed, dispatch_uid="courses.completion")
