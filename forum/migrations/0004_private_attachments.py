"""Forum attachments move from the public media storage (``machina/attachments/<original
name>``, readable by anyone at /media/…) to the private storage under random folders
(forum.machina_overrides.attachment_file_path). Files already moved are left alone; a row whose
file is missing keeps its name."""

from django.core.files.storage import storages
from django.db import migrations

from cms.files import move_file, random_file_name

FOLDER = "forum/attachments"


def move_attachments(apps, schema_editor):
    Attachment = apps.get_model("forum_attachments", "Attachment")
    public, private = storages["default"], storages["private"]
    for attachment in Attachment.objects.exclude(file="").iterator():
        name = attachment.file.name
        if name.startswith(FOLDER + "/"):
            continue
        new_name = move_file(
            name,
            sources=[public, private],
            target=private,
            new_name=random_file_name(FOLDER, name, keep_name=True),
        )
        if new_name:
            Attachment.objects.filter(pk=attachment.pk).update(file=new_name)


class Migration(migrations.Migration):
    dependencies = [
        ("working_groups", "0003_post_search_index"),
        ("forum_attachments", "0002_auto_20181103_1404"),
    ]

    operations = [migrations.RunPython(move_attachments, migrations.RunPython.noop)]
