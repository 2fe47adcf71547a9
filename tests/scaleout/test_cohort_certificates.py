"""A cohort's certificates go to the workers in batches (one task per batch)."""

from datetime import date
from unittest import mock

import pytest

from courses.models import Certificate
from courses.services import certificates_regenerate
from courses.tasks import certificates_render_queue
from tests.courses.factories import course_with_lessons
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    course = course_with_lessons(modules=1, lessons=1)
    return [
        Certificate.objects.create(
            user=UserFactory(display_name=f"Learner {n}"),
            course=course,
            learner_name="Old name",
            course_title=course.title,
            provider_name=course.provider.name,
            hours=course.estimated_hours,
            completed_on=date(2026, 11, 1),
        )
        for n in range(5)
    ]


def test_batches_are_queued_after_commit_and_render_every_pdf(
    cohort, django_capture_on_commit_callbacks
):
    ids = [certificate.pk for certificate in cohort]
    with mock.patch("courses.tasks.render_certificate_pdfs.delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assert certificates_render_queue(certificate_ids=ids, batch_size=2) == 3
        delay.assert_not_called()  # nothing leaves before the transaction commits
        for callback in callbacks:
            callback()
    assert [call.kwargs["certificate_ids"] for call in delay.call_args_list] == [
        ids[0:2],
        ids[2:4],
        ids[4:5],
    ]
    with django_capture_on_commit_callbacks(execute=True):  # eager tasks in the tests
        certificates_render_queue(certificate_ids=ids, batch_size=2)
    assert not Certificate.objects.filter(pk__in=ids, pdf="").exists()


def test_regenerating_a_course_refreshes_names_and_renders(
    cohort, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_regenerate(certificates=cohort) == 5
    names = set(Certificate.objects.values_list("learner_name", flat=True))
    assert names == {f"Learner {n}" for n in range(5)}
    assert not Certificate.objects.filter(pdf="").exists()
