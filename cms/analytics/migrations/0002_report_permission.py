"""Regional editors, Moderators and Administrators may see the dissemination report."""

from django.db import migrations

ROLES = ["Regional editor", "Moderator", "Administrator"]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="analytics", model="pageview")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_report",
        defaults={"name": "Can see the dissemination report"},
    )
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth.Permission")
    Permission.objects.filter(content_type__app_label="analytics", codename="view_report").delete()


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_initial"), ("accounts", "0003_roles")]
    operations = [migrations.RunPython(grant, revoke)]
