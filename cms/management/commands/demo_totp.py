from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cms.accounts.two_factor import totp_current_code, totp_secret


class Command(BaseCommand):
    help = (
        "Print the current two-factor code (and the secret, for an authenticator app) of a demo "
        "account, e.g. `manage.py demo_totp admin@example.org`. Development only."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if getattr(settings, "IS_PRODUCTION", False):
            raise CommandError("demo_totp prints secrets; it never runs in production.")
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account with the address {email}.")
        secret = totp_secret(user)
        if secret is None:
            raise CommandError(f"{email} has no authenticator app.")
        self.stdout.write(f"{totp_current_code(secret)}  (secret {secret})")
