from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cms.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump on PostgreSQL, a consistent copy on SQLite) and every "
        "stored file (public media and private files, on disk or in object storage) into one "
        "archive. Safe while the site runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="The archive to write (default: var/backups/tvc-<UTC time>.tar.gz).",
        )

    def handle(self, *args, output=None, **options):
        if not output:
            stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
            output = settings.BASE_DIR / "var" / "backups" / f"tvc-{stamp}.tar.gz"
        try:
            summary = backup_create(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {summary.engine} database and {summary.files} files "
                f"({summary.file_bytes} bytes) to {summary.path}"
            )
        )
