"""Deals both sides confirm. Deals recorded before this change were counted at once; they stay
counted (confirmed), proposed by the side their recorder belonged to."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def existing_deals_confirmed(apps, schema_editor):
    Deal = apps.get_model("exchange", "Deal")
    Membership = apps.get_model("exchange", "Membership")
    for deal in Deal.objects.select_related("inquiry__listing").iterator():
        inquiry = deal.inquiry
        sides = [inquiry.organisation_id, inquiry.listing.organisation_id]
        proposer = sides[0]
        if deal.proposed_by_id:
            member_of = set(
                Membership.objects.filter(user_id=deal.proposed_by_id).values_list(
                    "organisation_id", flat=True
                )
            )
            proposer = next((side for side in sides if side in member_of), sides[0])
        deal.state = "confirmed"
        deal.proposed_by_organisation_id = proposer
        deal.decided_at = deal.created_at
        deal.save(update_fields=["state", "proposed_by_organisation", "decided_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0002_region_editor_group"),
        ("exchange", "0002_match_alerts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(
            model_name="deal",
            old_name="recorded_by",
            new_name="proposed_by",
        ),
        migrations.AddField(
            model_name="deal",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="deal",
            name="decided_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="deal",
            name="proposed_by_organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="directory.organisation",
            ),
        ),
        migrations.AddField(
            model_name="deal",
            name="state",
            field=models.CharField(
                choices=[
                    ("proposed", "Waiting for confirmation"),
                    ("confirmed", "Confirmed"),
                    ("declined", "Declined"),
                    ("withdrawn", "Withdrawn"),
                ],
                default="proposed",
                max_length=10,
                verbose_name="state",
            ),
        ),
        migrations.RunPython(existing_deals_confirmed, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="deal",
            index=models.Index(fields=["state", "date"], name="exchange_de_state_09a37d_idx"),
        ),
        migrations.AddIndex(
            model_name="inquiry",
            index=models.Index(
                fields=["organisation", "created_at"], name="exchange_in_organis_2c371e_idx"
            ),
        ),
    ]
