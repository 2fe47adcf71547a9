"""Receivers of the training platform, connected in CoursesConfig.ready()."""

from django.apps import apps
from django.db.models.signals import post_migrate

from .providers import training_providers_setup
from .services import on_activity_completed
from .signals import activity_completed, certificate_pdf_outdated
from .tasks import certificates_render_queue


def queue_certificate_pdfs(sender, *, certificate_ids, **kwargs):
    """A certificate was issued or its name changed: its PDF is (re)rendered by a worker."""
    certificates_render_queue(certificate_ids=certificate_ids)


def setup_training_providers(**kwargs):
    training_providers_setup()


def connect():
    activity_completed.connect(on_activity_completed, dispatch_uid="courses.completion")
    certificate_pdf_outdated.connect(queue_certificate_pdfs, dispatch_uid="courses.certificate_pdf")
    # The "Training provider" role and the provider groups' page permissions.
    # After the last of the training apps, when the quiz and SCORM permissions exist.
    post_migrate.connect(
        setup_training_providers,
        sender=apps.get_app_config("scorm"),
        dispatch_uid="courses_training_providers",
    )
