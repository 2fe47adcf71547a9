from decimal import Decimal

import factory
from django.utils import timezone

from exchange.matching import reach_box
from exchange.models import (
    AcceptedWasteCode,
    CompositionLine,
    FibreLimit,
    Listing,
    ListingState,
    Membership,
    Site,
)
from tests.factories import OrganisationFactory, UserFactory


class VerifiedOrganisationFactory(OrganisationFactory):
    verified_at = factory.LazyFunction(timezone.now)


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    organisation = factory.SubFactory(VerifiedOrganisationFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    city = "Łódź"
    country = "PL"
    latitude = 51.7592
    longitude = 19.4560


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(VerifiedOrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = "owner"
    approved_at = factory.LazyFunction(timezone.now)


class ListingFactory(factory.django.DjangoModelFactory):
    """An active listing; ``composition={"cotton": 100}`` sets its fibres. A wanted listing's
    specification: ``codes=["04 02 22"]`` (accepted codes) and ``limits={"cotton": (90, None),
    "elastane": (None, 3)}`` (fibre or "family:..." -> (min, max)); neither means any."""

    class Meta:
        model = Listing
        skip_postgeneration_save = True

    organisation = factory.SubFactory(VerifiedOrganisationFactory)
    site = factory.LazyAttribute(lambda o: SiteFactory(organisation=o.organisation))
    kind = "offer"
    title = factory.Sequence(lambda n: f"Cotton cuttings batch {n}")
    waste_code = "04 02 22"
    form = "fabric_cuttings"
    quantity = Decimal("1000")
    remaining_quantity = factory.LazyAttribute(lambda o: o.quantity)
    unit = "kg"
    supply_pattern = "month"
    state = ListingState.ACTIVE
    published_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=90))
    latitude = factory.LazyAttribute(lambda o: o.site.latitude if o.site else None)
    longitude = factory.LazyAttribute(lambda o: o.site.longitude if o.site else None)
    region = factory.LazyAttribute(lambda o: o.organisation.region)

    @factory.post_generation
    def composition(obj, create, extracted, **kwargs):
        if create:
            for fibre, percent in (extracted or {"cotton": 100}).items():
                CompositionLine.objects.create(listing=obj, fibre=fibre, percent=percent)
            obj.primary_fibre = max((extracted or {"cotton": 100}).items(), key=lambda i: i[1])[0]
            Listing.objects.filter(pk=obj.pk).update(primary_fibre=obj.primary_fibre)

    @factory.post_generation
    def codes(obj, create, extracted, **kwargs):
        if create and extracted:
            AcceptedWasteCode.objects.bulk_create(
                AcceptedWasteCode(listing=obj, code=code) for code in extracted
            )

    @factory.post_generation
    def limits(obj, create, extracted, **kwargs):
        if create and extracted:
            FibreLimit.objects.bulk_create(
                FibreLimit(listing=obj, fibre=fibre, min_percent=low, max_percent=high)
                for fibre, (low, high) in extracted.items()
            )

    @factory.post_generation
    def reach(obj, create, extracted, **kwargs):
        if create and obj.radius_km:
            box = reach_box(obj)
            (
                obj.reach_min_latitude,
                obj.reach_max_latitude,
                obj.reach_min_longitude,
                obj.reach_max_longitude,
            ) = box
            Listing.objects.filter(pk=obj.pk).update(
                reach_min_latitude=box[0],
                reach_max_latitude=box[1],
                reach_min_longitude=box[2],
                reach_max_longitude=box[3],
            )


def member_of(organisation, **kwargs):
    return MembershipFactory(organisation=organisation, **kwargs).user
