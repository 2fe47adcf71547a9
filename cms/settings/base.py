"""Settings shared by every environment. Configuration comes from environment variables only;
the README's configuration table lists them."""

from pathlib import Path
from urllib.parse import urlsplit

import environ
import machina
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

from .object_storage import s3_storages

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()

IS_PRODUCTION = False
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Apps ------------------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.forms",  # the TemplatesSetting form renderer finds the default widget templates here
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "modelcluster",
    "taggit",
    "django_filters",
    "widget_tweaks",
    "mptt",
    # django-machina, used as it ships (never subclassed here: that breaks its get_class).
    "machina",
    "machina.apps.forum",
    "machina.apps.forum_conversation",
    "machina.apps.forum_conversation.forum_attachments",
    "machina.apps.forum_conversation.forum_polls",
    "machina.apps.forum_feeds",
    "machina.apps.forum_moderation",
    # machina.apps.forum_search (haystack) is left out: forum/search.py searches the database.
    "machina.apps.forum_tracking",
    "machina.apps.forum_member",
    "machina.apps.forum_permission",
]
LOCAL_APPS = [
    "cms.accounts",
    "cms.directory",
    "cms",
    "cms.newsletters",
    "cms.events",
    "cms.projects",
    "cms.notifications",
    "cms.outbox",
    "cms.analytics",
    "cms.partners",
    "cms.conversations",
    "courses",
    "courses.quizzes",
    "courses.scorm",
    "forum",
    "exchange",
]
# themes first: its templates (base layout, allauth's pages, error pages) override the apps'.
INSTALLED_APPS = ["themes", *DJANGO_APPS, *THIRD_PARTY_APPS, *LOCAL_APPS]

MIDDLEWARE = [
    # Each request on a roomy stretch of CPython's frame stack (cms/stack.py: gh-142183).
    "cms.stack.StackRoomMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy with a nonce per request; the admin's own policy (cms/csp.py).
    "cms.csp.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Page views of every public page, counted without personal data (cms/analytics).
    "cms.analytics.middleware.ViewCountMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Anonymous pages from the cache (cms/pagecache.py): after the language, the CSRF cookie and
    # the CSP nonce are known, before anything reads the session, the user or the database.
    "cms.pagecache.PageCacheMiddleware",
    # The Wagtail site of the request from the cache, before anything asks for it.
    "cms.middleware.SiteMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A NUL character that reaches the database anyway: 400 with a message, not a 500.
    "cms.middleware.NulCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cms.accounts.middleware.AdminTwoFactorMiddleware",
    "forum.middleware.ForumPermissionMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # App templates win over machina's own, so forum/ can restyle them by overriding.
        "DIRS": [],
        "APP_DIRS": False,
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.app_directories.Loader",
                        (
                            "django.template.loaders.filesystem.Loader",
                            [machina.MACHINA_MAIN_TEMPLATE_DIR],
                        ),
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "machina.core.context_processors.metadata",
                # Last: replaces Django's csrf_token on pages the page cache may store.
                "cms.pagecache.csrf_placeholder",
            ],
        },
    }
]
FORM_RENDERER = "cms.widgets.SiteFormRenderer"  # TemplatesSetting, selects written in Python

