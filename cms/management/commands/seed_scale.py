import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from wagtail import hooks

from cms.database import statistics_refresh
from cms.hooks import SEED_SCALE
from cms.seed_scale import SIZES, ScaleSeed, seed_core, seed_page_views


class Command(BaseCommand):
    help = (
        "Fill the database with a large data set in bulk (users, CMS pages in three languages, "
        "courses, quizzes and attempts, working groups and posts, exchange listings and "
        "matches, page views) for load tests. `--size small` is a tiny version for tests. "
        "Runs once per database; never in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="small")

    def handle(self, *args, size, **options):
        if getattr(settings, "IS_PRODUCTION", False):
            raise CommandError("seed_scale makes thousands of fake accounts; never in production.")
        seed = ScaleSeed(size=SIZES[size], stdout=self.stdout)
        self.stdout.write(f"Seeding the {size} data set on {connection.vendor}:")
        start = time.perf_counter()
        try:
            seed_core(seed=seed)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        for part in hooks.get_hooks(SEED_SCALE):
            with transaction.atomic():
                part(seed=seed)
        with transaction.atomic():
            seed_page_views(seed)
        # Planner statistics, as autovacuum (PostgreSQL) or the nightly task (SQLite) would have
        # made by the time a site holds this much: without them the first benchmark of the large
        # set on PostgreSQL read the home page's 9 queries in 100 ms more.
        step = time.perf_counter()
        statistics_refresh()
        seed.timings["statistics"] = time.perf_counter() - step
        total = time.perf_counter() - start
        seed.timings["total"] = total
        counts = ", ".join(f"{value:,} {name}" for name, value in seed.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Done in {total:.0f} s: {counts}."))
