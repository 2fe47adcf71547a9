"""Time the CSV import of 5,000 rows: validation (the preview) and saving. Everything runs in a
transaction that is rolled back, so any database is safe."""

import csv
import io
import random
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from cms.directory.models import Organisation
from exchange import csv_io
from exchange.models import Listing, Membership, Site
from exchange.services.imports import (
    csv_import_check,
    csv_import_confirm,
    csv_import_save,
    csv_import_start,
)


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark the CSV import: validating and saving 5,000 rows."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=5_000)
        parser.add_argument("--delimiter", default=";")

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                self.run(options["rows"], options["delimiter"])
                raise Rollback
        except Rollback:
            self.stdout.write("Rolled back the benchmark data.")

    def run(self, count, delimiter):
        rng = random.Random(5_000)
        organisation = Organisation.objects.create(
            name="CSV bench",
            slug="csv-bench",
            kind="company",
            country="PL",
            verified_at=timezone.now(),
        )
        Site.objects.create(
            organisation=organisation,
            name="Plant",
            city="Łódź",
            country="PL",
            latitude=51.76,
            longitude=19.46,
        )
        user = get_user_model().objects.create_user(email="csv-bench@example.org", password=None)
        Membership.objects.create(
            organisation=organisation, user=user, role="owner", approved_at=timezone.now()
        )
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=csv_io.COLUMNS, delimiter=delimiter)
        writer.writeheader()
        for i in range(count):
            share = rng.choice([100, 95, 80])
            writer.writerow(
                {
                    "organisation": organisation.slug,
                    "kind": "offer",
                    "title": f"Cuttings batch {i}",
                    "waste_code": "04 02 22",
                    "composition": f"cotton:{share}"
                    + (f";elastane:{100 - share}" if share < 100 else ""),
                    "form": "fabric_cuttings",
                    "quantity": str(rng.randint(100, 9000)),
                    "unit": "kg",
                    "supply_pattern": "month",
                    "site": "Plant",
                    "price_type": "negotiable",
                    "certifications": "GRS:CU-9",
                    "contaminants": "zips",
                    **({"reference": f"REF-{i}"} if "reference" in csv_io.COLUMNS else {}),
                }
            )
        text = buffer.getvalue()
        self.stdout.write(f"{count} rows, {len(text) / 1024:.0f} KiB, delimiter {delimiter!r}")
        self.bench(text=text, organisation=organisation, user=user)
        self.stdout.write(
            f"  listings now: {Listing.objects.filter(organisation=organisation).count()}"
        )

    def bench(self, *, text, organisation, user):
        # The services the background tasks run, timed one by one (on-commit work never runs:
        # the benchmark's transaction is rolled back).
        for label in ("first import (new listings)", "same file again (updates)"):
            upload = csv_import_start(
                organisation=organisation, user=user, filename="bench.csv", text=text
            )
            start, cpu = time.perf_counter(), time.process_time()
            state = csv_import_check(csv_import_id=upload.pk)
            checked = time.perf_counter() - start
            checked_cpu = time.process_time() - cpu
            csv_import_confirm(csv_import_id=upload.pk, user=user)
            start, cpu = time.perf_counter(), time.process_time()
            done = csv_import_save(csv_import_id=upload.pk)
            saved = time.perf_counter() - start
            saved_cpu = time.process_time() - cpu
            upload.refresh_from_db()
            self.stdout.write(
                f"  {label}: check {checked:.2f} s (CPU {checked_cpu:.2f} s, {state}), "
                f"save {saved:.2f} s (CPU {saved_cpu:.2f} s, {done}; "
                f"{upload.rows_new} new, {upload.rows_updated} updated)"
            )