# Data ------------------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections on PostgreSQL (a new connection costs a few milliseconds per request,
# more than most pages' queries), checked before each request reuses them (CONN_HEALTH_CHECKS),
# so a restarted database costs one failed check, not a failed request.
DATABASES["default"].setdefault(
    "CONN_MAX_AGE",
    env.int(
        "CONN_MAX_AGE",
        default=60 if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" else 0,
    ),
)
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=True))
# Timeouts, so a database that is gone or hangs gives a 503 page quickly instead of hanging
# every worker: connect (seconds), statement (milliseconds, PostgreSQL), busy wait (SQLite).
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", default=5)
DATABASE_STATEMENT_TIMEOUT = env.int("DATABASE_STATEMENT_TIMEOUT", default=30_000)
# PostgreSQL's JIT compiles a plan when its estimated cost is high; for the site's short
# queries the compilation costs far more than it saves (browse sorted by best match: 0.97 s
# with JIT, 0.15 s without; docs/performance.md). Off per connection unless asked for.
DATABASE_JIT = env.bool("DATABASE_JIT", default=False)
# Parallel workers per query (PostgreSQL's max_parallel_workers_per_gather). None by default:
# the web processes and the worker already keep the cores busy, and for the site's short
# queries starting workers costs more than it saves (browse sorted by best match: the grouped
# query 198 ms with parallel workers, 84 ms without; docs/performance.md). Raise it for a
# database server with cores to spare.
DATABASE_PARALLEL_WORKERS = env.int("DATABASE_PARALLEL_WORKERS", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No server-side cursors: Django's ``QuerySet.iterator()``, which every ModelChoiceField
    # (a filter's region, provider or topic list) uses to list its choices, would otherwise
    # DECLARE a cursor WITH HOLD outside a transaction, which PostgreSQL materialises at
    # commit, for a few dozen rows (browse and catalogue: 3-10 ms of CPU less per render;
    # docs/performance.md). Needed anyway behind a transaction-pooling PgBouncer.
    DATABASES["default"].setdefault(
        "DISABLE_SERVER_SIDE_CURSORS",
        env.bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=True),
    )
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", DATABASE_CONNECT_TIMEOUT
    )
    DATABASES["default"]["OPTIONS"].setdefault(
        "options",
        f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT}"
        + ("" if DATABASE_JIT else " -c jit=off")
        + f" -c max_parallel_workers_per_gather={DATABASE_PARALLEL_WORKERS}",
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "timeout", env.int("DATABASE_BUSY_TIMEOUT", default=20)
    )

REDIS_URL = env("REDIS_URL", default="")
# Redis down must not take pages down: django-redis with IGNORE_EXCEPTIONS turns every cache
# error into a miss (logged), with short socket timeouts; sessions are cached_db, so they stay
# valid from the database while Redis is away.
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=1.0)
REDIS_CACHE_OPTIONS = {
    "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT,
    "SOCKET_TIMEOUT": REDIS_TIMEOUT,
    "IGNORE_EXCEPTIONS": True,
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "cms.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_CACHE_OPTIONS,
        },
        "machina_attachments": {
            "BACKEND": "cms.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "machina_attachments",
            "OPTIONS": REDIS_CACHE_OPTIONS,
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "machina_attachments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "machina_attachments",
        },
    }

# Full-page cache of anonymous pages (cms/pagecache.py), in this cache alias; 0 turns it off.
# Any write to the database empties it at once; this is the longest a page is kept (what
# depends on the clock, such as "upcoming events", is at most this old).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
PAGE_CACHE_ALIAS = "default"
# Paths (prefixes) never served from the page cache, besides the admin and account pages.
PAGE_CACHE_EXCLUDED = env.list("PAGE_CACHE_EXCLUDED", default=[])

# Background jobs: Celery on Redis when REDIS_URL is set, otherwise tasks run inline.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "wagtail-publish-scheduled": {"task": "cms.tasks.publish_scheduled_pages", "schedule": 60},
    "database-statistics": {
        "task": "cms.tasks.refresh_database_statistics",
        "schedule": crontab(hour=3, minute=15),
    },
    "analytics-flush-view-counts": {
        "task": "cms.analytics.tasks.flush_view_counts",
        "schedule": 60,
    },
}
# Page views wait in Redis and a task adds them to the database every minute ("redis"), or each
# view is written at once ("database", the default without Redis).
ANALYTICS_BUFFER = env("ANALYTICS_BUFFER", default="redis" if REDIS_URL else "database")
ANALYTICS_REDIS_KEY = env("ANALYTICS_REDIS_KEY", default="tvc:analytics:views")
# Redis down: publishing gives up within about a second and the job waits in the database
# (cms.outbox.jobs.DurableTask) instead of hanging or failing the request.
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": REDIS_TIMEOUT,
    "socket_timeout": 5 * REDIS_TIMEOUT,
    # Seconds before a task taken by a worker that vanished is delivered again (longer than
    # the longest task).
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Nothing queued is lost: a task is acknowledged only once it has run, and a worker that dies
# mid-task leaves it to be delivered again (every task is idempotent); one task prefetched per
# process, so long jobs (PDFs) do not wait behind a busy process.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Several sites (or test runs) may share one Redis: each its own queue name.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
CELERY_TASK_IGNORE_RESULT = True
# Beat keeps only "when did each entry last run" here; losing it is harmless (run ONE beat).
CELERY_BEAT_SCHEDULE_FILENAME = env(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / "var" / "celerybeat-schedule")
)

