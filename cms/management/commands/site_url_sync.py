from django.core.management.base import BaseCommand, CommandError

from cms.links import default_site_sync, site_address


class Command(BaseCommand):
    help = (
        "Give the default Wagtail site the hostname and port of SITE_URL, so feeds, the sitemap "
        "and e-mails link to it. Also runs after every migrate and when a web process starts."
    )

    def handle(self, *args, **options):
        try:
            changed = default_site_sync()
            hostname, port = site_address()
        except ValueError as error:
            raise CommandError(str(error)) from error
        verb = "now at" if changed else "already at"
        self.stdout.write(self.style.SUCCESS(f"Default site {verb} {hostname}:{port}."))
