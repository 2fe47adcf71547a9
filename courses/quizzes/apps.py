from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "courses.quizzes"
    label = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from .signal_handlers import grant_question_bank_permissions

        post_migrate.connect(grant_question_bank_permissions, sender=self)
