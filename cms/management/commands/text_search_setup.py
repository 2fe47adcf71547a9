from django.core.management.base import BaseCommand
from django.db import connections

from cms.search.languages import POLISH, installed_configs, text_search_setup


class Command(BaseCommand):
    help = (
        'Create the "polish" text-search configuration on PostgreSQL once its dictionary files '
        "are on the database server (cms/search/tsearch_data/install-polish.sh), index Polish "
        "content again with it, and create the apps' text-search indexes. Also runs after every "
        "migrate. Restart the web processes afterwards: they remember which configurations exist."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        using = options["database"]
        for line in text_search_setup(using=using):
            self.stdout.write(line)
        if connections[using].vendor != "postgresql":
            self.stdout.write("Not PostgreSQL: Wagtail's database search, no configurations.")
        elif POLISH in installed_configs(using):
            self.stdout.write(self.style.SUCCESS(f'Polish is searched with "{POLISH}".'))
        else:
            self.stdout.write(
                self.style.WARNING(
                    'No "polish" configuration: its files are not on the database server '
                    '(see "Polish search" in the README). Polish is searched with "simple".'
                )
            )