# Accounts --------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "cms.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "cms.accounts.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated so they are visible and reviewed.
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
}
# Two-factor authentication (allauth.mfa, /accounts/2fa/): an authenticator app (TOTP),
# recovery codes and security keys or passkeys (WebAuthn). Required before the admin opens for
# every role that works there (cms.accounts.middleware.AdminTwoFactorMiddleware).
MFA_ADAPTER = "cms.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Textile Virtual Centre"
# A forged or truncated security-key answer is refused with a message, not a 500.
MFA_FORMS = {
    "add_webauthn": "cms.accounts.forms.SecurityKeyAddForm",
    "authenticate_webauthn": "cms.accounts.forms.SecurityKeyAuthenticateForm",
    "reauthenticate_webauthn": "cms.accounts.forms.SecurityKeyReauthenticateForm",
}
# Which address allauth's per-address limits (and cms.ratelimit) count: behind N proxies that
# each append to X-Forwarded-For, the N-th address from the right; 0 (no proxy) uses the
# connection's address and ignores X-Forwarded-For, which a client can forge. Or name a header
# the proxy sets to the client's address alone (ALLAUTH_TRUSTED_CLIENT_IP_HEADER, e.g.
# X-Real-IP). Wrong values make every visitor one address, and one person's failed sign-ins
# then lock everyone out.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", default="") or None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Textile Virtual Centre] "
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# E-mail ----------------------------------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:password@mail.example.org:587 (django-environ's format).
globals().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Textile Virtual Centre <noreply@textile-centre.eu>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Languages -------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("pl", "Polski"), ("it", "Italiano")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Brussels"
# One set of date formats per language (themes/formats/): templates name a format, never write one.
FORMAT_MODULE_PATH = ["themes.formats"]

# Static and media ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# machina puts css/, js/ and fonts/ at the static root: our own assets live under themes/ instead.
STATICFILES_DIRS = [machina.MACHINA_MAIN_STATIC_DIR]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Files only their owners may read (certificates, attachments, documents): never under
    # MEDIA_URL; permission-checked views serve them (cms.storage.private_storage).
    "private": {
        "BACKEND": "cms.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_CACHE_SECONDS = env.int("MEDIA_CACHE_SECONDS", default=60 * 60 * 24)
# How permission-checked views hand out private files (cms.files.serve_file): "django" streams
# them, "x-accel-redirect" (nginx) and "x-sendfile" (Apache, lighttpd) let the proxy send them.
PRIVATE_FILE_SERVE = env("PRIVATE_FILE_SERVE", default="django")
# nginx's `internal` location that maps to PRIVATE_MEDIA_ROOT (x-accel-redirect only).
PRIVATE_FILE_ACCEL_PREFIX = env("PRIVATE_FILE_ACCEL_PREFIX", default="/_private/")
# Life of a presigned URL of a private object (S3_BUCKET), in seconds.
PRIVATE_FILE_URL_EXPIRY = env.int("PRIVATE_FILE_URL_EXPIRY", default=60)
# Media on S3-compatible object storage when S3_BUCKET is set (cms/settings/object_storage.py).
S3_BUCKET = env("S3_BUCKET", default="")
S3_ENDPOINT_URL = env("S3_ENDPOINT_URL", default="")
S3_CUSTOM_DOMAIN = env("S3_CUSTOM_DOMAIN", default="")
if S3_BUCKET:
    STORAGES.update(
        s3_storages(
            bucket=S3_BUCKET,
            private_bucket=env("S3_PRIVATE_BUCKET", default=""),
            endpoint_url=S3_ENDPOINT_URL,
            region=env("S3_REGION", default=""),
            access_key=env("S3_ACCESS_KEY_ID", default=""),
            secret_key=env("S3_SECRET_ACCESS_KEY", default=""),
            addressing_style=env("S3_ADDRESSING_STYLE", default=""),
            custom_domain=S3_CUSTOM_DOMAIN,
        )
    )
# Serve MEDIA_ROOT at /media/ from Django (cms.files.media_serve) without DEBUG: on by default
# when media are on local disk, so uploaded images never 404; a proxy in front may serve
# /media/ itself (README, "Media and private files in production").
MEDIA_SERVE = env.bool("MEDIA_SERVE", default=not S3_BUCKET)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail ---------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Textile Virtual Centre"
WAGTAILADMIN_BASE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
SITE_URL = WAGTAILADMIN_BASE_URL
# load_demo translates every demo page into Polish and Italian (cms/demo_translations.py).
DEMO_TRANSLATIONS = True
# Every sign-in goes through allauth (cms.accounts.views): these login URLs redirect there,
# and the admin's own password change and reset are off (allauth's pages do both).
WAGTAILADMIN_LOGIN_URL = "account_admin_login"
# Draftail, reading only what Draftail sends (a hand-made post is no longer a 500).
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "cms.rich_text.DraftailEditor"}}
WAGTAIL_FRONTEND_LOGIN_URL = "page_privacy_login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAILSEARCH_BACKENDS = {
    # Wagtail's database backend; on PostgreSQL each language's pages are indexed and searched
    # with that language's text-search configuration (cms/search/backend.py). PostgreSQL has no
    # "polish" configuration of its own: "simple" serves until one is created from a dictionary.
    "default": {
        "BACKEND": "cms.search.backend",
        "SEARCH_CONFIG": "english",
        "LANGUAGE_CONFIGS": {"en": "english", "it": "italian", "pl": "polish"},
    },
}
# Documents always go through Wagtail's serve view (its privacy checks), also on object storage.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "csv", "txt", "zip"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Every uploaded image (listing photos, forum attachments, Wagtail images and logos) is refused
# above this many pixels, before it is decoded (cms/images.py); Pillow's limit follows it.
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS
# No avatars from gravatar.com in the admin: an outside request per page (and blocked by the
# admin's Content-Security-Policy); Wagtail shows its default avatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor the dashboard's release check (releases.wagtail.org): the site runs without internet.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False

