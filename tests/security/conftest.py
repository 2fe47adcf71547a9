"""The quiz fixtures, for the bad-input tests of quiz answers; the permission matrix's world."""

import pytest
from django.db import transaction

from tests.quizzes.conftest import course_module, sorting_quiz, trainee  # noqa: F401
from tests.security.matrix_world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
