"""Trigram indexes for the browse page's text search on PostgreSQL (``ListingFilter.
filter_text``: title or description containing the words, ``icontains``, which PostgreSQL runs as
``UPPER(column) LIKE UPPER('%words%')``). Without them every search read every listing (53 ms
over 50,000 listings with empty descriptions, more with real ones); with them, a few index
pages. GIN indexes with an operator class are PostgreSQL's alone, so they are created here, on
PostgreSQL only, as forum/migrations/0003 does; SQLite searches without them."""

from django.db import migrations

# On the expressions Django's icontains compares, so that the planner can use them.
INDEXED = {
    "exchange_listing_title_trgm": "title",
    "exchange_listing_description_trgm": "description",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Here rather than Django's TrigramExtension, whose reverse asks PostgreSQL's catalogue on
    # any database (SQLite has no pg_extension). Left in place when unapplied: other indexes
    # may use it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXED.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON exchange_listing "
            f"USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("exchange", "0011_match_fk_indexes_dropped")]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
