"""The planner's statistics, which choose how every query runs.

PostgreSQL's autovacuum refreshes them as tables change. SQLite has no such process: without
``ANALYZE`` it guesses, and its guesses read all 25,000 active offers to match one new wanted
listing where the composition index finds its few hundred candidates (126 ms instead of 59 ms
at 50,000 listings; docs/performance.md). Celery beat runs ``statistics_refresh`` every night
(``cms.tasks.refresh_database_statistics``), and the benchmarks run it after seeding, as a
running site would have by then.
"""

from collections.abc import Iterable

from django.db import connection
from django.db.models import Model


def statistics_refresh(models: Iterable[type[Model]] = ()) -> None:
    """``ANALYZE`` the tables of ``models`` (every table when none are given)."""
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and tables:
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        elif tables:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")
