"""Moderators and Administrators review cooperation opportunities."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWER_ROLES = ["Moderator", "Administrator"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("partners")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        codename="review_opportunity", content_type__app_label="partners"
    )
    for name in REVIEWER_ROLES:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0001_initial"),
        ("accounts", "0003_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
