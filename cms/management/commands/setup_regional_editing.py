from django.core.management.base import BaseCommand

from cms.services import regional_editing_setup


class Command(BaseCommand):
    help = (
        "Create or update the 'Regional editor – <Region>' groups with their page permissions, "
        "and the Moderators' approval workflow. Idempotent; also runs after every migrate."
    )

    def handle(self, *args, **options):
        regional_editing_setup()
        self.stdout.write(self.style.SUCCESS("Regional editing set up."))
