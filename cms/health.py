"""What /healthz reports: each dependency's state. Only the database decides 503: without it
nothing can be served; without the cache, the broker or the mail server the site serves on
(degraded) and the outbox catches up later."""

import logging
import secrets

import redis
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from kombu import Connection

from cms.outbox.services import outbox_backlog

logger = logging.getLogger(__name__)

# The oldest e-mail due longer than this means nothing is sending (no worker, no beat, SMTP).
OUTBOX_LATE_SECONDS = 15 * 60


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Health: database unavailable: %s", error)
        return {"status": "unavailable"}
    return {"status": "ok", "vendor": connection.vendor}


def check_cache() -> dict:
    """A write and a read back (django-redis hides errors as misses, so a miss is the sign)."""
    cache = caches["default"]
    key, value = "healthz:probe", secrets.token_hex(8)
    try:
        cache.set(key, value, 30)
        answered = cache.get(key) == value
    except Exception:  # noqa: BLE001 - whatever the backend raises, the cache is not usable
        answered = False
    return {"status": "ok" if answered else "unavailable"}


def check_broker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": "inline"}  # no broker configured: jobs run in the web process
    url = settings.CELERY_BROKER_URL
    timeout = getattr(settings, "REDIS_TIMEOUT", 1.0)
    try:
        if url.startswith(("redis://", "rediss://")):
            redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout).ping()
        else:
            with Connection(url, connect_timeout=timeout) as broker:
                broker.ensure_connection(max_retries=1)
    except Exception as error:  # noqa: BLE001 - any failure means jobs wait in the database
        logger.warning("Health: broker unavailable: %s", error)
        return {"status": "unavailable"}
    return {"status": "ok"}


def check_outbox() -> dict:
    backlog = outbox_backlog()
    late = backlog["oldest_due_seconds"] > OUTBOX_LATE_SECONDS
    return {"status": "late" if late else "ok", **backlog}


def health() -> tuple[dict, int]:
    """(report, HTTP status)."""
    database = check_database()
    report = {"database": database}
    if database["status"] != "ok":
        return {"status": "error", **report}, 503
    report["cache"] = check_cache()
    report["broker"] = check_broker()
    report["outbox"] = check_outbox()
    degraded = (
        report["cache"]["status"] != "ok"
        or report["broker"]["status"] == "unavailable"
        or report["outbox"]["status"] != "ok"
    )
    return {"status": "degraded" if degraded else "ok", **report}, 200
