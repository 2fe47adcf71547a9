"""The production settings as the scale-out integration test runs them: static files straight
from the apps (no collectstatic run for a one-minute test); everything else, object storage
and Celery included, comes from the environment the test sets."""

from cms.settings.production import *  # noqa: F403
from cms.settings.production import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
