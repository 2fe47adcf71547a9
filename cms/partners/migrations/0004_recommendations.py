"""Opportunity term rows only for open published opportunities, with their organisation and
deadline (one scan ranks the recommendations); recommendation digests record what they sent."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def clear_terms(apps, schema_editor):
    apps.get_model("partners", "OpportunityTerm").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("partners", "0003_interests"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(clear_terms, migrations.RunPython.noop),
        migrations.AddField(
            model_name="opportunityterm",
            name="organisation",
            field=models.ForeignKey(
                default=None,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="directory.organisation",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="opportunityterm",
            name="deadline",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="opportunityterm",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="directory.organisation",
            ),
        ),
        migrations.CreateModel(
            name="RecommendationDelivery",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sent_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "opportunity",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="partners.opportunity",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "opportunity"), name="partners_recommendation_once"
                    )
                ],
            },
        ),
    ]
