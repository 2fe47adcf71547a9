import pytest

from tests.factories import UserFactory

from .factories import course_with_lessons


@pytest.fixture
def course(db):
    return course_with_lessons(modules=2, lessons=2)


@pytest.fixture
def learner(db):
    return UserFactory(roles=["Trainee"], display_name="Zofia Nowak")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client
