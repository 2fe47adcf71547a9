"""A GIN index for the forum's full-text search on PostgreSQL (forum/search.py). Machina's
post table is not ours to describe in a model, so the index is created here, on PostgreSQL
only; SQLite searches without it."""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from forum.search import SEARCH_INDEX_NAME, post_search_vector


def index():
    return GinIndex(post_search_vector(), name=SEARCH_INDEX_NAME)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [SEARCH_INDEX_NAME])
        if cursor.fetchone():  # made by this migration under its first number
            return
    schema_editor.add_index(apps.get_model("forum_conversation", "Post"), index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("forum_conversation", "Post"), index())


class Migration(migrations.Migration):
    dependencies = [
        ("working_groups", "0002_preferences_in_notifications"),
        ("forum_conversation", "0013_auto_20201220_1745"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
