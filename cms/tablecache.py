"""Reads that every request makes and that rarely change (the site and its root page, the site
look, the locales, a member's permissions and organisations, the paths of private pages), kept
in the cache until one of the tables they come from is written.

Each table has a version token in the cache. The write watch installed on every connection
(``cms.pagecache.watch_writes``) sees every INSERT, UPDATE and DELETE, from any process with
these settings (web, worker, command), bulk updates and raw SQL included, and replaces the token
of the table written: at once, and again after the transaction commits (so a value read from the
data as it was before the commit is never served afterwards). A statement whose table it cannot
tell (DDL, TRUNCATE, a CTE that writes) replaces a token that every value depends on.

A value is stored with the tokens read before it was computed and served only while they are
all current. Unlike the page cache's generation (cms/fragments.py), this works whether the page
cache is on or off, and a write to another table (a forum post, a quiz answer) does not throw
these values away.

During a request, the tokens of every table this process has kept values of are read once, in
one round trip to the cache, when the request first asks for a kept value; the request's own
writes replace them as they happen. Each value is also held in the process
(cms/localcopies.py: pickled, so every reader gets its own copy; the most recent
``LOCAL_ENTRIES``) and served from there while its tokens are the request's: a signed-in page
that asks for six kept values makes one round trip to the cache instead of six. Outside requests (workers, commands) every value reads its tokens.

Nothing is stored while the request is inside a transaction of its own (what it reads may still
be rolled back); tests' own transaction (``TestCase``) does not count. When the cache does not
answer, every value is computed."""

import functools
import hashlib
import threading
import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from django.core.cache import cache
from django.db import connections, transaction

from .localcopies import MISSING, LocalCopies

# A value is also dropped after this long, as a page of the page cache is: a write made while
# the cache did not answer (a network cut to Redis) could not replace its table's token, and
# whatever was stored before the cut (a member's permissions) must not outlive it for long.
VALUE_TIMEOUT = 5 * 60
EVERY_TABLE = "*"  # the token replaced by statements whose table is not known
LOCAL_ENTRIES = 2000  # values held in each process

_request_versions: ContextVar[dict | None] = ContextVar("tablecache_versions", default=None)
_known_tables = {EVERY_TABLE}
_known_tables_lock = threading.Lock()
_local = LocalCopies(entries=LOCAL_ENTRIES)


@contextmanager
def request_scope():
    """The handling of one request (``cms.middleware.SiteMiddleware``): the tokens read during
    it are read once, and forgotten when it ends, whatever way it ends."""
    token = _request_versions.set({})
    try:
        yield
    finally:
        _request_versions.reset(token)


def _version_key(table):
    return f"tablecache:table:{table}"


def _value_key(name, vary):
    identity = "\n".join([name, *(str(value) for value in vary)])
    return f"tablecache:value:{hashlib.sha256(identity.encode()).hexdigest()}"


def bump(tables):
    """Make every value read from ``tables`` unreachable (new random tokens, so a token lost
    from the cache can never bring old values back)."""
    versions = {table: uuid.uuid4().hex for table in tables}
    cache.set_many({_version_key(table): token for table, token in versions.items()}, None)
    snapshot = _request_versions.get()
    if snapshot is not None:  # this request reads what it has just written
        snapshot.update(versions)


def _bump_pending(connection):
    pending = connection.__dict__.pop("_tablecache_pending", set())
    if pending:
        bump(pending)


def note_write(connection, table):
    """A statement wrote ``table`` (None: a table not known) on ``connection``."""
    table = (table or EVERY_TABLE).lower()
    bump([table])
    if connection.in_atomic_block:
        connection.__dict__.setdefault("_tablecache_pending", set()).add(table)
        # Once per savepoint: a callback registered inside a savepoint goes with its rollback.
        savepoints = set(connection.savepoint_ids)
        if not any(
            getattr(entry[1], "tablecache", False) and entry[0] == savepoints
            for entry in connection.run_on_commit
        ):
            callback = partial(_bump_pending, connection)
            callback.tablecache = True  # type: ignore[attr-defined]
            transaction.on_commit(callback, using=connection.alias)


