"""Rebuild every stored match, e.g. after a change to the matching rules or scoring."""

import time

from django.core.management.base import BaseCommand

from exchange.matching import matches_recompute_all


class Command(BaseCommand):
    help = "Recompute the stored matches of every active listing."

    def handle(self, *args, **options):
        start = time.perf_counter()
        listings, kept = matches_recompute_all()
        self.stdout.write(
            f"Recomputed {listings} listings, {kept} matches kept, "
            f"in {time.perf_counter() - start:.1f} s."
        )
