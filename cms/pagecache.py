"""Full-page cache for anonymous visitors: what a visitor without a session sees is the same for
every such visitor, so it is rendered once and served from the cache (Redis in production) until
anything it may show changes.

Why not Django's cache middleware or wagtail-cache: every page of the site carries a form with a
CSRF token (the language switcher) and inline styles with a per-request CSP nonce. Django's
middleware refuses such responses (they set the CSRF cookie and vary on it); wagtail-cache keeps
one copy per CSRF cookie, so no first visit is ever served from the cache; neither knows the
nonce. Here both are placeholders in the stored page, replaced on every response by this
visitor's own token and a fresh nonce. And both clear the cache on Wagtail's page signals only,
while a forum post, a listing or a course changes pages too.

Invalidation is by a generation token, stored with every page: any write to the database that
a page may show (an INSERT, UPDATE or DELETE on any table but the few in ``IGNORED_TABLES``, from
any process with these settings: web, worker, command) replaces the token, so every stored page
is out at once. A hit is one round trip to the cache: the token and the page are read together
(``get_many``, one MGET on Redis), and the page is served only when it was stored under the
current token. No model has to remember to invalidate, bulk updates and raw SQL included. The
token is replaced when the write happens and again after its transaction commits, so a page
rendered while the transaction was open is never served afterwards. Pages also expire after
``PAGE_CACHE_SECONDS`` (what depends on the clock: upcoming events, "2 hours ago").

A request is served or stored only when it is a GET without a session or messages cookie and
without an Authorization header, outside the admin and the account pages; a response is stored
only when it is a 200 that sets no cookie, saves nothing in the session, shows no message
added during the request, made no CSRF token of its own (``get_token``) and allows caching
(``never_cache`` and ``Cache-Control: private`` are honoured). Signed-in visitors always get a
fresh page. See docs/performance.md, "Page cache"."""

import hashlib
import logging
import re
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import cc_delim_re
from django.utils.crypto import salted_hmac
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from cms import tablecache

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
# Where a stored page, or a kept fragment (cms/fragments.py), has a CSRF token: each response
# gets its visitor's own token in its place. Derived from the secret key (the same in every
# process) so that nothing a member writes can contain it and have a visitor's token put there
# (into an image's address, say). The nonce is this response's, never a secret.
CSRF_PLACEHOLDER = "csrf-" + salted_hmac("cms.pagecache.csrf_placeholder", "token").hexdigest()
NONCE_PLACEHOLDER = "pagecache-csp-nonce-placeholder-9a41e2"
HEADER = "X-Page-Cache"

# Paths never cached: the admins, sign-in and account pages, health (must be live), click
# counting redirects, documents and media (served with their own checks), the language switch.
EXCLUDED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/healthz",
    "/documents/",
    "/media/",
    "/i18n/",
    "/_util/",
)
# Language-prefixed paths (/pl/accounts/…) are checked without their prefix.
EXCLUDED_LOCALISED_PREFIXES = ("/accounts/", "/r/", "/notifications/", "/learning/")
NO_STORE_DIRECTIVES = {"private", "no-cache", "no-store"}
VARY_ALLOWED = {"cookie", "accept-language", "accept-encoding"}

# Tables whose writes no anonymous page shows (tests/cms/test_page_cache.py checks that the key
# pages read none of them): sessions, the page-view and click counters, the mail outbox and its
# pending jobs, machina's per-member read tracking. (Notification preferences are not among
# them: a member's fragments, cms/fragments.py, leave out the topics they muted.)
IGNORED_TABLES = frozenset(
    {
        "django_session",
        "analytics_pageview",
        "analytics_visit",
        "analytics_linkclick",
        "outbox_outgoingemail",
        "outbox_pendingjob",
        "forum_tracking_forumreadtrack",
        "forum_tracking_topicreadtrack",
    }
)
# Updates of one column that no page shows (signing in stamps last_login), or a counter that
# each view adds to (machina's topic views): a page may show the count up to PAGE_CACHE_SECONDS
# late. Hits served from the cache still add to it (``count_on_hit``).
IGNORED_UPDATES = (
    re.compile(r'^UPDATE "accounts_user" SET "last_login" = %s WHERE', re.IGNORECASE),
    re.compile(
        r'^UPDATE "forum_conversation_topic" SET "views_count" = '
        r'\("forum_conversation_topic"\."views_count" \+ %s\) WHERE "forum_conversation_topic"\."id" = %s$',
        re.IGNORECASE,
    ),
    # A lesson visit stamps the learner's enrolment ("resume where you left off"): only they see it.
    re.compile(
        r'^UPDATE "courses_enrolment" SET "last_activity_id" = %s, "last_accessed_at" = %s '
        r'WHERE "courses_enrolment"\."id" = %s$',
        re.IGNORECASE,
    ),
)
# A compound query on PostgreSQL starts with its parenthesised first part: "(SELECT ...) UNION".
READ_ONLY = re.compile(
    r"[\s(]*(SELECT|SAVEPOINT|RELEASE|ROLLBACK|SET|SHOW|BEGIN|COMMIT|EXPLAIN|PRAGMA|VALUES)\b",
    re.IGNORECASE,
)
WRITE_TABLE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)


