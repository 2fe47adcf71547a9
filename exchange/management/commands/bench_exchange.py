"""Seed 50,000 listings and time matching for one new listing and the browse page with
filters. Everything runs in a transaction that is rolled back, so any database is safe."""

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

from cms.directory.models import Organisation, Region
from cms.taxonomy import FIBRES
from exchange.matching import listing_matches_recompute
from exchange.models import CompositionLine, Listing, Match, MaterialForm, Membership, Site
from exchange.views import browse

WASTE_CODES = ["04 02 21", "04 02 22", "19 12 08", "20 01 10", "20 01 11"]


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark the exchange: matching and browsing over 50,000 listings."

    def add_arguments(self, parser):
        parser.add_argument("--listings", type=int, default=50_000)
        parser.add_argument("--organisations", type=int, default=500)

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                self.run(options["listings"], options["organisations"])
                raise Rollback
        except Rollback:
            self.stdout.write("Rolled back the benchmark data.")

    def timed(self, label, fn, repeat=1):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - start)
        best, median = min(times), statistics.median(times)
        self.stdout.write(
            f"  {label}: {best * 1000:.0f} ms best, {median * 1000:.0f} ms median of {repeat}"
        )
        return result

    def run(self, count, organisation_count):
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
        fibres = [code for code, _label, _family in FIBRES if code != "unknown"]
        forms = [value for value, _label in MaterialForm.choices]
        now = timezone.now()
        listings = []
        for i in range(count):
            site = sites[i % len(sites)]
            listings.append(
                Listing(
                    organisation_id=site.organisation_id,
                    site=site,
                    kind="offer" if i % 2 else "wanted",
                    title=f"Bench listing {i}",
                    waste_code=rng.choice(WASTE_CODES),
                    form=rng.choice(forms),
                    quantity=Decimal(rng.randint(100, 20_000)),
                    remaining_quantity=Decimal(rng.randint(100, 20_000)),
                    unit="kg",
                    supply_pattern=rng.choice(["one_off", "week", "month", "year"]),
                    state="active",
                    published_at=now,
                    latitude=site.latitude,
                    longitude=site.longitude,
                    region=region,
                    quality_score=rng.randint(20, 100),
                )
            )
        listings = Listing.objects.bulk_create(listings, batch_size=2000)
        lines = []
        for listing in listings:
            first = rng.choice(fibres)
            share = rng.choice([100, 95, 80, 65, 50])
            lines.append(CompositionLine(listing=listing, fibre=first, percent=share))
            if share < 100:
                second = rng.choice([f for f in fibres if f != first])
                lines.append(CompositionLine(listing=listing, fibre=second, percent=100 - share))
        CompositionLine.objects.bulk_create(lines, batch_size=5000)
        self.stdout.write(
            f"Seeded {len(listings)} listings, {len(lines)} composition lines in "
            f"{time.perf_counter() - start:.1f} s"
        )

        new = Listing.objects.create(
            organisation=organisations[0],
            site=sites[0],
            kind="wanted",
            title="New wanted listing",
            waste_code="04 02 22",
            quantity=Decimal(5000),
            remaining_quantity=Decimal(5000),
            state="active",
            published_at=now,
            latitude=sites[0].latitude,
            longitude=sites[0].longitude,
        )
        CompositionLine.objects.create(listing=new, fibre="cotton", percent=80)
        CompositionLine.objects.create(listing=new, fibre="unknown", percent=20)
        kept = self.timed(
            "Match one new wanted listing against 25,000 offers",
            lambda: listing_matches_recompute(listing_id=new.pk),
            repeat=3,
        )
        self.stdout.write(
            f"    {kept} matches stored; best {Match.objects.filter(wanted=new).first()}"
        )

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW jit")
                self.stdout.write(f"  PostgreSQL jit = {cursor.fetchone()[0]}")
        member = get_user_model().objects.create_user(email="bench-member@example.org")
        Membership.objects.create(
            organisation=organisations[0], user=member, role="owner", approved_at=now
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