# django-machina --------------------------------------------------------------------------------
MACHINA_FORUM_NAME = "Working groups"
MACHINA_USER_DISPLAY_NAME_METHOD = "get_display_name"
MACHINA_DEFAULT_AUTHENTICATED_USER_FORUM_PERMISSIONS = []

# Virtual Centre (cms/) -------------------------------------------------------------------------


# Newsletters and dissemination analytics (cms/newsletters, cms/analytics) ----------------------
# E-mails of a newsletter issue sent per background job (one SMTP connection per batch).
NEWSLETTER_BATCH_SIZE = env.int("NEWSLETTER_BATCH_SIZE", default=100)


# Training (courses/) ---------------------------------------------------------------------------
# Certificates print SITE_URL + /certificates/verify/<code>/ under their QR code; PDFs are stored
# in the private storage (certificates/) and rendered by the Celery task
# courses.tasks.render_certificate_pdf.
COURSES_CATALOGUE_PER_PAGE = 12
# Open Badges 3.0: the Ed25519 key that signs every certificate's credential, as PEM (PKCS#8) or
# the base64url 32-byte seed. Empty: derived from SECRET_KEY (set your own in production).
OPEN_BADGES_PRIVATE_KEY = env("OPEN_BADGES_PRIVATE_KEY", default="")
# Public keys (base64url, raw 32 bytes) of earlier signing keys, so older badges still verify.
OPEN_BADGES_PREVIOUS_PUBLIC_KEYS = env.list("OPEN_BADGES_PREVIOUS_PUBLIC_KEYS", default=[])
# SCORM packages (courses/scorm): upload size, unpacked size, number of files, and the largest
# compression ratio of one file (higher looks like a zip bomb).
SCORM_MAX_PACKAGE_BYTES = env.int("SCORM_MAX_PACKAGE_BYTES", default=200 * 1024 * 1024)
SCORM_MAX_UNCOMPRESSED_BYTES = env.int("SCORM_MAX_UNCOMPRESSED_BYTES", default=500 * 1024 * 1024)
SCORM_MAX_FILES = env.int("SCORM_MAX_FILES", default=5000)
SCORM_MAX_COMPRESSION_RATIO = 100


# Working groups (forum/); machina's own settings are above -------------------------------------

