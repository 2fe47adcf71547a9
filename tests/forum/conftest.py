import pytest

from forum.models import WorkingGroup
from tests.factories import UserFactory

from .factories import WorkingGroupFactory, member


@pytest.fixture
def coordinator(db):
    return UserFactory(display_name="Carla Coordinator")


@pytest.fixture
def public_group(coordinator):
    return WorkingGroupFactory(
        name="Sorting technology", slug="sorting", coordinators=[coordinator]
    )


@pytest.fixture
def private_group(coordinator):
    return WorkingGroupFactory(
        name="Secret pilot",
        slug="secret-pilot",
        visibility=WorkingGroup.Visibility.PRIVATE,
        coordinators=[coordinator],
    )


@pytest.fixture
def private_member(private_group):
    return member(private_group)


@pytest.fixture
def outsider(db):
    return UserFactory(display_name="Oscar Outsider")
