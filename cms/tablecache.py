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
all current: one round trip to the cache (``get_many``) per value. Unlike the page cache's
generation (cms/fragments.py), this works whether the page cache is on or off, and a write to
another table (a forum post, a quiz answer) does not throw these values away.

Nothing is stored while the request is inside a transaction of its own (what it reads may still
be rolled back); tests' own transaction (``TestCase``) does not count. When the cache does not
answer, every value is computed."""

import hashlib
import uuid
from functools import partial

from django.core.cache import cache
from django.db import connections, transaction

# A value is also dropped after this long, as a page of the page cache is: a write made while
# the cache did not answer (a network cut to Redis) could not replace its table's token, and
# whatever was stored before the cut (a member's permissions) must not outlive it for long.
VALUE_TIMEOUT = 5 * 60
EVERY_TABLE = "*"  # the token replaced by statements whose table is not known


def _version_key(table):
    return f"tablecache:table:{table}"


def _value_key(name, vary):
    identity = "\n".join([name, *(str(value) for value in vary)])
    return f"tablecache:value:{hashlib.sha256(identity.encode()).hexdigest()}"


def bump(tables):
    """Make every value read from ``tables`` unreachable (new random tokens, so a token lost
    from the cache can never bring old values back)."""
    cache.set_many({_version_key(table): uuid.uuid4().hex for table in tables}, None)


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


def _current_versions(tables):
    keys = [_version_key(table) for table in tables]
    found = cache.get_many(keys)
    missing = [key for key in keys if found.get(key) is None]
    for key in missing:
        cache.add(key, uuid.uuid4().hex, None)
    if missing:
        found.update(cache.get_many(missing))
    versions = tuple(found.get(key) for key in keys)
    return None if None in versions else versions


def cached(name, *vary, tables, compute):
    """``compute()`` (anything the cache can pickle), kept until one of ``tables`` (their
    database names) is written. ``vary``: everything the value depends on besides the tables
    (a site, a member, a language)."""
    tables = (EVERY_TABLE, *sorted({table.lower() for table in tables}))
    value_key = _value_key(name, vary)
    keys = [_version_key(table) for table in tables]
    found = cache.get_many([*keys, value_key])
    versions = tuple(found.get(key) for key in keys)
    if None in versions:
        versions = _current_versions(tables)
        if versions is None:  # the cache does not answer
            return compute()
    entry = found.get(value_key)
    if entry is not None and entry[0] == versions:
        return entry[1]
    value = compute()
    if not _in_own_transaction():
        cache.set(value_key, (versions, value), VALUE_TIMEOUT)
    return value


def tables_of(*models):
    """The database tables of ``models``, with those of their parents (multi-table inheritance:
    a page's row is in wagtailcore_page and in its type's own table)."""
    tables = set()
    for model in models:
        for each in (model, *model._meta.get_parent_list()):
            tables.add(each._meta.db_table)
    return tables


def for_user(user, name, *, tables, compute):
    """``compute()`` for this member, kept on the user object for the request and in the cache
    until one of ``tables`` is written (their permissions, the organisations they act for)."""
    memo = user.__dict__.setdefault("_tablecache_values", {})
    if name not in memo:
        memo[name] = cached(f"user:{name}", user.pk, tables=tables, compute=compute)
    return memo[name]
