"""Production: every secret from the environment, no defaults; HTTPS behind a proxy.

Passes `manage.py check --deploy` with the variables of the README's table set."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import REDIS_URL, env

IS_PRODUCTION = True
DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Printed on certificates and in their badges: never the development default.
SITE_URL = WAGTAILADMIN_BASE_URL = env("SITE_URL")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Only `make serve` and the scale-out test turn these off (plain HTTP on loopback).
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=True)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES

# Sign-in throttling (allauth's rate limits), every other rate limit and the sessions' cache are
# counted in the cache: per process with the local-memory cache, so several web processes would
# each allow the full number of password guesses. Production refuses to start without Redis.
if not REDIS_URL:
    raise ImproperlyConfigured(
        "Production needs a shared cache: set REDIS_URL (e.g. redis://127.0.0.1:6379/0)."
    )
