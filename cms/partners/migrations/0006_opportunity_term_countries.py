"""The countries sought move onto every term row of an opportunity (no country rows any more):
the recommendations filter the matching rows instead of joining country rows."""

from django.db import migrations, models


def rebuild_terms(apps, schema_editor):
    from cms.partners.models import _terms, countries_column

    Opportunity = apps.get_model("partners", "Opportunity")
    OpportunityTerm = apps.get_model("partners", "OpportunityTerm")
    OpportunityTerm.objects.all().delete()
    rows = []
    for opportunity in Opportunity.objects.filter(review_state="published", status="open"):
        pairs = _terms(
            nace=opportunity.nace_codes,
            s3=opportunity.s3_areas,
            competences=opportunity.competences,
            seeks=opportunity.sought_partners,
        )
        rows += [
            OpportunityTerm(
                opportunity_id=opportunity.pk,
                organisation_id=opportunity.organisation_id,
                deadline=opportunity.deadline,
                countries=countries_column(opportunity.sought_countries),
                scheme=scheme,
                code=code,
            )
            for scheme, code in sorted(pairs)
        ]
    OpportunityTerm.objects.bulk_create(rows, batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [("partners", "0005_rebuild_opportunity_terms")]

    operations = [
        migrations.AddField(
            model_name="opportunityterm",
            name="countries",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.RunPython(rebuild_terms, migrations.RunPython.noop),
    ]
