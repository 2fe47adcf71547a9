from django.core.management.base import BaseCommand, CommandError

from cms.backups import BackupError, backup_restore, unapplied_migrations


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: replaces the whole database and writes "
        "every file of the archive back to its storage. Checks the archive first; a damaged "
        "one changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The archive written by `manage.py backup`.")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, archive, interactive=True, **options):
        if interactive:
            answer = input(
                "This replaces the whole database with the backup's. Type 'yes' to go on: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        try:
            summary = backup_restore(archive_path=archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the {summary.engine} database and {summary.files} files "
                f"({summary.file_bytes} bytes) from {summary.path}"
            )
        )
        pending = unapplied_migrations()
        if pending:
            self.stdout.write(
                f"The backup predates {pending} migrations of this code: run `manage.py migrate`."
            )