def _in_own_transaction():
    for connection in connections.all(initialized_only=True):
        if any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
            return True
    return False


def _current_versions(tables, found=None):
    """{table: token} of ``tables`` (made when missing), or None when the cache does not
    answer. ``found``: what was already read from the cache."""
    keys = {table: _version_key(table) for table in tables}
    if found is None:
        found = cache.get_many(list(keys.values()))
    missing = [key for key in keys.values() if found.get(key) is None]
    for key in missing:
        cache.add(key, uuid.uuid4().hex, None)
    if missing:
        found = {**found, **cache.get_many(missing)}
    versions = {table: found.get(key) for table, key in keys.items()}
    return None if None in versions.values() else versions


def _store(key, versions, value):
    expires = time.time() + VALUE_TIMEOUT
    cache.set(key, (versions, value, expires), VALUE_TIMEOUT)
    return expires


def _kept(entry, versions):
    """The value of a stored entry when it is current, else None (entries of an earlier
    format have no expiry)."""
    if entry is not None and len(entry) == 3 and entry[0] == versions and entry[2] >= time.time():
        return entry
    return None


def cached(name, *vary, tables, compute, keep=None):
    """``compute()`` (anything the cache can pickle), kept until one of ``tables`` (their
    database names) is written. ``vary``: everything the value depends on besides the tables
    (a site, a member, a language). ``keep(value)``, if given, says whether a value is worth
    keeping (a route: not the addresses that lead nowhere, which anyone can make up)."""
    tables = (EVERY_TABLE, *sorted({table.lower() for table in tables}))
    value_key = _value_key(name, vary)
    snapshot = _request_versions.get()
    if snapshot is None:
        keys = [_version_key(table) for table in tables]
        found = cache.get_many([*keys, value_key])
        current = _current_versions(tables, found)
        if current is None:  # the cache does not answer
            return compute()
        versions = tuple(current[table] for table in tables)
        entry = _kept(found.get(value_key), versions)
    else:
        if any(table not in snapshot for table in tables):
            with _known_tables_lock:  # other threads of the process add tables too
                _known_tables.update(tables)
                wanted = _known_tables - snapshot.keys()
            current = _current_versions(wanted)
            if current is None:
                return compute()
            snapshot.update(current)
        versions = tuple(snapshot[table] for table in tables)
        local = _local.get(value_key, versions)
        if local is not MISSING:
            return local
        entry = _kept(cache.get(value_key), versions)
        if entry is not None:
            _local.put(value_key, entry[1], expires=entry[2], stamp=versions)
    if entry is not None:
        return entry[1]
    value = compute()
    if (keep is None or keep(value)) and not _in_own_transaction():
        expires = _store(value_key, versions, value)
        if snapshot is not None:
            _local.put(value_key, value, expires=expires, stamp=versions)
    return value


def tables_of(*models):
    """The database tables of ``models``, with those of their parents (multi-table inheritance:
    a page's row is in wagtailcore_page and in its type's own table)."""
    tables = set()
    for model in models:
        for each in (model, *model._meta.get_parent_list()):
            tables.add(each._meta.db_table)
    return tables


@functools.cache
def page_tables():
    """Every table a page is stored in (wagtailcore_page and each page type's own): what a
    value read from pages of any type (a route, a course's outline) depends on."""
    from wagtail.models import Page, get_page_models

    return frozenset(tables_of(Page, *get_page_models()))


def for_user(user, name, *, tables, compute):
    """``compute()`` for this member, kept on the user object for the request and in the cache
    until one of ``tables`` is written (their permissions, the organisations they act for)."""
    memo = user.__dict__.setdefault("_tablecache_values", {})
    if name not in memo:
        memo[name] = cached(f"user:{name}", user.pk, tables=tables, compute=compute)
    return memo[name]
