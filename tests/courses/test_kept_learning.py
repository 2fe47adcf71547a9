"""My learning, the course page and the lesson page kept for each member until the next write
(and, for what shows where they left off, their next lesson visit: ``selectors.learning_stamp``,
the enrolment's stamp), with the page cache on as in production (cms/fragments.py): a member back
at a page reads none of what it lists; what they did since shows at once; nobody is shown
another member's page."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Certificate, Enrolment
from tests.factories import UserFactory

from .factories import course_with_lessons, lessons_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept_pages")]

DASHBOARD = reverse("courses:dashboard")


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def dashboard(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


def in_progress(html):
    section = html.split('id="in-progress-heading"', 1)[1].split("</section>", 1)[0]
    return re.findall(r"<h3><a [^>]*>([^<]+)</a></h3>", section)


def test_a_member_back_at_their_dashboard_reads_none_of_its_lists(learner):
    for title in ("Fibre identification", "Sorting for reuse"):
        services.course_enrol(user=learner, course=course_with_lessons(title=title))
    client = signed_in(learner)
    first = dashboard(client)

    with CaptureQueriesContext(connection) as kept:
        again = dashboard(client)

    statements = [query["sql"] for query in kept.captured_queries]
    assert not [sql for sql in statements if "courses_coursepage" in sql or "certificate" in sql]
    # of the enrolments, only the latest visit (learning_stamp)
    enrolments = [sql for sql in statements if "courses_enrolment" in sql]
    assert len(enrolments) == 1 and 'MAX("courses_enrolment"."last_accessed_at")' in enrolments[0]
    assert in_progress(again) == in_progress(first) == ["Sorting for reuse", "Fibre identification"]


def test_a_lesson_visit_shows_at_once(learner):
    fibres = course_with_lessons(title="Fibre identification", modules=1, lessons=2)
    sorting = course_with_lessons(title="Sorting for reuse", modules=1, lessons=2)
    for course in (fibres, sorting):
        services.course_enrol(user=learner, course=course)
    client = signed_in(learner)
    assert client.get(lessons_of(sorting)[1].url).status_code == 200
    assert in_progress(dashboard(client))[0] == "Sorting for reuse"
    dashboard(client)  # kept

    # The visit's stamp is a write the page cache leaves out (it empties nothing kept)...
    assert client.get(lessons_of(fibres)[1].url).status_code == 200
    html = dashboard(client)

    # ...and My learning follows it: the course visited last comes first, resumed where it was.
    assert in_progress(html) == ["Fibre identification", "Sorting for reuse"]
    assert f"Resume: {lessons_of(fibres)[0].title}" in html  # the first one not done yet
    services.lesson_complete(user=learner, lesson=lessons_of(fibres)[0])
    html = dashboard(client)
    assert f"Resume: {lessons_of(fibres)[1].title}" in html
    assert '<progress class="progress" max="100" value="50"' in html


def test_nobody_is_shown_another_members_lists(learner):
    services.course_enrol(user=learner, course=course_with_lessons(title="Fibre identification"))
    other = UserFactory()
    services.course_enrol(user=other, course=course_with_lessons(title="Sorting for reuse"))
    mine, theirs = signed_in(learner), signed_in(other)
    for _visit in range(2):
        assert in_progress(dashboard(mine)) == ["Fibre identification"]
        assert in_progress(dashboard(theirs)) == ["Sorting for reuse"]


def test_a_completed_course_and_its_certificate_show_at_once_and_the_kept_form_posts(learner):
    course = course_with_lessons(title="Fibre identification", modules=1, lessons=1)
    services.course_enrol(user=learner, course=course)
    client = signed_in(learner, enforce_csrf_checks=True)
    dashboard(client)
    dashboard(client)

    services.lesson_complete(user=learner, lesson=lessons_of(course)[0])
    html = dashboard(client)
    certificate = Certificate.objects.get(user=learner)
    assert in_progress(html) == [] and certificate.get_download_url() in html
    html = dashboard(client)  # kept, with this response's own token in its form
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(
        reverse("courses:certificate_regenerate", args=[certificate.code]),
        {"csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(user=learner).completed_at is not None


def test_a_course_page_follows_the_learners_last_visit_at_once(learner):
    """The course's "Resume where you left off" (all its lessons optional: no next step to
    suggest) follows each lesson visit, a write the page cache leaves out."""
    course = course_with_lessons(modules=1, lessons=0, optional_lessons=2)
    first, second = lessons_of(course)
    services.course_enrol(user=learner, course=course)
    client = signed_in(learner)
    assert client.get(first.url).status_code == 200
    for _visit in range(2):
        html = client.get(course.url).content.decode()
        assert "Resume where you left off" in html and f'href="{first.url}"' in html

    assert client.get(second.url).status_code == 200
    html = client.get(course.url).content.decode()
    resume = html.split("Resume where you left off", 1)[0].rsplit("<a ", 1)[1]
    assert f'href="{second.url}"' in resume


def test_kept_course_and_lesson_pages_read_no_progress_and_show_a_completion_at_once(learner):
    course = course_with_lessons(modules=1, lessons=2)
    first, second = lessons_of(course)
    services.course_enrol(user=learner, course=course)
    client = signed_in(learner)
    for url in (course.url, first.url):
        client.get(url)
        with CaptureQueriesContext(connection) as kept:
            assert client.get(url).status_code == 200
        statements = " ".join(query["sql"] for query in kept.captured_queries)
        assert "courses_lessoncompletion" not in statements, url
    assert "Mark as complete" in client.get(first.url).content.decode()

    response = client.post(reverse("courses:lesson_complete", args=[first.pk]))
    assert response.status_code == 302
    lesson = client.get(first.url).content.decode()
    assert "Mark as complete" not in lesson and "Completed" in lesson
    assert '<progress class="progress" max="100" value="50"' in client.get(course.url).text
    # another member's course page is their own: not enrolled, no progress
    other = signed_in(UserFactory()).get(course.url).text
    assert "Enrol in this course" in other and '<progress class="progress"' not in other


def test_a_visit_is_stamped_at_once_for_another_activity_and_once_a_minute_for_the_same(
    learner, monkeypatch
):
    course = course_with_lessons(modules=1, lessons=2)
    first, second = lessons_of(course)
    services.course_enrol(user=learner, course=course)
    client = signed_in(learner)

    def stamps(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return [q for q in captured if q["sql"].startswith('UPDATE "courses_enrolment"')]

    assert len(stamps(first.url)) == 1
    assert stamps(first.url) == []  # a reload within the minute
    assert len(stamps(second.url)) == 1  # another lesson: at once
    assert Enrolment.objects.get(user=learner).last_activity_id == second.pk
    later = timezone.now() + timedelta(seconds=61)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert len(stamps(second.url)) == 1
    assert Enrolment.objects.get(user=learner).last_accessed_at == later
