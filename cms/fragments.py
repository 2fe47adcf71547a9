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
and the organisations they act for, is kept per table instead: cms/tablecache.py.)

Each fragment is also held in the process that read or made it (cms/localcopies.py), under
the same key: a key holds the generation, so a copy is current exactly as long as the stored
fragment, and a page that shows six kept fragments makes one round trip to the cache (the
generation) instead of seven. The copies are bounded in number and in bytes."""

import hashlib
import time

from django.conf import settings
from django.utils.translation import get_language

from . import pagecache
from .localcopies import MISSING, LocalCopies

ANONYMOUS = "anonymous"
# Fragments held in each process: a signed-in topic page's posts are ~60 KB of HTML, a home
# panel a few KB; the oldest go first.
LOCAL_ENTRIES = 1000
LOCAL_BYTES = 16 * 1024 * 1024
_local = LocalCopies(entries=LOCAL_ENTRIES, max_bytes=LOCAL_BYTES)


def _generation():
    """The generation token (None: the cache is off or not answering): read once per request,
    and replaced by the request's own writes (``pagecache.request_scope``), so a request that
    writes (a form that saves, then shows a page) never gets the fragments of before its
    write."""
    if not pagecache.enabled():
        return None
    return pagecache.current_generation()


def _key(generation, name, vary):
    # With the CSRF placeholder, as the page cache's keys: a change of the secret key changes it.
    identity = "\n".join(
        [name, get_language() or "", pagecache.CSRF_PLACEHOLDER, *(str(value) for value in vary)]
    )
    digest = hashlib.sha256(identity.encode()).hexdigest()
    return f"fragment:v2:{generation}:{digest}"


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
    value = _local.get(key)
    if value is not MISSING:
        return value
    store = pagecache.page_cache()
    # Stored with its expiry, so that the copy held here expires with it.
    kept = store.get(key)
    if kept is None:
        kept = (compute(), time.time() + settings.PAGE_CACHE_SECONDS)
        store.set(key, kept, settings.PAGE_CACHE_SECONDS)
    value, expires = kept
    _local.put(key, value, expires=expires)
    return value


def cached_html(name, *vary, render, csrf_token):
    """``cached`` for a part of a page that may hold forms: ``render(token)`` renders it with
    ``token`` for ``{% csrf_token %}``; it is kept with the page cache's placeholder, and each
    use gets ``csrf_token`` (the request's, freshly masked) in its place, so a kept form posts
    for whoever it is shown to."""
    html = cached(name, *vary, compute=lambda: render(pagecache.CSRF_PLACEHOLDER))
    return pagecache.with_csrf_token(html, csrf_token)
