from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail import hooks

from cms.demo import DEMO_ADMIN_EMAIL
from cms.hooks import LOAD_DEMO


class Command(BaseCommand):
    help = (
        "Fill an empty database with realistic demo content for every app, and one user per "
        "role. Idempotent. Development only: refuses to run under production settings."
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
        from django.contrib.auth import get_user_model

        if skip_if_loaded and get_user_model().objects.filter(email=DEMO_ADMIN_EMAIL).exists():
            self.stdout.write("Demo content already loaded; nothing to do.")
            return
        for loader in hooks.get_hooks(LOAD_DEMO):
            with transaction.atomic():
                loader(stdout=self.stdout, style=self.style)
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
