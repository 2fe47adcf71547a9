"""Seed 5,000 organisations and 10,000 opportunities and time the recommendations of one
organisation (the budget is 100 ms). Runs in a transaction that is rolled back."""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from cms.partners.seed import seed_partners
from cms.partners.selectors import opportunity_recommendations


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark partner recommendations over 10,000 opportunities and 5,000 organisations."

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=5000)
        parser.add_argument("--opportunities", type=int, default=10000)
        parser.add_argument("--samples", type=int, default=25)

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                self.run(options)
                raise Rollback
        except Rollback:
            self.stdout.write("Rolled back the benchmark data.")

    def run(self, options):
        start = time.perf_counter()
        organisations = seed_partners(
            organisations=options["organisations"],
            opportunities=options["opportunities"],
            prefix="bench",
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE partners_opportunityterm, partners_profileterm")
        self.stdout.write(
            f"Seeded {options['organisations']} organisations and {options['opportunities']} "
            f"opportunities in {time.perf_counter() - start:.1f} s ({connection.vendor})."
        )
        timings, sizes = [], []
        for organisation in organisations[: options["samples"]]:
            start = time.perf_counter()
            found = opportunity_recommendations(organisation)
            timings.append((time.perf_counter() - start) * 1000)
            sizes.append(len(found))
        timings.sort()
        self.stdout.write(
            f"Recommendations for one organisation: median {statistics.median(timings):.0f} ms, "
            f"worst {timings[-1]:.0f} ms, best {timings[0]:.0f} ms over {len(timings)} "
            f"organisations ({min(sizes)}–{max(sizes)} recommendations each; budget 100 ms)."
        )
