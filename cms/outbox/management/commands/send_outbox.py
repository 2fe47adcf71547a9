from django.core.management.base import BaseCommand

from cms.outbox import services, tasks


class Command(BaseCommand):
    help = (
        "Send the e-mails of the outbox that are due and hand waiting jobs to the broker "
        "(for a cron job where Celery beat does not run; beat runs the same every minute)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="E-mails at most (per run).")

    def handle(self, *args, limit=None, **options):
        counts = services.outbox_send_due(limit=limit)
        jobs = services.jobs_republish(publish=tasks._publish)
        self.stdout.write(
            f"{counts['sent']} sent, {counts['retry']} to retry, {counts['failed']} failed; "
            f"{jobs} jobs handed to the broker."
        )
