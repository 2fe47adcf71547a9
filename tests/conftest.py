import os

import pytest
from django.core.cache import caches

from tests.factories import UserFactory

# pytest-playwright runs an event loop in the test thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _clear_caches():
    """Each test starts with empty caches, so allauth's rate limits never leak between tests."""
    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def trainee(db):
    return UserFactory(roles=["Trainee"])


@pytest.fixture
def admin_user(db):
    return UserFactory(is_staff=True, is_superuser=True, roles=["Administrator"])