# The posting rate limit is RATELIMITS["forum.post"] (RATELIMIT_FORUM_POST) below.
FORUM_ATTACHMENT_EXTENSIONS = env.list(
    "FORUM_ATTACHMENT_EXTENSIONS",
    default="pdf,png,jpg,jpeg,gif,webp,txt,csv,docx,xlsx,pptx,odt,ods".split(","),
)
FORUM_ATTACHMENT_MAX_SIZE = env.int("FORUM_ATTACHMENT_MAX_SIZE", default=5 * 1024 * 1024)
# Machina's avatars are not used (members show their display name); its upload resized any
# image it was given, whatever its pixel count.
MACHINA_PROFILE_AVATARS_ENABLED = False
# machina's Markdown, with images from other sites turned into links (forum/markup.py).
MACHINA_MARKUP_LANGUAGE = (
    "forum.markup.markdown",
    {"safe_mode": True, "extras": {"break-on-newline": True}},
)
MACHINA_ATTACHMENT_MAX_FILES_PER_POST = 5
# The daily digest of new posts, every morning (CELERY_TIMEZONE, UTC).
CELERY_BEAT_SCHEDULE["working-groups-daily-digest"] = {
    "task": "forum.tasks.send_daily_digests",
    "schedule": crontab(hour=6, minute=0),
}


