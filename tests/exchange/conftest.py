import pytest

from tests.exchange.factories import MembershipFactory, SiteFactory, VerifiedOrganisationFactory


@pytest.fixture
def producer(db):
    """A verified textile producer with one site and one owner; returns the membership."""
    organisation = VerifiedOrganisationFactory(name="Widzew Knitwear")
    SiteFactory(organisation=organisation, name="Cutting room", latitude=51.76, longitude=19.51)
    return MembershipFactory(organisation=organisation)


@pytest.fixture
def recycler(db):
    organisation = VerifiedOrganisationFactory(name="Saxon Fibre Recycling", kind="recycler")
    SiteFactory(
        organisation=organisation,
        name="Tearing plant",
        latitude=50.85,
        longitude=12.93,
        country="DE",
    )
    return MembershipFactory(organisation=organisation)
