"""The platform's roles as groups. Wagtail's default "Editors" and "Moderators" groups become
"Regional editor" and "Moderator", keeping the permissions Wagtail and wagtail-localize gave
them; the other roles are created. Permissions that need every model (Administrator) are
granted after each migrate by cms.accounts.services.roles_grant_permissions."""

from django.db import migrations

RENAMES = {"Editors": "Regional editor", "Moderators": "Moderator"}
ROLES = ["Trainee", "Regional editor", "Moderator", "Exchange member", "Administrator"]
ADMIN_ROLES = ["Regional editor", "Moderator", "Administrator"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    for old, new in RENAMES.items():
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        if name in ADMIN_ROLES:
            group.permissions.add(access_admin)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Group.objects.filter(name__in=["Trainee", "Exchange member", "Administrator"]).delete()
    for old, new in RENAMES.items():
        Group.objects.filter(name=new).update(name=old)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        # The migrations that give Wagtail's default groups their permissions, by name.
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0005_add_page_lock_permission_to_moderators"),
        ("wagtaildocs", "0002_initial_data"),
        ("wagtailimages", "0002_initial_data"),
        ("wagtail_localize", "0006_create_submit_translation_permission"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
