"""Counting, without personal data.

Page views: the view-count middleware (middleware.py) records each view of a public page by a
person, as a ViewKey (day, address, CMS page, referring domain, campaign), into a buffer: with
Redis, one HINCRBY of a hash in Redis (no database write per view); a periodic task
(tasks.flush_view_counts, every minute) adds the counts to the database in one transaction
(``views_flush``). Without Redis (the embedded default) each view is one upsert. Redis down: the
view is not counted (logged), the page is served as usual.

View counters of the apps' own objects (a forum topic's views) go the same way: the app registers
how to add counts to its table (``counter_register``), each view is one HINCRBY into the same
hash (``counter_record``), and the same flush adds them. A topic view is then no database write,
so it neither waits on the database nor touches the anonymous page cache (cms/pagecache.py).

Newsletter clicks: one atomic upsert per click."""

import datetime
import json
import logging
import re
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import astuple, dataclass, replace
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.core import signing
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from .models import LinkClick, PageView, Visit

logger = logging.getLogger(__name__)

CLICK_SALT = "analytics.click"
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|monitor|"
    r"curl|wget|python-requests|httpx|go-http-client|java/|libwww|headless|lighthouse",
    re.IGNORECASE,
)


def is_bot(user_agent: str | None) -> bool:
    return not user_agent or bool(BOT_USER_AGENT.search(user_agent))


def _increment(
    table: str, key_columns: Sequence[str], key_values: Sequence[Any], counter: str
) -> None:
    # INSERT … ON CONFLICT DO UPDATE works on SQLite (3.24+) and PostgreSQL; one statement, so
    # concurrent requests never lose a count.
    columns = ", ".join([*key_columns, counter])
    placeholders = ", ".join(["%s"] * (len(key_columns) + 1))
    conflict = ", ".join(key_columns)
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "  # noqa: S608 - names are ours
        f"ON CONFLICT ({conflict}) DO UPDATE SET {counter} = {table}.{counter} + 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*key_values, 1])


def page_view_record(*, page_id: int, day: datetime.date | None = None) -> None:
    """Add one view of ``page_id`` on ``day`` (today by default)."""
    _increment(
        PageView._meta.db_table, ["page_id", "day"], [page_id, day or timezone.localdate()], "views"
    )


@dataclass(frozen=True)
class ViewKey:
    """What is kept of one page view: nothing that tells who viewed it."""

    day: str  # ISO date
    path: str
    page_id: int | None
    referrer: str = ""
    source: str = ""
    medium: str = ""
    campaign: str = ""


def _date(value: str | datetime.date) -> datetime.date:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def views_add(counts: Mapping[ViewKey, int]) -> None:
    """Add ``counts`` ({ViewKey: views}) to the daily Visit and PageView counts: one statement
    per table, each row an upsert that adds (so concurrent flushes never lose a count). Views of
    a page deleted since are kept for its address only."""
    if not counts:
        return
    page_ids = {key.page_id for key in counts if key.page_id is not None}
    if page_ids:
        from wagtail.models import Page

        page_ids = set(Page.objects.filter(pk__in=page_ids).values_list("pk", flat=True))
    visits: Counter[ViewKey] = Counter()
    page_views: Counter[tuple[int, str]] = Counter()
    for key, views in counts.items():
        page_id = key.page_id if key.page_id in page_ids else None
        visits[replace(key, page_id=page_id)] += views
        if page_id is not None:
            page_views[(page_id, key.day)] += views
    visit_table, page_table = Visit._meta.db_table, PageView._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {visit_table} "  # noqa: S608 - table names are ours
            "(day, path, page_id, referrer, source, medium, campaign, views) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (day, path, referrer, source, medium, campaign) DO UPDATE SET "
            f"views = {visit_table}.views + EXCLUDED.views, "
            f"page_id = COALESCE(EXCLUDED.page_id, {visit_table}.page_id)",
            [[_date(key.day), *astuple(key)[1:], views] for key, views in visits.items()],
        )
        if page_views:
            cursor.executemany(
                f"INSERT INTO {page_table} (page_id, day, views) "  # noqa: S608
                "VALUES (%s, %s, %s) ON CONFLICT (page_id, day) DO UPDATE SET "
                f"views = {page_table}.views + EXCLUDED.views",
                [[page_id, _date(day), views] for (page_id, day), views in page_views.items()],
            )


@cache
def _redis(url: str) -> redis.Redis:
    timeout = settings.REDIS_TIMEOUT
    return redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)


def redis_client() -> redis.Redis:
    return _redis(settings.REDIS_URL)


def buffered() -> bool:
    """Whether views wait in Redis for the periodic flush (ANALYTICS_BUFFER = "redis")."""
    return settings.ANALYTICS_BUFFER == "redis" and bool(settings.REDIS_URL)


