import os

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation

from tests.factories import UserFactory

# pytest-playwright runs an event loop in the test thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Make the serialized test database (for ``serialized_rollback``) visible to every
    connection object, not only the one that created it.

    Django keeps it on the connection object of the context that set up the databases.
    Playwright's sync API runs the browser journeys in another context, where ``connections``
    hands out a new connection object without it; when a plain database test ran first, the
    journeys then silently skipped the restore and found an empty database after the first
    journey's flush."""
    from django.db import connections

    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents
    yield


@pytest.fixture(autouse=True)
def _clear_caches():
    """Each test starts with empty caches, so allauth's rate limits never leak between tests."""
    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request through LocaleMiddleware leaves its
    language active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def trainee(db):
    return UserFactory(roles=["Trainee"])


@pytest.fixture
def admin_user(db):
    return UserFactory(is_staff=True, is_superuser=True, roles=["Administrator"])
