"""Wagtail's document files move from the public media storage (``documents/<original name>``,
readable by anyone at /media/…) to the private storage under random folders
(cms.documents.document_file_path). Files already moved are left alone; a row whose file is
missing keeps its name."""

from django.core.files.storage import storages
from django.db import migrations

from cms.files import move_file, random_file_name

FOLDER = "documents"


def move_documents(apps, schema_editor):
    Document = apps.get_model("wagtaildocs", "Document")
    public, private = storages["default"], storages["private"]
    for document in Document.objects.exclude(file="").iterator():
        name = document.file.name
        if private.exists(name):
            continue
        new_name = move_file(
            name,
            sources=[public],
            target=private,
            new_name=random_file_name(FOLDER, name, keep_name=True),
        )
        if new_name:
            Document.objects.filter(pk=document.pk).update(file=new_name)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0007_legal_page"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(move_documents, migrations.RunPython.noop)]
