"""Parts of pages, and what the header needs to know about a member, kept in the page cache's
store under its generation token (cms/pagecache.py), so signed-in visitors, whom the page cache
never serves, skip the queries of what they share with everyone else.

The invalidation is the page cache's: every key holds the generation token, which any write to
the database that a page may show replaces (at once and again after the commit). So a fragment
is never older than the last write, whoever made it; there is nothing to clear by hand. The
fragments are kept only while the page cache is on (``PAGE_CACHE_SECONDS``; off in tests unless
a test turns it on), since only then is the token replaced on every write.

What a fragment may vary on is in its key: the language always, and the ``vary`` values its
caller gives. A fragment that shows anything personal (a private group's topics, the member's
own state) must pass ``audience(request)``, which is the same for every anonymous visitor and
different for every member. (What each member's pages ask on every request, their permissions
and the organisations they act for, is kept per table instead: cms/tablecache.py.)"""

import hashlib
from functools import cache

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from . import pagecache

ANONYMOUS = "anonymous"


def _generation():
    """The generation token (None: the cache is off or not answering). Read for each fragment,
    not once per request: a request that writes (a form that saves, then shows a page) must
    not get the fragments of before its own write."""
    if not pagecache.enabled():
        return None
    return pagecache.current_generation()


def _key(generation, name, vary):
    identity = "\n".join([name, get_language() or "", *(str(value) for value in vary)])
    digest = hashlib.sha256(identity.encode()).hexdigest()
    return f"fragment:{generation}:{digest}"


def audience(request):
    """Who a personal fragment is for: every anonymous visitor alike, each member apart."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    return f"user:{user.pk}"


def cached(name, *vary, compute):
    """``compute()`` (a str, or anything the cache can pickle), kept until the next write.
    ``vary``: everything besides the language that the value depends on."""
    generation = _generation()
    if generation is None:
        return compute()
    key = _key(generation, name, vary)
    store = pagecache.page_cache()
    value = store.get(key)
    if value is None:
        value = compute()
        store.set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


@cache
def csrf_placeholder():
    """What a kept fragment holds where its forms' CSRF token goes: each render puts the
    request's own token in its place (``with_csrf_token``), so a form may be kept and every
    response still carries a freshly masked token of its visitor's secret. Derived from the
    secret key, the same in every web process, and not guessable: text a member writes cannot
    contain it to have someone else's token put into a page."""
    return "csrf-" + salted_hmac("cms.fragments.csrf_placeholder", "token").hexdigest()


def with_csrf_token(html, token):
    """``html`` (a fragment) with the request's CSRF token (the template's lazy ``csrf_token``,
    made and set as a cookie when asked for, as ``{% csrf_token %}`` would) in place of the
    placeholder."""
    placeholder = csrf_placeholder()
    if placeholder not in html:
        return html
    value = str(token) if token else ""
    if value == "NOTPROVIDED":  # rendered without a request: as {% csrf_token %} does
        value = ""
    return mark_safe(html.replace(placeholder, str(conditional_escape(value))))  # noqa: S308
