"""Each PostgreSQL connection of the site starts with the session settings of cms/settings/base.py:
no JIT and no parallel workers (docs/performance.md says why)."""

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's session settings"),
]


def show(name):
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_connections_run_without_jit_or_parallel_workers():
    assert show("jit") == "off"
    assert show("max_parallel_workers_per_gather") == str(settings.DATABASE_PARALLEL_WORKERS)
    assert settings.DATABASE_PARALLEL_WORKERS == 0
