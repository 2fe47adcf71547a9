"""Rebuild the term rows of open published opportunities (see 0004)."""

from django.db import migrations


def rebuild_terms(apps, schema_editor):
    from cms.partners.models import _terms

    Opportunity = apps.get_model("partners", "Opportunity")
    OpportunityTerm = apps.get_model("partners", "OpportunityTerm")
    rows = []
    for opportunity in Opportunity.objects.filter(review_state="published", status="open"):
        pairs = _terms(
            nace=opportunity.nace_codes,
            s3=opportunity.s3_areas,
            competences=opportunity.competences,
            seeks=opportunity.sought_partners,
            countries=opportunity.sought_countries,
        )
        rows += [
            OpportunityTerm(
                opportunity_id=opportunity.pk,
                organisation_id=opportunity.organisation_id,
                deadline=opportunity.deadline,
                scheme=scheme,
                code=code,
            )
            for scheme, code in sorted(pairs)
        ]
    OpportunityTerm.objects.bulk_create(rows, batch_size=5000)



class Migration(migrations.Migration):
    dependencies = [("partners", "0004_recommendations")]

    operations = [migrations.RunPython(rebuild_terms, migrations.RunPython.noop)]
