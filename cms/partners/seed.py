"""A large partner-matching data set in bulk (benchmarks, ``seed_scale``): organisations with
cooperation profiles and published opportunities, classified from the real vocabularies."""

import random

from django.utils import timezone

from cms.directory.models import Organisation, OrganisationKind

from .models import (
    CooperationProfile,
    Opportunity,
    OpportunityKind,
    OpportunityTerm,
    ProfileTerm,
    ReviewState,
)
from .taxonomy import NACE, S3_AREAS, VALUE_CHAIN

COUNTRIES = ["PL", "IT", "DE", "CZ", "SK", "SI", "HU", "AT", "PT", "ES"]
COMPETENCES = [
    "mechanical recycling", "chemical recycling", "NIR sorting", "nonwovens", "open-end spinning",
    "regenerated wool", "digital product passport", "eco-design", "dyeing without water",
    "enzymatic finishing", "carbon fibre recovery", "workwear take-back", "LCA", "traceability",
    "knitting", "technical textiles", "upcycling", "fibre testing", "pilot lines", "training",
]  # fmt: skip


def _pick(rng, items, low, high):
    return rng.sample(items, rng.randint(low, high))


def seed_partners(*, organisations=5000, opportunities=10000, seed=11, prefix="seed"):
    """Create ``organisations`` organisations with profiles and ``opportunities`` published
    opportunities among them; returns the organisations. Bulk inserts: no save() hooks, so the
    term rows are written here too."""
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    nace_codes = [code for code, _label in NACE if "." in code]
    chain = [code for code, _label in VALUE_CHAIN]
    s3 = [code for code, _label in S3_AREAS]
    now = timezone.now()
    created = Organisation.objects.bulk_create(
        Organisation(
            name=f"{prefix.title()} organisation {i}",
            slug=f"{prefix}-organisation-{i}",
            kind=rng.choice(OrganisationKind.values),
            country=rng.choice(COUNTRIES),
            verified_at=now,
        )
        for i in range(organisations)
    )
    profiles = [
        CooperationProfile(
            organisation=organisation,
            offer="Capacity and know-how for circular textiles.",
            nace_codes=_pick(rng, nace_codes, 1, 3),
            value_chain=_pick(rng, chain, 1, 2),
            s3_areas=_pick(rng, s3, 1, 2),
            competences=_pick(rng, COMPETENCES, 1, 4),
            languages=["en"],
        )
        for organisation in created
    ]
    CooperationProfile.objects.bulk_create(profiles, batch_size=1000)
    ProfileTerm.objects.bulk_create(
        (
            ProfileTerm(organisation_id=profile.organisation_id, scheme=scheme, code=code)
            for profile in profiles
            for scheme, code in profile.term_pairs()
        ),
        batch_size=5000,
    )
    posted = Opportunity.objects.bulk_create(
        (
            Opportunity(
                organisation=rng.choice(created),
                kind=rng.choice(OpportunityKind.values),
                title=f"{prefix.title()} opportunity {i}",
                summary="Looking for partners in the textile value chain.",
                sought_partners=_pick(rng, chain, 1, 2),
                sought_countries=_pick(rng, COUNTRIES, 1, 3) if rng.random() < 0.3 else [],
                nace_codes=_pick(rng, nace_codes, 0, 2),
                s3_areas=_pick(rng, s3, 1, 2),
                competences=_pick(rng, COMPETENCES, 0, 3),
                review_state=ReviewState.PUBLISHED,
                published_at=now - timezone.timedelta(minutes=rng.randint(0, 60 * 24 * 60)),
            )
            for i in range(opportunities)
        ),
        batch_size=1000,
    )
    OpportunityTerm.objects.bulk_create(
        (row for opportunity in posted for row in OpportunityTerm.rows(opportunity)),
        batch_size=5000,
    )
    return created
