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


def test_choice_lists_are_read_without_a_server_side_cursor():
    """A form's choice list (ModelChoiceField, read with ``QuerySet.iterator()``) is one plain
    SELECT, not a cursor declared WITH HOLD outside a transaction."""
    from django import forms
    from django.test.utils import CaptureQueriesContext

    from cms.directory.models import Region
    from tests.factories import RegionFactory

    RegionFactory.create_batch(3)
    field = forms.ModelChoiceField(Region.objects.order_by("pk"), empty_label="All regions")

    with CaptureQueriesContext(connection) as queries:
        choices = list(field.choices)

    assert len(choices) == Region.objects.count() + 1  # and "All regions"
    statements = " ".join(query["sql"] for query in queries.captured_queries)
    assert "DECLARE" not in statements
    assert settings.DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True
