"""Factories for the core models. Apps keep theirs in tests/<app>/factories.py."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from cms.directory.models import Organisation, OrganisationKind, Region

PASSWORD = "correct-horse-battery"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["nuts_code"]

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    country = "PL"
    nuts_code = factory.Sequence(lambda n: f"PL{n % 10}{(n // 10) % 10}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Textile Organisation {n}")
    slug = factory.Sequence(lambda n: f"textile-organisation-{n}")
    kind = OrganisationKind.COMPANY
    region = factory.SubFactory(RegionFactory)
    country = factory.LazyAttribute(lambda o: o.region.country if o.region else "PL")
    city = "Łódź"
    latitude = 51.7592
    longitude = 19.4560


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a verified primary e-mail address, so allauth lets them sign in.
    ``roles=[...]`` adds them to those role groups."""

    class Meta:
        model = "accounts.User"
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    display_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(
                user=obj, email=obj.email, verified=extracted is not False, primary=True
            )

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                obj.groups.add(Group.objects.get_or_create(name=name)[0])
