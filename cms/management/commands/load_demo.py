from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.test.utils import override_settings
from wagtail import hooks

from cms.accounts import roles
from cms.accounts.two_factor import totp_activate
from cms.demo import DEMO_ADMIN_EMAIL, DEMO_PASSWORD, DEMO_USERS
from cms.hooks import LOAD_DEMO


class Command(BaseCommand):
    help = (
        "Fill an empty database with realistic demo content for every app, and one user per "
        "role. Idempotent. Development only: refuses to run under production settings. The "
        "e-mails the demo sends are written to var/demo-mail/ instead of the console."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-if-loaded",
            action="store_true",
            help="Do nothing when the demo content is already there (used by `make run`).",
        )

    def handle(self, *args, skip_if_loaded=False, **options):
        if getattr(settings, "IS_PRODUCTION", False):
            raise CommandError("load_demo creates known passwords; it never runs in production.")
        if skip_if_loaded and get_user_model().objects.filter(email=DEMO_ADMIN_EMAIL).exists():
            self.stdout.write("Demo content already loaded; nothing to do.")
        else:
            self.load()
        self.stdout.write("Demo accounts (development only):")
        for email, role, *_ in DEMO_USERS:
            self.stdout.write(f"  {role:<16} {email:<28} password: {DEMO_PASSWORD}")
        self.write_two_factor()

    def write_two_factor(self):
        """Accounts that work in the admin need a second factor: each gets an authenticator app
        secret (kept across runs); `manage.py demo_totp <e-mail>` prints the current code."""
        self.stdout.write(
            "Two-factor authentication (required for the admin): add the secret to an "
            "authenticator app, or run `manage.py demo_totp <e-mail>` for the current code."
        )
        staff = get_user_model().objects.filter(
            Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name__in=roles.ADMIN_ROLES)
        )
        for user in staff.distinct().order_by("email"):
            secret = totp_activate(user=user)
            self.stdout.write(f"  {user.email:<28} authenticator secret: {secret}")

    def load(self):
        mail_dir = settings.BASE_DIR / "var" / "demo-mail"
        quiet_mail = {}
        if settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":
            # Trainees' certificates, join requests, ...: hundreds of lines that would bury the
            # accounts and the server's address. They stay readable as files.
            quiet_mail = {
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(mail_dir),
            }
        with override_settings(**quiet_mail):
            for loader in hooks.get_hooks(LOAD_DEMO):
                with transaction.atomic():
                    loader(stdout=self.stdout, style=self.style)
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        if quiet_mail:
            self.stdout.write(f"The e-mails it sent are in {mail_dir}/.")