def enabled():
    return settings.PAGE_CACHE_SECONDS > 0


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


# Invalidation ----------------------------------------------------------------------------------


# The generation as the request being handled knows it (``request_scope``): read on first use,
# then replaced by the request's own writes. None outside a request (workers, commands).
_request_generation: ContextVar[dict | None] = ContextVar("pagecache_generation", default=None)


@contextmanager
def request_scope():
    """The handling of one request (``cms.middleware.SiteMiddleware``): its fragments
    (cms/fragments.py) read the generation once, not once each, and a request that writes gets
    its own new generation, never the fragments of before its write. A write by another process
    while the request runs shows from the next request on (as the table cache's tokens)."""
    token = _request_generation.set({})
    try:
        yield
    finally:
        _request_generation.reset(token)


def generation_bump():
    """Make every stored page unreachable (a new random token, so a token lost from the cache
    can never bring an old generation back)."""
    generation = uuid.uuid4().hex
    page_cache().set(GENERATION_KEY, generation, None)
    known = _request_generation.get()
    if known is not None:
        known["generation"] = generation


def current_generation():
    """The generation token, made when missing; None when the cache does not answer. In a
    request, read once (``request_scope``)."""
    known = _request_generation.get()
    if known is not None and "generation" in known:
        return known["generation"]
    cache = page_cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    if known is not None and generation is not None:
        known["generation"] = generation
    return generation


def is_relevant_write(sql):
    """True when ``sql`` changes data that a page may show."""
    if READ_ONLY.match(sql):
        return False
    match = WRITE_TABLE.match(sql)
    if match is None:
        return True  # DDL, TRUNCATE, COPY, a CTE that writes: assume it matters
    if match.group(1).lower() in IGNORED_TABLES:
        return False
    statement = sql.strip()
    return not any(pattern.match(statement) for pattern in IGNORED_UPDATES)


def _bump_after_commit():
    generation_bump()


def note_write(connection):
    """Bump now (so the writer's own next request, and tests inside a transaction, see the
    change) and once more after the commit (so a page rendered from the data as it was before
    the commit is never served)."""
    if not enabled():
        return
    generation_bump()
    if connection.in_atomic_block:
        if not any(entry[1] is _bump_after_commit for entry in connection.run_on_commit):
            transaction.on_commit(_bump_after_commit, using=connection.alias)


def watch_writes(execute, sql, params, many, context):
    """Database execute wrapper (installed on every connection by ``install_write_watch``):
    the page cache's generation, and the versions of the tables written (cms/tablecache.py)."""
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and not READ_ONLY.match(sql):
        match = WRITE_TABLE.match(sql)
        tablecache.note_write(context["connection"], match.group(1) if match else None)
        if is_relevant_write(sql):
            note_write(context["connection"])
    return result


