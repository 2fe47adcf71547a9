"""Settings for the test suite: fast hashing, local-memory cache and e-mail, inline tasks."""

import tempfile

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "machina_attachments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "machina_attachments",
    },
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Off, so tests see each render; tests/pagecache turns it on. TEST_PAGE_CACHE_SECONDS=300 runs
# any part of the suite through the page cache (a check that every change shows at once).
PAGE_CACHE_SECONDS = env.int("TEST_PAGE_CACHE_SECONDS", default=0)
# The Redis worker test points Celery at REDIS_URL itself; everything else runs inline.
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = True
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="tvc-test-private-media-")
# Media on local disk in temporary folders, whatever S3_BUCKET says: tests of object storage
# point the storages at their own S3 server (tests/s3_server.py).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "cms.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="tvc-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="tvc-test-static-")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# allauth's rate limits stay on; tests that hammer a form clear the cache themselves.
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/15")
# Page views written at once; tests of the Redis buffer turn it on themselves.
ANALYTICS_BUFFER = "database"
# No tiles and no geocoder from the internet in tests.
EXCHANGE_MAP_TILE_URL = ""
EXCHANGE_GEOCODER_URL = ""
WAGTAILADMIN_BASE_URL = "http://testserver"
SITE_URL = WAGTAILADMIN_BASE_URL
# load_demo's Polish and Italian translations of every page (cms/demo_translations.py) take a
# while: only the test that checks them turns them on.
DEMO_TRANSLATIONS = False
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Examples per form of the form fuzz (tests/security/test_fuzz_forms.py); more for a long hunt.
FUZZ_FORM_EXAMPLES = env.int("FUZZ_FORM_EXAMPLES", default=4)
# The same for the admin's forms (tests/security/test_fuzz_admin_forms.py): heavier pages.
FUZZ_ADMIN_FORM_EXAMPLES = env.int("FUZZ_ADMIN_FORM_EXAMPLES", default=3)
