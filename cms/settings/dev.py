"""Local development: `make run`. SQLite, console e-mail, tasks inline unless REDIS_URL is set."""

from .base import *  # noqa: F403
from .base import STORAGES, env

DEBUG = env.bool("DEBUG", default=True)
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A template edited in development shows at the next reload.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0)
# Security keys (WebAuthn) on http://127.0.0.1:8000.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
