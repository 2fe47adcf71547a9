import factory
from django.utils import timezone

from cms.partners.models import CooperationProfile, Expert, Opportunity, ReviewState
from tests.exchange.factories import VerifiedOrganisationFactory
from tests.factories import UserFactory


class CooperationProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationProfile

    organisation = factory.SubFactory(VerifiedOrganisationFactory)
    offer = "Mechanical recycling of post-industrial cotton waste."
    value_chain = ["recycling"]
    nace_codes = ["38.32"]
    s3_areas = ["circular_economy"]
    competences = ["mechanical recycling"]
    languages = ["en", "pl"]
    size_class = "small"
    contact_name = "Anna Nowak"
    contact_email = factory.Sequence(lambda n: f"contact{n}@private.example")


class OpportunityFactory(factory.django.DjangoModelFactory):
    """A published, open partner search."""

    class Meta:
        model = Opportunity

    organisation = factory.SubFactory(VerifiedOrganisationFactory)
    kind = "partner_search"
    title = factory.Sequence(lambda n: f"Partner sought for a recycling pilot {n}")
    summary = "We look for a recycler to test fibre-to-fibre recycling of workwear."
    sought_partners = ["recycling"]
    s3_areas = ["circular_economy"]
    review_state = ReviewState.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    user = factory.SubFactory(UserFactory)
    headline = "Textile recycling engineer"
    expertise = ["chemical recycling", "sorting"]
    languages = ["en", "it"]
    opted_in_at = factory.LazyFunction(timezone.now)
