from decimal import Decimal

import factory
from django.utils import timezone

from exchange.models import CompositionLine, Listing, ListingState, Membership, Site
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
    """An active listing; ``composition={"cotton": 100}`` sets its fibres."""

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


def member_of(organisation, **kwargs):
    return MembershipFactory(organisation=organisation, **kwargs).user
