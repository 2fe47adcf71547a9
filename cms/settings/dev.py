"""Local development: `make run`. SQLite, console e-mail, tasks inline unless REDIS_URL is set."""

from .base import *  # noqa: F403
from .base import PRIVATE_MEDIA_ROOT, env

DEBUG = env.bool("DEBUG", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Files only their owners may read (certificates, attachments, documents): never under
    # MEDIA_URL; permission-checked views serve them (cms.storage.private_storage).
    "private": {
        "BACKEND": "cms.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
