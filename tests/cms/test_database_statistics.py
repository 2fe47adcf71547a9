"""Planner statistics (cms/database.py): SQLite has no autovacuum, so the site refreshes them
every night; the benchmarks refresh them after seeding."""

import pytest
from django.conf import settings
from django.db import connection

from cms import tasks
from cms.database import statistics_refresh
from exchange.models import Listing
from tests.exchange.factories import ListingFactory

pytestmark = pytest.mark.django_db


def analysed(table):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone()[0]:
                return False
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
            return cursor.fetchone()[0] > 0
        cursor.execute(
            "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = %s",
            [table],
        )
        return cursor.fetchone()[0]


def test_refreshing_one_table_gives_the_planner_its_statistics():
    ListingFactory.create_batch(3)
    statistics_refresh([Listing])
    assert analysed(Listing._meta.db_table)


@pytest.mark.skipif(
    "sqlite" not in settings.DATABASES["default"]["ENGINE"], reason="autovacuum's job"
)
def test_the_nightly_task_analyses_every_table_on_sqlite():
    ListingFactory.create_batch(3)
    tasks.refresh_database_statistics()
    assert analysed(Listing._meta.db_table)


def test_beat_runs_it_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["database-statistics"]
    assert entry["task"] == "cms.tasks.refresh_database_statistics"
    assert entry["schedule"].hour == {3}
