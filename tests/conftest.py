import os
import time

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The browser journeys are transactional: each flushes the database and puts back what the
    migrations made. pytest-django runs them after every test that works inside a transaction,
    which may not find the database as they leave it; pytest regroups tests by their
    parameters, and a parameter named like a journey's fixture (``page``) once moved every
    journey into the middle of the suite. Refuse such an order rather than fail 500 tests."""
    journeys = [n for n, item in enumerate(items) if item.get_closest_marker("browser")]
    if not journeys:
        return
    after = [
        item.nodeid
        for item in items[journeys[0] :]
        if not item.get_closest_marker("browser") and _in_transaction(item)
    ]
    if after:
        raise pytest.UsageError(
            "Tests inside a transaction run after the browser journeys (a parameter named like "
            f"a fixture of theirs?): {', '.join(after[:5])}"
        )


def _in_transaction(item):
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", [])
    if "transactional_db" in fixtures or "live_server" in fixtures:
        return False
    if marker is not None:
        return not (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    return "db" in fixtures


@pytest.fixture(autouse=True)
def _clear_caches():
    """Each test starts with empty caches, so allauth's rate limits never leak between tests;
    the copies each process holds of kept values and fragments too."""
    from cms import fragments, tablecache

    for cache in caches.all():
        cache.clear()
    fragments._local.clear()
    tablecache._local.clear()
    yield


@pytest.fixture(autouse=True)
def _force_login_counts_as_two_factor(monkeypatch):
    """``client.force_login(user)`` skips the password; it skips the second factor the same way,
    so the admin (cms.accounts.middleware.AdminTwoFactorMiddleware) lets staff in. Tests of the
    two-factor requirement pass ``two_factor=False`` or sign in through allauth's pages."""
    original = Client.force_login

    def force_login(self, user, backend=None, *, two_factor=True):
        original(self, user, backend)
        if two_factor:
            session = self.session
            session[AUTHENTICATION_METHODS_SESSION_KEY] = [
                {"method": "mfa", "type": "totp", "at": time.time()}
            ]
            session[f"{AUTHENTICATION_METHODS_SESSION_KEY}_user"] = str(user.pk)
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


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


# Visits before a query count: the first warms the per-process caches (content types, the site
# root, the session) and makes the site look row, which changes what it has just kept
# (cms/tablecache.py); the second keeps it again. A running site has done both long before.
WARM_UP_VISITS = 2


@pytest.fixture
def kept_pages(settings, db):
    """The page cache on, as in production, so fragments and kept pages are kept
    (cms/fragments.py); with the site's look made, as a running site has it."""
    from wagtail.models import Site as WagtailSite

    from themes.models import SiteLook

    settings.PAGE_CACHE_SECONDS = 300
    SiteLook.for_site(WagtailSite.objects.get(is_default_site=True))


@pytest.fixture
def warm_query_count():
    """``count(client, url, data=None, *, at_most=None, status=200)``: the queries of a GET of
    ``url`` after the warm-up visits, checked against ``at_most`` (the failure lists them)."""

    def count(client, url, data=None, *, at_most=None, status=200):
        for _visit in range(WARM_UP_VISITS):
            client.get(url, data)
        with CaptureQueriesContext(connections["default"]) as captured:
            response = client.get(url, data)
        assert response.status_code == status, url
        queries = len(captured)
        if at_most is not None:
            listing = "\n".join(f"{n}. {query['sql']}" for n, query in enumerate(captured, 1))
            assert queries <= at_most, f"{queries} queries, at most {at_most} expected:\n{listing}"
        return queries

    return count
