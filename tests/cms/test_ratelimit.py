"""The one rate-limiting helper (cms/ratelimit.py): counts in the cache, fails open."""

import socket

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from cms.ratelimit import ratelimit_exceeded, ratelimit_hit

pytestmark = pytest.mark.django_db

# Every window of django-ratelimit is fixed; a clock that stands still keeps a test inside one.
FROZEN = "2026-03-02 10:00:05Z"


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@time_machine.travel(FROZEN, tick=False)
def test_counts_per_key_and_scope():
    assert not ratelimit_hit(scope="search", key="a", rate="2/m")
    assert not ratelimit_hit(scope="search", key="a", rate="2/m")
    assert ratelimit_exceeded(scope="search", key="a", rate="2/m")
    assert ratelimit_hit(scope="search", key="a", rate="2/m")
    assert not ratelimit_hit(scope="search", key="b", rate="2/m")  # another key
    assert not ratelimit_hit(scope="exchange.inquiry", key="a", rate="2/m")  # another scope


def test_the_cache_being_down_limits_nobody(caplog):
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    with override_settings(CACHES=unreachable):
        for _ in range(5):
            assert not ratelimit_hit(scope="search", key="a", rate="1/m")
        assert not ratelimit_exceeded(scope="search", key="a", rate="1/m")
    assert "cache is unavailable" in caplog.text


def test_unknown_scope_is_a_programming_error():
    with pytest.raises(KeyError):
        ratelimit_hit(scope="nowhere", key="a")


@time_machine.travel(FROZEN, tick=False)
@override_settings(RATELIMITS={"search": "2/m"})
def test_search_answers_429_with_a_message_past_the_limit(client):
    for _ in range(2):
        assert client.get(reverse("search"), {"q": "wool"}).status_code == 200
    response = client.get(reverse("search"), {"q": "wool"})
    assert response.status_code == 429
    assert "Please wait a minute" in response.content.decode()
    assert client.get(reverse("search")).status_code == 200  # the empty form is not counted
