"""Certificate PDFs get random names (their verification code is public, so ``<code>.pdf`` was
guessable) and any still in the public media storage move to the private one."""

from django.core.files.storage import storages
from django.db import migrations, models

import cms.storage
import courses.models
from cms.files import move_file, random_file_name


def rename_certificates(apps, schema_editor):
    Certificate = apps.get_model("courses", "Certificate")
    public, private = storages["default"], storages["private"]
    for certificate in Certificate.objects.exclude(pdf="").iterator():
        name = certificate.pdf.name
        if name.removeprefix("certificates/") != f"{certificate.code}.pdf":
            continue
        new_name = move_file(
            name,
            sources=[private, public],
            target=private,
            new_name=random_file_name("certificates", name, extension="pdf"),
        )
        Certificate.objects.filter(pk=certificate.pk).update(pdf=new_name or "")


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_external_course"),
    ]

    operations = [
        migrations.AlterField(
            model_name="certificate",
            name="pdf",
            field=models.FileField(
                blank=True,
                storage=cms.storage.private_storage,
                upload_to=courses.models.certificate_pdf_path,
                verbose_name="PDF",
            ),
        ),
        migrations.RunPython(rename_certificates, migrations.RunPython.noop),
    ]