def install_write_watch(sender, connection, **kwargs):
    """``connection_created`` receiver. First in the list, so a ``connection.execute_wrapper``
    block that happens to open the connection pops its own wrapper, not this one."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, watch_writes)


# Requests and responses ------------------------------------------------------------------------


def strip_language_prefix(path):
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


def request_is_cacheable(request):
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return False
    path = request.path_info
    if path.startswith(EXCLUDED_PREFIXES) or path.startswith(tuple(settings.PAGE_CACHE_EXCLUDED)):
        return False
    return not strip_language_prefix(path).startswith(EXCLUDED_LOCALISED_PREFIXES)


def page_key(request):
    """Scheme, host, path with query string and language: everything an anonymous page may
    vary on (the language comes from the URL prefix, the language cookie or Accept-Language)."""
    # The placeholder too: a page stored before a change of the secret key holds the old one,
    # which nothing would replace any more.
    identity = "\n".join(
        [
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            get_language() or "",
            CSRF_PLACEHOLDER,
        ]
    )
    return f"pagecache:page:{hashlib.sha256(identity.encode()).hexdigest()}"


def cache_lookup(key):
    """(current generation, the page stored under it or None) in one round trip; the
    generation is None when the cache does not answer."""
    found = page_cache().get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:  # never made, lost, or no answer
        return current_generation(), None
    entry = found.get(key)
    if entry is None or entry.generation != generation:
        return generation, None  # stored before a write that may change it
    return generation, entry


def _cache_control_forbids(response):
    value = response.get("Cache-Control", "")
    directives = {part.split("=")[0].strip().lower() for part in cc_delim_re.split(value)}
    return bool(directives & NO_STORE_DIRECTIVES) or "max-age=0" in value.replace(" ", "")


def _vary_forbids(response):
    vary = {part.strip().lower() for part in cc_delim_re.split(response.get("Vary", "")) if part}
    return bool(vary - VARY_ALLOWED)


def _personal(request):
    """Anything in this request that made the page personal."""
    user = getattr(request, "_cached_user", None)
    if user is not None and user.is_authenticated:
        return True
    session = getattr(request, "session", None)
    if session is not None and (session.modified or not session.is_empty()):
        return True
    messages = getattr(request, "_messages", None)
    if messages is not None and (
        getattr(messages, "added_new", False) or messages._queued_messages
    ):
        return True
    # A view that asked for a real CSRF token (get_token) put it somewhere we cannot see.
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


# Pages, and the redirects anonymous visitors get (a lesson sends them to its course's enrol
# form, a Wagtail redirect to the page's new address): the same for every such visitor.
STORABLE_STATUSES = {200, 301, 302}


def response_is_storable(request, response):
    return (
        response.status_code in STORABLE_STATUSES
        and not response.streaming
        and not response.cookies
        and not _cache_control_forbids(response)
        and not _vary_forbids(response)
        and not _personal(request)
    )


# Counting views of what a page shows ------------------------------------------------------------

HIT_COUNTERS = {}


def hit_counter_register(name, counter):
    """``counter(*, request, object_id)`` is called for every view of a stored page that
    counted ``name`` when it was rendered (see ``count_on_hit``)."""
    HIT_COUNTERS[name] = counter


def count_on_hit(request, name, object_id):
    """Called by a view that counts its views: the page stored from this response counts the
    same each time the cache serves it."""
    request.__dict__.setdefault("page_cache_counters", []).append((name, object_id))


def _count_hit(request, entry):
    for name, object_id in entry.counters:
        counter = HIT_COUNTERS.get(name)
        if counter is not None:
            counter(request=request, object_id=object_id)


@dataclass
class Entry:
    generation: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    counters: list[tuple[str, int]] = field(default_factory=list)


def entry_from(request, response, generation):
    body = response.content
    nonce = getattr(request, "_csp_nonce", None)
    if isinstance(nonce, str) and nonce:
        body = body.replace(nonce.encode(), NONCE_PLACEHOLDER.encode())
    headers = [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in {"content-length", HEADER.lower()}
    ]
    return Entry(
        generation=generation,
        status=response.status_code,
        headers=headers,
        body=body,
        counters=list(getattr(request, "page_cache_counters", [])),
    )


def personalise(request, body):
    """The stored page with this visitor's CSRF token and this response's CSP nonce."""
    if CSRF_PLACEHOLDER.encode() in body:
        body = body.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    if NONCE_PLACEHOLDER.encode() in body:
        body = body.replace(NONCE_PLACEHOLDER.encode(), str(request.csp_nonce).encode())
    return body


def with_csrf_token(html, token):
    """``html`` (a kept fragment) with the template's ``csrf_token`` (lazy: asked for here, the
    token is made and its cookie set, as ``{% csrf_token %}`` would) in the placeholder's place.
    On a page the page cache may store, ``token`` is the placeholder itself, left for
    ``personalise``."""
    if CSRF_PLACEHOLDER not in html:
        return html
    value = str(token) if token else ""
    if value == "NOTPROVIDED":  # rendered without a request: as {% csrf_token %} does
        value = ""
    return mark_safe(html.replace(CSRF_PLACEHOLDER, str(conditional_escape(value))))  # noqa: S308


def csrf_placeholder(request):
    """Context processor, after Django's own: on a page that may be stored, ``{% csrf_token %}``
    writes a placeholder that each response replaces with its visitor's token."""
    if getattr(request, "page_cache_candidate", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


class PageCacheMiddleware:
    """Serves and stores anonymous pages. Placed after CsrfViewMiddleware (it needs the
    language, the CSRF cookie and the CSP nonce of the request, and its responses still get
    the CSRF cookie and the security headers) and before everything that reads the session,
    the user or the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled() or not request_is_cacheable(request):
            return self.get_response(request)
        key = page_key(request)
        generation, entry = cache_lookup(key)
        if generation is None:  # the cache does not answer: render as if there were none
            return self.get_response(request)
        if entry is not None:
            return self.serve(request, entry)
        request.page_cache_candidate = True
        response = self.get_response(request)
        if response_is_storable(request, response):
            # Under the generation read before the render: a write during the render makes
            # the stored page out of date at once.
            entry = entry_from(request, response, generation)
            page_cache().set(key, entry, settings.PAGE_CACHE_SECONDS)
            response[HEADER] = "miss"
        if not response.streaming:
            response.content = personalise(request, response.content)
        return response

    def serve(self, request, entry):
        response = HttpResponse(personalise(request, entry.body), status=entry.status)
        for name, value in entry.headers:
            response[name] = value
        response[HEADER] = "hit"
        _count_hit(request, entry)
        return response
