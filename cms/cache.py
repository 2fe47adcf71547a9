"""The Redis cache backend of the site: django-redis with IGNORE_EXCEPTIONS (every read is a
miss and every write a no-op while Redis is down, logged), plus one change: ``add`` answers
True when Redis does not answer.

``cache.add`` is how locks and "first one wins" counters are taken (allauth's rate-limit lock,
django-ratelimit's counters). django-redis's False would mean "someone else holds it", so
allauth would answer 429 to every sign-in while Redis is down. True means: nobody is blocked
because of an outage, which is the policy everywhere (cms/ratelimit.py fails open too)."""

import logging

from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted

logger = logging.getLogger(__name__)


class FailSoftRedisCache(RedisCache):
    def add(self, *args, **kwargs):
        try:
            return self.client.add(*args, **kwargs)
        except ConnectionInterrupted:
            if not self._ignore_exceptions:
                raise
            logger.warning("Cache unavailable: add() let through", exc_info=True)
            return True
