"""After 0007 moved the threads (a separate migration: PostgreSQL refuses to alter a table
with pending trigger events in the transaction that changed its rows)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("partners", "0007_interest_threads_are_conversations")]

    operations = [
        migrations.AlterField(
            model_name="interest",
            name="conversation",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="interest",
                to="conversations.conversation",
            ),
        ),
        migrations.RemoveField(model_name="interest", name="started_by"),
        migrations.AlterField(
            model_name="interest",
            name="state",
            field=models.CharField(
                choices=[
                    ("open", "Open"),
                    ("shortlisted", "Shortlisted"),
                    ("closed", "Closed"),
                    ("withdrawn", "Withdrawn"),
                ],
                default="open",
                max_length=12,
                verbose_name="state",
            ),
        ),
        migrations.DeleteModel(name="InterestMessage"),
    ]
