"""Lessons of key-protected courses are for the people who have the key: site search, the
sitemap and the feeds never list them to anonymous visitors or to users not enrolled."""

import pytest
from django.urls import reverse

from courses import services
from tests.courses.factories import course_with_lessons, lessons_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses():
    protected = course_with_lessons(
        modules=1, lessons=1, title="Regenerated wool of Prato", enrolment_key="PRATO2026"
    )
    secret = lessons_of(protected)[0]
    secret.title = "Carbonising wool rags"
    secret.save_revision().publish()
    open_course = course_with_lessons(modules=1, lessons=1, title="Sorting textiles")
    public = lessons_of(open_course)[0]
    public.title = "Carbonising in the open course"
    public.save_revision().publish()
    return protected, secret, public


def search_html(client):
    response = client.get(reverse("search"), {"q": "carbonising"})
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_search_hides_lessons_of_key_protected_courses(client, courses):
    protected, secret, public = courses
    html = search_html(client)
    assert public.title in html
    assert secret.title not in html


def test_search_shows_them_to_an_enrolled_trainee_only(client, courses):
    protected, secret, _public = courses
    outsider = UserFactory()
    client.force_login(outsider)
    assert secret.title not in search_html(client)

    trainee = UserFactory()
    services.course_enrol(user=trainee, course=protected, key="PRATO2026")
    client.force_login(trainee)
    assert secret.title in search_html(client)


def test_sitemap_hides_them_even_from_an_enrolled_trainee(client, courses):
    protected, secret, public = courses
    trainee = UserFactory()
    services.course_enrol(user=trainee, course=protected, key="PRATO2026")
    client.force_login(trainee)
    xml = client.get("/sitemap.xml").content.decode()
    assert public.url_path.split("/")[-2] in xml
    assert secret.get_full_url() not in xml
    assert protected.get_full_url() in xml  # the course page itself stays public
    for module in protected.get_children():
        assert module.get_full_url() not in xml


def test_sitemap_hides_them_from_anonymous_visitors(client, courses):
    protected, secret, public = courses
    xml = client.get("/sitemap.xml").content.decode()
    assert public.get_full_url() in xml
    assert protected.get_full_url() in xml
    assert secret.get_full_url() not in xml
