import pytest

from tests.exchange.factories import MembershipFactory, VerifiedOrganisationFactory
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _each_request_commits(monkeypatch, django_capture_on_commit_callbacks):
    """A request of the test client ends as it does on the site: its transaction commits, so
    its on-commit work (e-mail, jobs) runs then, and work of a rolled-back block never does.
    A test that calls a service itself captures that call's callbacks where it needs them."""
    from django.test.client import Client

    request = Client.request

    def committing_request(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(self, **kwargs)

    monkeypatch.setattr(Client, "request", committing_request)


@pytest.fixture
def sme(db):
    """A member of a knitwear SME in Łódź."""
    organisation = VerifiedOrganisationFactory(name="Widzew Knitwear", country="PL")
    return MembershipFactory(organisation=organisation)


@pytest.fixture
def research_centre(db):
    organisation = VerifiedOrganisationFactory(
        name="Prato Textile Lab", kind="research", country="IT", region__country="IT"
    )
    return MembershipFactory(organisation=organisation)


@pytest.fixture
def reviewer(db):
    return UserFactory(roles=["Moderator"])
