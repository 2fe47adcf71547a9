"""Seed 50,000 listings and time matching for one new listing, the recompute of all matches
and the browse page with filters. Everything runs in a transaction that is rolled back, so any
database is safe; ``--keep`` commits the seeded listings instead, and ``--reuse`` times a
database seeded so (measuring again after a change without seeding for minutes)."""

import os
import random
import statistics
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import timezone

from cms.database import statistics_refresh
from cms.directory.models import Organisation, Region
from cms.taxonomy import FIBRES
from exchange.matching import bounding_box, listing_matches_recompute
from exchange.matching_bulk import matches_recompute_all
from exchange.models import (
    AcceptedWasteCode,
    CompositionLine,
    FibreLimit,
    Listing,
    MaterialForm,
    Membership,
    Site,
)
from exchange.services import listing_refresh
from exchange.views import browse

WASTE_CODES = ["04 02 21", "04 02 22", "19 12 08", "20 01 10", "20 01 11"]


class Rollback(Exception):
    pass


def load_average():
    """The machine's 1-, 5- and 15-minute load averages: wall times depend on them."""
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


class Command(BaseCommand):
    help = "Benchmark the exchange: matching and browsing over 50,000 listings."

    def add_arguments(self, parser):
        parser.add_argument("--listings", type=int, default=50_000)
        parser.add_argument("--organisations", type=int, default=500)
        parser.add_argument(
            "--keep", action="store_true", help="Commit the seeded listings; time nothing."
        )
        parser.add_argument(
            "--reuse", action="store_true", help="Time the listings a --keep run left."
        )
        parser.add_argument(
            "--only",
            choices=["matching", "recompute", "browse"],
            action="append",
            help="Time only these parts (repeatable); all by default.",
        )

    def handle(self, *args, **options):
        self.parts = set(options["only"] or ["matching", "recompute", "browse"])
        if options["keep"]:
            with transaction.atomic():
                self.seed(options["listings"], options["organisations"])
            self.analyze()
            self.stdout.write("Kept the seeded listings (time them with --reuse).")
            return
        try:
            with transaction.atomic():
                if options["reuse"]:
                    organisations = list(
                        Organisation.objects.filter(
                            slug__startswith="bench-organisation-"
                        ).order_by("pk")
                    )
                    sites = list(Site.objects.filter(organisation__in=organisations))
                    seeded = Listing.objects.filter(title__startswith="Bench listing").count()
                    self.stdout.write(f"Reusing {seeded:,} seeded listings")
                else:
                    organisations, sites = self.seed(options["listings"], options["organisations"])
                self.run(organisations, sites)
                raise Rollback
        except Rollback:
            self.stdout.write("Rolled back the benchmark data.")

    def analyze(self):
        # As a running site has by then (autovacuum on PostgreSQL, the nightly task on SQLite;
        # cms/database.py): the planner needs the tables' statistics (the organisations' too:
        # guessing 20 verified of 500 planned a loop over each).
        statistics_refresh(
            [Organisation, Site, Listing, CompositionLine, AcceptedWasteCode, FibreLimit]
        )

    def seed_listings(self, rng, count, sites, region):
        """Offers described as the form asks, and wanted listings with specifications like the
        labelled set's: one to three accepted codes, a fibre or family minimum (sometimes a
        maximum on elastane), or any fibre; accepted forms, an own radius, lot limits."""
        fibres = [code for code, _label, _family in FIBRES if code != "unknown"]
        families = sorted({family for _code, _label, family in FIBRES} - {"unknown"})
        forms = [value for value, _label in MaterialForm.choices]
        now = timezone.now()
        listings = []
        for i in range(count):
            site = sites[i % len(sites)]
            offer = bool(i % 2)
            listing = Listing(
                organisation_id=site.organisation_id,
                site=site,
                kind="offer" if offer else "wanted",
                title=f"Bench listing {i}",
                waste_code=rng.choice(WASTE_CODES) if offer else "",
                form=rng.choice(forms) if offer else "",
                origin=rng.choice(["pre_consumer", "post_consumer"]),
                production_stage=rng.choice(["spinning", "weaving_knitting", "cutting", "use"]),
                colour=rng.choice(["sorted", "mixed", "white"]),
                grade=rng.choice(["unsorted", "sorted", "sorted_cleaned"]),
                legal_status=rng.choice(["waste", "by_product"]),
                contaminants=rng.choice([[], [], ["labels"], ["buttons", "zips"], ["coatings"]]),
                contaminants_stated=rng.random() < 0.8,
                quantity=Decimal(rng.randint(100, 20_000)),
                remaining_quantity=Decimal(rng.randint(100, 20_000)),
                unit="kg",
                supply_pattern=rng.choice(["one_off", "week", "month", "year"]),
                process="" if offer else rng.choice(["mechanical", "nonwoven", "spinning"]),
                state="active",
                published_at=now,
                latitude=site.latitude,
                longitude=site.longitude,
                region=region,
                quality_score=rng.randint(20, 100),
            )
            if not offer:
                listing.any_fibre = rng.random() < 0.15
                listing.accepted_forms = (
                    rng.sample(forms, rng.randint(2, 4)) if rng.random() < 0.6 else []
                )
                listing.refused_contaminants = ["coatings"] if rng.random() < 0.4 else []
                if rng.random() < 0.7:
                    listing.radius_km = rng.choice([300, 500, 800, 1200, 1500])
                    box = bounding_box(site.latitude, site.longitude, listing.radius_km)
                    (
                        listing.reach_min_latitude,
                        listing.reach_max_latitude,
                        listing.reach_min_longitude,
                        listing.reach_max_longitude,
                    ) = box
                if rng.random() < 0.2:
                    listing.min_lot_kg = Decimal(rng.choice([500, 1000, 2000]))
            listings.append(listing)
        listings = Listing.objects.bulk_create(listings, batch_size=2000)
        lines, codes, limits = [], [], []
        for listing in listings:
            if listing.kind == "offer":
                first = rng.choice(fibres)
                share = rng.choice([100, 95, 80, 65, 50])
                lines.append(CompositionLine(listing=listing, fibre=first, percent=share))
                if share < 100:
                    second = rng.choice([f for f in fibres if f != first] + ["unknown"])
                    lines.append(
                        CompositionLine(listing=listing, fibre=second, percent=100 - share)
                    )
                continue
            for code in rng.sample(WASTE_CODES, rng.choice([0, 1, 1, 2, 3])):
                codes.append(AcceptedWasteCode(listing=listing, code=code))
            if not listing.any_fibre:
                subject = (
                    rng.choice(fibres) if rng.random() < 0.8 else "family:" + rng.choice(families)
                )
                limits.append(
                    FibreLimit(listing=listing, fibre=subject, min_percent=rng.choice([50, 80, 90]))
                )
            if rng.random() < 0.3:
                limits.append(FibreLimit(listing=listing, fibre="elastane", max_percent=5))
        CompositionLine.objects.bulk_create(lines, batch_size=5000)
        AcceptedWasteCode.objects.bulk_create(codes, batch_size=5000)
        FibreLimit.objects.bulk_create(limits, batch_size=5000, ignore_conflicts=True)
        self.analyze()
        return listings, len(lines)

    def time_matching(self, rng, sites):
        """Median time to match one new listing: 15 new wanted listings (specifications as
        above, two of them any fibre) and 15 new offers, each against the other kind."""
        now = timezone.now()
        kept = []
        for kind in ("wanted", "offer"):
            times = []
            for i in range(15):
                site = sites[rng.randrange(len(sites))]
                new = Listing.objects.create(
                    organisation_id=site.organisation_id,
                    site=site,
                    kind=kind,
                    title=f"New {kind} listing {i}",
                    waste_code=rng.choice(WASTE_CODES) if kind == "offer" else "",
                    form="fabric_cuttings" if kind == "offer" else "",
                    quantity=Decimal(5000),
                    remaining_quantity=Decimal(5000),
                    state="active",
                    published_at=now,
                    latitude=site.latitude,
                    longitude=site.longitude,
                    contaminants_stated=True,
                    any_fibre=kind == "wanted" and i < 2,
                    radius_km=None if kind == "offer" or i % 3 == 0 else 800,
                )
                if kind == "offer":
                    CompositionLine.objects.create(listing=new, fibre="cotton", percent=80)
                    CompositionLine.objects.create(
                        listing=new, fibre=rng.choice(["polyester", "elastane"]), percent=20
                    )
                else:
                    AcceptedWasteCode.objects.create(listing=new, code=rng.choice(WASTE_CODES))
                    if i >= 2:
                        FibreLimit.objects.create(
                            listing=new,
                            fibre=rng.choice(["cotton", "polyester", "wool"]),
                            min_percent=rng.choice([50, 80, 90]),
                        )
                listing_refresh(listing=new)
                start, cpu = time.perf_counter(), time.process_time()
                kept.append(listing_matches_recompute(listing_id=new.pk))
                times.append((time.perf_counter() - start, time.process_time() - cpu))
            walls, cpus = sorted(t[0] for t in times), sorted(t[1] for t in times)
            self.stdout.write(
                f"  Match one new {kind} listing against the other kind: median "
                f"{statistics.median(walls) * 1000:.0f} ms (CPU of this process "
                f"{statistics.median(cpus) * 1000:.0f} ms), slowest {walls[-1] * 1000:.0f} ms "
                f"(15 listings; {statistics.median(kept):.0f} matches kept, median)"
            )

    def time_recompute(self):
        start, cpu = time.perf_counter(), time.process_time()
        listings, stored = matches_recompute_all()
        self.stdout.write(
            f"  Recompute all matches (manage.py recompute_matches): {listings:,} listings, "
            f"{stored:,} matches stored in {time.perf_counter() - start:.1f} s (CPU of this "
            f"process {time.process_time() - cpu:.1f} s); load average {load_average()}"
        )

    def timed(self, label, fn, repeat=1):
        times, cpus = [], []
        for _ in range(repeat):
            start, cpu = time.perf_counter(), time.process_time()
            result = fn()
            times.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
        best, median = min(times), statistics.median(times)
        self.stdout.write(
            f"  {label}: {best * 1000:.0f} ms best, {median * 1000:.0f} ms median of {repeat} "
            f"(CPU of this process {statistics.median(cpus) * 1000:.0f} ms)"
        )
        return result

    def seed(self, count, organisation_count):
        rng = random.Random(50_000)
        region, _ = Region.objects.get_or_create(
            nuts_code="PL71", defaults={"name": "Łódzkie", "slug": "bench-lodzkie", "country": "PL"}
        )
        start = time.perf_counter()
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Bench organisation {i}",
                slug=f"bench-organisation-{i}",
                kind="company",
                country="PL",
                region=region,
                verified_at=timezone.now(),
            )
            for i in range(organisation_count)
        )
        sites = Site.objects.bulk_create(
            Site(
                organisation=organisation,
                name="Plant",
                city="Somewhere",
                country="PL",
                latitude=rng.uniform(42, 54),
                longitude=rng.uniform(7, 24),
            )
            for organisation in organisations
        )
        listings, lines = self.seed_listings(rng, count, sites, region)
        self.stdout.write(
            f"Seeded {len(listings)} listings, {lines} composition lines and specifications in "
            f"{time.perf_counter() - start:.1f} s"
        )
        return organisations, sites

    def run(self, organisations, sites):
        rng = random.Random(15)
        self.stdout.write(f"  Load average {load_average()}")
        if "matching" in self.parts:
            self.time_matching(rng, sites)
        if "recompute" in self.parts:
            self.time_recompute()
        if "browse" not in self.parts:
            return
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW jit")
                self.stdout.write(f"  PostgreSQL jit = {cursor.fetchone()[0]}")
        member = get_user_model().objects.create_user(email="bench-member@example.org")
        Membership.objects.create(
            organisation=organisations[0], user=member, role="owner", approved_at=timezone.now()
        )
        factory = RequestFactory()
        anonymous = AnonymousUser()
        for label, query, user in [
            ("Browse, no filters", "", anonymous),
            (
                "Browse, kind + fibre + 300 km of Łódź, nearest first",
                "kind=offer&fibre=cotton&near=lodz&radius=300&sort=nearest",
                anonymous,
            ),
            (
                "Browse, waste code + quantity + quality",
                "waste_code=04+02+22&min_quantity=1000&min_quality=60",
                anonymous,
            ),
            ("Browse, text search", "q=listing+4999", anonymous),
            (
                "Browse, form + origin + verified",
                "form=fibre&origin=pre_consumer&verified=on",
                anonymous,
            ),
            ("Browse, certification", "certification=GRS", anonymous),
            ("Browse, data quality first", "sort=quality", anonymous),
            ("Browse, best match first (member)", "sort=best", member),
            ("Browse, offers best match first (member)", "kind=offer&sort=best", member),
            ("Map view, 300 km of Prato", "view=map&near=prato&radius=300", anonymous),
        ]:
            request = factory.get("/exchange/", QueryDict(query))
            request.user = user
            request.session = {}
            request.LANGUAGE_CODE = "en"
            response = self.timed(label, lambda request=request: browse(request), repeat=5)
            if response.status_code != 200:
                raise RuntimeError(f"{label}: HTTP {response.status_code}")
