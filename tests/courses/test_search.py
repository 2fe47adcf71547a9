"""Courses, external courses, lessons and quizzes in the site search (/search/), through the
core's SEARCH_RESULTS hook: each in its own kind with the content's own date, never twice, and
the content of key-protected courses only for the learners enrolled in them."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import LessonPage
from tests.cms.searching import facet_counts, result_titles, search
from tests.factories import RegionFactory, UserFactory
from tests.quizzes.factories import one_of_each, quiz

from .factories import ModulePageFactory, course_with_lessons, lessons_of
from .test_external_courses import external

pytestmark = pytest.mark.django_db


def retitle(page, title, **fields):
    page.title = title
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


@pytest.fixture
def catalogue():
    lodz, prato = RegionFactory(name="Łódzkie"), RegionFactory(name="Toscana")
    open_course = course_with_lessons(
        modules=1, lessons=2, title="Carding and spinning", region=lodz
    )
    lesson = retitle(lessons_of(open_course)[0], "Carding recycled fibres")
    protected = course_with_lessons(
        modules=1, lessons=1, title="Carding in Prato", enrolment_key="PRATO2026", region=prato
    )
    secret = retitle(lessons_of(protected)[0], "Carding wool rags")
    elsewhere = external(title="Carding lab days", region=prato, start_date=date(2027, 3, 10))
    return {
        "lodz": lodz,
        "prato": prato,
        "open": open_course,
        "lesson": lesson,
        "protected": protected,
        "secret": secret,
        "external": elsewhere,
    }


def test_courses_and_lessons_are_kinds_of_their_own_never_listed_twice(client, catalogue):
    html = search(client, "carding")
    facets = facet_counts(html)
    # The three courses (the key-protected one's page is public), one lesson: the other
    # lesson is behind the key.
    assert facets["Courses"] == 3
    assert facets["Lessons and quizzes"] == 1
    assert facets.get("Pages", 0) == 0  # claimed by the courses' kinds: not again as pages
    assert facets["Everything"] == 4
    titles = result_titles(html)
    assert sorted(titles) == sorted(
        ["Carding and spinning", "Carding in Prato", "Carding lab days", "Carding recycled fibres"]
    )
    assert "Carding wool rags" not in html

    courses_only = search(client, "carding", kind="courses")
    assert sorted(result_titles(courses_only)) == [
        "Carding and spinning",
        "Carding in Prato",
        "Carding lab days",
    ]
    assert result_titles(search(client, "carding", kind="lessons")) == ["Carding recycled fibres"]


def test_hits_carry_the_content_date_and_say_what_and_where_they_are(client, catalogue):
    html = search(client, "carding", kind="lessons")
    lesson = catalogue["lesson"]
    # The page shows the date where the site is (TIME_ZONE), which near midnight UTC is not
    # the UTC date.
    published = timezone.localdate(lesson.first_published_at).isoformat()
    assert f"Lesson in {catalogue['open'].title}" in html
    assert f'<time datetime="{published}' in html
    assert lesson.url in html

    courses = search(client, "carding", kind="courses")
    assert '<time datetime="2027-03-10' in courses  # the external course's start
    assert "External course" in courses
    assert "<mark>carding</mark>, spinning" in courses  # the snippet, highlighted


def test_an_enrolled_learner_finds_the_key_protected_lessons(client, catalogue):
    trainee = UserFactory()
    services.course_enrol(user=trainee, course=catalogue["protected"], key="PRATO2026")
    client.force_login(trainee)
    html = search(client, "carding", kind="lessons")
    assert sorted(result_titles(html)) == ["Carding recycled fibres", "Carding wool rags"]

    client.force_login(UserFactory())  # signed in, not enrolled: still hidden
    assert "Carding wool rags" not in search(client, "carding")


def test_quizzes_and_modules_are_found_with_their_course(client, catalogue):
    course = catalogue["open"]
    module = ModulePageFactory(parent=course, title="Carding machines", summary="Cards.")
    quiz(module, one_of_each(course), title="Carding check", slug="carding-check")
    html = search(client, "carding", kind="lessons")
    assert "Carding machines" in html and "Module in Carding and spinning" in html
    assert "Carding check" in html and "Quiz in Carding and spinning" in html


def test_region_keeps_the_courses_of_that_region_and_their_lessons(client, catalogue):
    html = search(client, "carding", region=catalogue["prato"].slug)
    titles = result_titles(html)
    assert sorted(titles) == ["Carding in Prato", "Carding lab days"]
    lodz = search(client, "carding", region=catalogue["lodz"].slug)
    assert sorted(result_titles(lodz)) == ["Carding and spinning", "Carding recycled fibres"]


@pytest.mark.parametrize("count", [2, 8])
def test_query_count_does_not_grow_with_the_hits(client, warm_query_count, count):
    course = course_with_lessons(modules=1, lessons=count, title="Carding course")
    for number, lesson in enumerate(LessonPage.objects.descendant_of(course)):
        retitle(lesson, f"Carding step {number}")
    # The pages' search, a COUNT per kind, the hits shown: the course titles of the lessons
    # shown in one query.
    warm_query_count(client, reverse("search"), {"q": "carding"}, at_most=12)
    html = search(client, "carding")
    assert facet_counts(html)["Lessons and quizzes"] == count
