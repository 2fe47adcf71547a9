"""Rebuild every stored match, e.g. after a change to the matching rules or scoring."""

import time

from django.core.management.base import BaseCommand

from exchange.matching_bulk import Phases, matches_recompute_all


class Command(BaseCommand):
    help = "Recompute the stored matches of every active listing."

    def handle(self, *args, **options):
        start = time.perf_counter()
        cpu = time.process_time()
        phases = Phases()
        listings, kept = matches_recompute_all(phases=phases)
        self.stdout.write(
            f"Recomputed the matches of {listings} active listings, {kept} matches stored, in "
            f"{time.perf_counter() - start:.1f} s ({time.process_time() - cpu:.1f} s of CPU)."
        )
        self.stdout.write(f"Phases: {phases}")
