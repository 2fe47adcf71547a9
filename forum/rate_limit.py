"""Posting rate limit per user, counted in Django's cache (shared by all web processes when the
cache is Redis): at most FORUM_POST_RATE_LIMIT posts per FORUM_POST_RATE_PERIOD seconds."""

from django.conf import settings
from django.core.cache import cache


def _key(user_id):
    return f"working_groups:posts:{user_id}"


def record_post(user_id):
    key = _key(user_id)
    if cache.add(key, 1, timeout=settings.FORUM_POST_RATE_PERIOD):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=settings.FORUM_POST_RATE_PERIOD)


def is_limited(user):
    if not user.is_authenticated:
        return False
    return cache.get(_key(user.pk), 0) >= settings.FORUM_POST_RATE_LIMIT