def view_record(key: ViewKey) -> None:
    """Count one view: into Redis when buffered, else straight into the database."""
    if not buffered():
        with transaction.atomic():
            views_add({key: 1})
        return
    try:
        redis_client().hincrby(settings.ANALYTICS_REDIS_KEY, json.dumps(astuple(key)), 1)
    except redis.RedisError as error:  # fail soft: the page matters more than its count
        logger.warning("Page view not counted, Redis unavailable: %s", error)


# Counters of the apps, by name: {name: add(counts={object id: views})}.
CounterAdd = Callable[..., None]  # add(counts={object id: views})
COUNTERS: dict[str, CounterAdd] = {}
# The first item of a counter's field in the Redis hash; a page view's is its ISO date.
COUNTER_FIELD = "counter"


def counter_register(name: str, add: CounterAdd) -> None:
    """``add(counts=...)`` adds {object id: views} to the app's counter ``name`` (called by the
    flush inside its transaction, or for each view when views are not buffered)."""
    COUNTERS[name] = add


def counter_record(name: str, object_id: int) -> None:
    """Count one view of ``object_id`` on the registered counter ``name``: into Redis when
    buffered, else straight into the database."""
    if not buffered():
        COUNTERS[name](counts={object_id: 1})
        return
    field = json.dumps([COUNTER_FIELD, name, object_id])
    try:
        redis_client().hincrby(settings.ANALYTICS_REDIS_KEY, field, 1)
    except redis.RedisError as error:  # fail soft, as for page views
        logger.warning("View of %s %s not counted, Redis unavailable: %s", name, object_id, error)


def _counters_add(counters: Mapping[str, Mapping[int, int]]) -> None:
    for name, counts in counters.items():
        add = COUNTERS.get(name)
        if add is None:
            logger.warning("Views of unknown counter %r dropped", name)
            continue
        add(counts=dict(counts))


def views_flush() -> int:
    """Move the views counted in Redis into the database; returns how many views were moved.

    The live hash is renamed to a hash of this flush (atomic: views counted meanwhile go into a
    new live hash), added to the database in one transaction, then deleted. A flush that fails
    leaves its hash for the next flush to add first; a lock keeps two flushes from adding the
    same hash."""
    if not buffered():
        return 0
    client = redis_client()
    live = settings.ANALYTICS_REDIS_KEY
    lock = client.lock(f"{live}:lock", timeout=300, blocking=False)
    if not lock.acquire():
        return 0
    moved = 0
    try:
        if client.exists(live):
            client.rename(live, f"{live}:flush:{uuid.uuid4().hex}")
        for name in client.scan_iter(match=f"{live}:flush:*"):
            counts: Counter[ViewKey] = Counter()
            counters: dict[str, Counter[int]] = {}
            for field, views in client.hgetall(name).items():
                try:
                    values = json.loads(field)
                    if values[0] == COUNTER_FIELD:
                        _kind, counter, object_id = values
                        counters.setdefault(counter, Counter())[int(object_id)] += int(views)
                    else:
                        counts[ViewKey(*values)] += int(views)
                except (ValueError, TypeError, IndexError):  # not ours: skip it
                    logger.warning("Unreadable page-view counter %r dropped", field)
            try:
                with transaction.atomic():
                    views_add(counts)
                    _counters_add(counters)
            except DatabaseError:
                logger.exception("Page views not flushed; they stay in Redis for the next flush")
                raise
            client.delete(name)
            moved += sum(counts.values()) + sum(sum(c.values()) for c in counters.values())
    finally:
        lock.release()
    return moved


def link_click_record(*, issue_id: int, url: str, day: datetime.date | None = None) -> None:
    _increment(
        LinkClick._meta.db_table,
        ["issue_id", "url", "day"],
        [issue_id, url[:1000], day or timezone.localdate()],
        "clicks",
    )


def tracked_url(*, issue_id: int, url: str) -> str:
    """An absolute address on this site that counts a click and redirects to ``url``. Signed,
    so it cannot be used to redirect anywhere else (no open redirect)."""
    token = signing.dumps({"i": issue_id, "u": url}, salt=CLICK_SALT, compress=True)
    return settings.SITE_URL.rstrip("/") + reverse("analytics:click", kwargs={"token": token})


def read_click_token(token: str) -> tuple[int, str]:
    """(issue id, url) of a valid token; raises signing.BadSignature."""
    data = signing.loads(token, salt=CLICK_SALT)
    url = data["u"]
    if urlsplit(url).scheme not in ("http", "https"):
        raise signing.BadSignature("Only web links are tracked")
    return data["i"], url
