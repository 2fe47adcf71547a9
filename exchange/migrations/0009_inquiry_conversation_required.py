"""After 0008 moved the threads (a separate migration: PostgreSQL refuses to alter a table
with pending trigger events in the transaction that changed its rows)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("exchange", "0008_inquiry_threads_are_conversations")]

    operations = [
        migrations.AlterField(
            model_name="inquiry",
            name="conversation",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="inquiry",
                to="conversations.conversation",
            ),
        ),
        migrations.RemoveField(model_name="inquiry", name="started_by"),
        migrations.DeleteModel(name="InquiryMessage"),
    ]
