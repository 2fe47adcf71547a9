"""The course pages get the learner's state from the views through hooks (courses/hooks.py),
and a lesson's enrolment check runs in Wagtail's before_serve_page hook: a preview skips it."""

import pytest
from django.test import RequestFactory

from courses import services
from courses.hooks import page_context
from courses.models import Enrolment
from tests.factories import UserFactory

from .factories import course_with_lessons, lessons_of

pytestmark = pytest.mark.django_db


def test_an_editor_previews_a_lesson_of_a_course_they_are_not_enrolled_in():
    course = course_with_lessons(modules=1, lessons=3)
    first, second, third = lessons_of(course)
    editor = UserFactory(is_superuser=True)
    request = RequestFactory().get("/")
    request.user = editor
    response = second.make_preview_request(original_request=request)
    assert response.status_code == 200
    html = response.content.decode()
    # The outline and the neighbours come from views.lesson_context, as on the live page.
    assert course.title in html
    assert f'href="{first.url}"' in html and f'href="{third.url}"' in html
    # No enrolment, no visit recorded: the gate (and its side effects) is not part of a preview.
    assert not Enrolment.objects.exists()


def test_a_served_lesson_records_the_visit_and_shows_progress(client):
    course = course_with_lessons(modules=1, lessons=2)
    first, second = lessons_of(course)
    learner = UserFactory()
    services.course_enrol(user=learner, course=course)
    services.lesson_complete(user=learner, lesson=first)
    client.force_login(learner)
    response = client.get(second.url)
    assert response.status_code == 200
    assert response.context["course"] == course
    assert response.context["previous_activity"].page.pk == first.pk
    assert response.context["progress"].required_done == 1
    assert not response.context["is_completed"]  # read when the page is rendered
    assert "Mark as complete" in response.content.decode()
    assert Enrolment.objects.get(user=learner).last_activity_id == second.pk


def test_page_context_merges_what_the_registered_hooks_give():
    course = course_with_lessons(modules=2, lessons=1)
    request = RequestFactory().get("/")
    request.user = UserFactory()
    context = page_context(course, request)
    assert [module.page.title for module in context["modules"]] == [
        module.title for module in course.get_children().specific()
    ]
    assert context["enrolment"] is None
