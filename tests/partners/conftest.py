import pytest

from tests.exchange.factories import MembershipFactory, VerifiedOrganisationFactory
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _run_on_commit_immediately(monkeypatch):
    """Tests run inside a transaction that never commits; run on-commit work (e-mail) at once."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


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
