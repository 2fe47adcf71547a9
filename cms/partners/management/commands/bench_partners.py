"""Seed 5,000 organisations and 10,000 opportunities and time the recommendations of one
organisation (the budget is 100 ms): wall clock and this process's CPU time per organisation,
with the load average before and after, since wall figures on a shared machine are mostly
waiting for a core. Runs in a transaction that is rolled back."""

import os
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from cms.database import statistics_refresh
from cms.partners.models import OpportunityTerm, ProfileTerm
from cms.partners.seed import seed_partners
from cms.partners.selectors import opportunity_recommendations


class Rollback(Exception):
    pass


def database_server_cpu():
    """A function giving the CPU seconds the PostgreSQL backend of this connection has used
    (read from /proc: the server runs on this machine), or None where that cannot be read."""
    if connection.vendor != "postgresql":
        return lambda: None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    ticks = os.sysconf("SC_CLK_TCK")

    def read():
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime

    return read


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
        statistics_refresh([OpportunityTerm, ProfileTerm])
        self.stdout.write(
            f"Seeded {options['organisations']} organisations and {options['opportunities']} "
            f"opportunities in {time.perf_counter() - start:.1f} s ({connection.vendor})."
        )
        load_before = os.getloadavg()
        server = database_server_cpu()
        walls, cpus, server_cpus, sizes = [], [], [], []
        for organisation in organisations[: options["samples"]]:
            wall, cpu, server_cpu = time.perf_counter(), time.process_time(), server()
            found = opportunity_recommendations(organisation)
            cpus.append((time.process_time() - cpu) * 1000)
            walls.append((time.perf_counter() - wall) * 1000)
            if server_cpu is not None:
                server_cpus.append((server() - server_cpu) * 1000)
            sizes.append(len(found))
        load_after = os.getloadavg()
        series = [("wall", walls), ("CPU of this process", cpus)]
        if server_cpus:
            series.append(("CPU of the PostgreSQL backend (10 ms ticks)", server_cpus))
        for label, timings in series:
            timings.sort()
            self.stdout.write(
                f"Recommendations for one organisation, {label}: median "
                f"{statistics.median(timings):.0f} ms, worst {timings[-1]:.0f} ms, best "
                f"{timings[0]:.0f} ms over {len(timings)} organisations (budget 100 ms)."
            )
        self.stdout.write(
            f"{min(sizes)}–{max(sizes)} recommendations each; load average "
            f"{load_before[0]:.1f} before, {load_after[0]:.1f} after ({os.cpu_count()} cores)."
        )