# Materials exchange (exchange/) ----------------------------------------------------------------
# Tile server of the exchange map: OpenStreetMap's by default (its usage policy asks for the
# attribution below and light use; a busy site runs or rents its own tile server). Empty: the
# map shows the markers on a blank background and loads nothing from the internet.
EXCHANGE_MAP_TILE_URL = env(
    "EXCHANGE_MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)

# Content-Security-Policy (django-csp, cms/csp.py) ----------------------------------------------


def origin_of(url):
    """``scheme://host[:port]`` of a URL, as a CSP source."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# The site's pages: scripts and styles from this origin, inline ones only with the request's
# nonce ({{ request.csp_nonce }}), never 'unsafe-inline'. Images and frames also from the media
# origin when media are on object storage, and map tiles from EXCHANGE_MAP_TILE_URL's host.
_media_origins = (
    [origin_of(f"https://{S3_CUSTOM_DOMAIN}")]
    if S3_CUSTOM_DOMAIN
    else [origin_of(S3_ENDPOINT_URL or "https://s3.amazonaws.com"), "https://*.amazonaws.com"]
    if S3_BUCKET
    else []
)
_image_origins = [
    *_media_origins,
    *([origin_of(EXCHANGE_MAP_TILE_URL)] if EXCHANGE_MAP_TILE_URL else []),
    *env.list("CSP_EXTRA_IMG_SRC", default=[]),
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", *_image_origins],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF, *_media_origins],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Wagtail's admin (/admin/, /django-admin/) still writes inline styles and scripts.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *_image_origins],
        "font-src": [SELF, "data:"],
    }
}
EXCHANGE_MAP_ATTRIBUTION = env(
    "EXCHANGE_MAP_ATTRIBUTION", default="&copy; OpenStreetMap contributors"
)
# Geocoder for a site's address or postcode: a Nominatim-compatible search URL (OpenStreetMap's
# by default: at most one request a second, an identifying User-Agent, results cached). Empty:
# members type latitude and longitude.
EXCHANGE_GEOCODER_URL = env(
    "EXCHANGE_GEOCODER_URL", default="https://nominatim.openstreetmap.org/search"
)
EXCHANGE_GEOCODER_USER_AGENT = env(
    "EXCHANGE_GEOCODER_USER_AGENT", default=f"TextileVirtualCentre/1.0 (+{SITE_URL})"
)
EXCHANGE_GEOCODER_TIMEOUT = env.int("EXCHANGE_GEOCODER_TIMEOUT", default=5)
EXCHANGE_LISTING_LIFETIME_DAYS = env.int("EXCHANGE_LISTING_LIFETIME_DAYS", default=90)
EXCHANGE_PHOTO_MAX_BYTES = 5 * 1024 * 1024
# New conversations (exchange inquiries and expressions of interest together) an organisation
# not yet verified may start per day (cms.conversations). The old name still works.
UNVERIFIED_CONVERSATIONS_PER_DAY = env.int(
    "UNVERIFIED_CONVERSATIONS_PER_DAY",
    default=env.int("EXCHANGE_UNVERIFIED_INQUIRIES_PER_DAY", default=3),
)
CELERY_BEAT_SCHEDULE.update(
    {
        "exchange-expire-listings": {
            "task": "exchange.tasks.expire_listings",
            "schedule": 3600 * 6,
        },
        "exchange-daily-digests": {
            "task": "exchange.tasks.send_search_digests",
            "schedule": 3600 * 24,
            "args": ["daily"],
        },
        "exchange-weekly-digests": {
            "task": "exchange.tasks.send_search_digests",
            "schedule": 3600 * 24 * 7,
            "args": ["weekly"],
        },
        "exchange-daily-match-digests": {
            "task": "exchange.tasks.send_match_digests",
            "schedule": 3600 * 24,
            "args": ["daily"],
        },
        "exchange-weekly-match-digests": {
            "task": "exchange.tasks.send_match_digests",
            "schedule": 3600 * 24 * 7,
            "args": ["weekly"],
        },
    }
)


# Rate limits, notifications, the mail outbox and outages (cms/ratelimit.py, cms/notifications,
# cms/outbox) ------------------------------------------------------------------------------------
# cms.ratelimit: scope -> "count/period" (s, m, h, d; "1/10m" is one per ten minutes). Counted
# in the default cache; when the cache is down nothing is limited (fail open).
RATELIMIT_FAIL_OPEN = True  # django-ratelimit: a cache that does not answer limits nobody
RATELIMITS = {
    "forum.post": env("RATELIMIT_FORUM_POST", default="6/m"),  # posts (topics, replies) per user
    "newsletters.confirmation": "1/10m",  # confirmation e-mails per address
    "exchange.inquiry": env("RATELIMIT_EXCHANGE_INQUIRY", default="10/h"),  # per member
    "search": env("RATELIMIT_SEARCH", default="30/m"),  # per user or client address
    "partners.contact": env("RATELIMIT_PARTNERS_CONTACT", default="10/h"),  # per user
    "exchange.geocode": env("RATELIMIT_EXCHANGE_GEOCODE", default="30/h"),  # per user
}

# Partner matching (cms/partners): digests of recommended cooperation opportunities.
CELERY_BEAT_SCHEDULE.update(
    {
        "partners-daily-recommendations": {
            "task": "cms.partners.tasks.send_recommendation_digests",
            "schedule": crontab(hour=6, minute=30),
            "args": ["daily"],
        },
        "partners-weekly-recommendations": {
            "task": "cms.partners.tasks.send_recommendation_digests",
            "schedule": crontab(hour=6, minute=45, day_of_week="monday"),
            "args": ["weekly"],
        },
    }
)

# The mail outbox (cms/outbox): retries with back-off 1, 2, 4 … minutes up to
# OUTBOX_RETRY_MAX_DELAY, OUTBOX_MAX_ATTEMPTS attempts (15: about ten hours), then a dead letter
# in the admin (E-mail outbox). OUTBOX_BATCH_SIZE e-mails per run over one SMTP connection.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=15)
OUTBOX_RETRY_BASE = env.int("OUTBOX_RETRY_BASE", default=60)
OUTBOX_RETRY_MAX_DELAY = env.int("OUTBOX_RETRY_MAX_DELAY", default=3600)
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=200)
OUTBOX_KEEP_SENT_DAYS = env.int("OUTBOX_KEEP_SENT_DAYS", default=30)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=15)  # seconds per SMTP operation
CELERY_BEAT_SCHEDULE.update(
    {
        "outbox-send-due": {"task": "cms.outbox.tasks.send_due", "schedule": 60},
        "outbox-republish-jobs": {"task": "cms.outbox.tasks.republish_jobs", "schedule": 60},
        "outbox-purge": {"task": "cms.outbox.tasks.purge", "schedule": 3600 * 24},
    }
)


# Events (cms/events): reminders the day before an event, checked every hour.
CELERY_BEAT_SCHEDULE["events-reminders"] = {
    "task": "cms.events.tasks.send_event_reminders",
    "schedule": 3600,
}
RATELIMITS["events.register"] = env("RATELIMIT_EVENTS_REGISTER", default="20/h")


# Logging ---------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail runs its search-index and reference-index updates as django-tasks;
        # one INFO line per task drowns everything else.
        "django_tasks": {"level": "WARNING"},
        # One line per page created or published, and WeasyPrint's progress steps, drown the
        # output of load_demo and of the workers; warnings still show.
        "wagtail": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
    },
}
