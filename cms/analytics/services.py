"""Counting, without personal data: one atomic upsert per view or click."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from .models import LinkClick, PageView

CLICK_SALT = "analytics.click"
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|monitor|"
    r"curl|wget|python-requests|httpx|go-http-client|java/|libwww|headless|lighthouse",
    re.IGNORECASE,
)


def is_bot(user_agent):
    return not user_agent or bool(BOT_USER_AGENT.search(user_agent))


def _increment(table, key_columns, key_values, counter):
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


def page_view_record(*, page_id, day=None):
    """Add one view of ``page_id`` on ``day`` (today by default)."""
    _increment(
        PageView._meta.db_table, ["page_id", "day"], [page_id, day or timezone.localdate()], "views"
    )


def link_click_record(*, issue_id, url, day=None):
    _increment(
        LinkClick._meta.db_table,
        ["issue_id", "url", "day"],
        [issue_id, url[:1000], day or timezone.localdate()],
        "clicks",
    )


def tracked_url(*, issue_id, url):
    """An absolute address on this site that counts a click and redirects to ``url``. Signed,
    so it cannot be used to redirect anywhere else (no open redirect)."""
    token = signing.dumps({"i": issue_id, "u": url}, salt=CLICK_SALT, compress=True)
    return settings.SITE_URL.rstrip("/") + reverse("analytics:click", kwargs={"token": token})


def read_click_token(token):
    """(issue id, url) of a valid token; raises signing.BadSignature."""
    data = signing.loads(token, salt=CLICK_SALT)
    url = data["u"]
    if urlsplit(url).scheme not in ("http", "https"):
        raise signing.BadSignature("Only web links are tracked")
    return data["i"], url
