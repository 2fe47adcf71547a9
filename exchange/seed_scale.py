"""The exchange part of `manage.py seed_scale` (SEED_SCALE hook): a site and an owner for each
seeded organisation, listings (half offers, half wanted) with their fibre composition spread
over Europe, and matches computed by the real matcher for a sample of wanted listings."""

from decimal import Decimal

from django.utils import timezone

from cms.seed_scale import bulk_insert
from cms.taxonomy import FIBRES

from .matching import listing_matches_recompute
from .models import CompositionLine, Listing, MaterialForm, Membership, Site

WASTE_CODES = ["04 02 21", "04 02 22", "19 12 08", "20 01 10", "20 01 11"]


def seed_listings(*, seed):
    size, rng = seed.size, seed.rng
    if not size.listings:
        return
    now = timezone.now()
    with seed.step(f"{size.listings:,} listings"):
        sites = bulk_insert(
            Site,
            [
                Site(
                    organisation_id=organisation,
                    name="Plant",
                    city="Somewhere",
                    country="PL",
                    latitude=rng.uniform(42, 54),
                    longitude=rng.uniform(7, 24),
                )
                for organisation in seed.organisation_ids
            ],
        )
        owners = rng.sample(seed.user_ids, min(len(seed.user_ids), len(seed.organisation_ids)))
        bulk_insert(
            Membership,
            [
                Membership(
                    organisation_id=organisation, user_id=user, role="owner", approved_at=now
                )
                for organisation, user in zip(seed.organisation_ids, owners, strict=False)
            ],
        )
        fibres = [code for code, _label, _family in FIBRES if code != "unknown"]
        forms = [value for value, _label in MaterialForm.choices]
        listings = []
        for n in range(size.listings):
            site = sites[n % len(sites)]
            quantity = Decimal(rng.randint(100, 20_000))
            listings.append(
                Listing(
                    organisation_id=site.organisation_id,
                    site=site,
                    kind="offer" if n % 2 else "wanted",
                    title=f"Seed listing {n}",
                    waste_code=rng.choice(WASTE_CODES),
                    form=rng.choice(forms),
                    quantity=quantity,
                    remaining_quantity=quantity,
                    unit="kg",
                    supply_pattern=rng.choice(["one_off", "week", "month", "year"]),
                    state="active",
                    published_at=now,
                    expires_at=now + timezone.timedelta(days=rng.randint(1, 90)),
                    latitude=site.latitude,
                    longitude=site.longitude,
                    region_id=rng.choice(seed.region_ids),
                    quality_score=rng.randint(20, 100),
                )
            )
        listings = bulk_insert(Listing, listings)
        lines = []
        for listing in listings:
            first = rng.choice(fibres)
            share = rng.choice([100, 95, 80, 65, 50])
            lines.append(CompositionLine(listing_id=listing.pk, fibre=first, percent=share))
            if share < 100:
                second = rng.choice([f for f in fibres if f != first])
                lines.append(
                    CompositionLine(listing_id=listing.pk, fibre=second, percent=100 - share)
                )
        bulk_insert(CompositionLine, lines, batch_size=5000)
    seed.counts["listings"] = len(listings)
    wanted = [listing.pk for listing in listings if listing.kind == "wanted"]
    sample = wanted[: max(5, size.listings // 2500)]
    with seed.step(f"matches of {len(sample)} wanted listings (the real matcher)"):
        seed.counts["matches"] = sum(
            listing_matches_recompute(listing_id=listing_id) for listing_id in sample
        )
