"""What the training platform shows through the core's extension points, and its demo data."""

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from cms.hooks import (
    collect_home_panels,
    collect_impact_figures,
    collect_organisation_links,
    collect_section_panels,
    collect_user_menu_items,
)
from courses import services
from courses.models import Certificate, CourseIndexPage, CoursePage, Enrolment

from .factories import course_with_lessons, lessons_of

pytestmark = pytest.mark.django_db


def request_for(user=None):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    return request


def test_home_panel_shows_featured_courses_only(client):
    featured = course_with_lessons(title="Sorting post-consumer textiles", featured=True)
    course_with_lessons(title="Not featured")
    panels = [p for p in collect_home_panels(request_for()) if p.template.startswith("courses/")]
    assert [course.title for course in panels[0].context["courses"]] == [featured.title]
    html = client.get("/").content.decode()
    assert featured.title in html and "Not featured" not in html


def test_training_section_panel_and_organisation_links(course):
    panels = collect_section_panels("training", request_for())
    assert course in panels[0].context["courses"]
    assert collect_section_panels("working-groups", request_for()) == [] or all(
        not panel.template.startswith("courses/")
        for panel in collect_section_panels("working-groups", request_for())
    )
    groups = collect_organisation_links(course.provider, request_for())
    assert [item.title for group in groups for item in group.items] == [course.title]


def test_my_learning_menu_item_and_certificates_figure(learner, course):
    assert not [i for i in collect_user_menu_items(request_for()) if i.url == "/learning/"]
    assert [i.url for i in collect_user_menu_items(request_for(learner))].count("/learning/") == 1

    def certificates_figure():
        return next(
            f.value for f in collect_impact_figures() if f.label == "training certificates issued"
        )

    assert certificates_figure() == 0
    services.course_enrol(user=learner, course=course)
    for lesson in lessons_of(course):
        services.lesson_complete(user=learner, lesson=lesson)
    assert certificates_figure() == 1


def test_load_demo_creates_courses_learners_and_a_certificate_twice_safely(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    counts = (CoursePage.objects.count(), Enrolment.objects.count(), Certificate.objects.count())
    call_command("load_demo")
    assert (
        CoursePage.objects.count(),
        Enrolment.objects.count(),
        Certificate.objects.count(),
    ) == counts
    assert CourseIndexPage.objects.get().slug == "courses"
    slugs = set(CoursePage.objects.values_list("slug", flat=True))
    assert {
        "sorting-post-consumer-textiles",
        "fibre-identification",
        "eu-textile-waste-legislation",
    } <= slugs
    assert {"en", "pl", "it"} <= set(CoursePage.objects.values_list("language", flat=True))
    assert Enrolment.objects.filter(completed_at__isnull=True).count() >= 2
    certificate = Certificate.objects.get()
    assert certificate.user.email == "trainee@example.org"
    assert certificate.pdf
