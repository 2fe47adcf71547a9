"""External courses (run in a region's centre or on another platform) in the catalogue: their
facts, the registration link, and the same filters as the courses of this platform."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from courses.models import DeliveryMode, ExternalCoursePage
from tests.factories import OrganisationFactory, RegionFactory

from .factories import catalogue_page, course_with_lessons

pytestmark = pytest.mark.django_db


def external(**kwargs):
    defaults = {
        "title": "Carding recycled wool",
        "summary": "Two days in the lab: carding, spinning and testing regenerated wool.",
        "registration_url": "https://lab.example.org/register",
        "delivery_mode": DeliveryMode.IN_PERSON,
        "venue": "Textile Lab, Prato",
        "language": "it",
        "start_date": date(2027, 3, 10),
        "end_date": date(2027, 3, 11),
        "cost": Decimal("120"),
    }
    defaults.update(kwargs)
    if "provider" not in defaults:
        defaults["provider"] = OrganisationFactory(name="Prato Textile Lab", slug="prato-lab")
    page = ExternalCoursePage(**defaults)
    catalogue_page().add_child(instance=page)
    return page


def titles(response):
    return [entry.title for entry in response.context["courses"]]


def test_external_course_is_listed_with_its_facts_and_registration_link(client):
    course_with_lessons(title="Sorting basics")
    external()
    response = client.get("/courses/")
    html = response.content.decode()
    assert titles(response) == ["Carding recycled wool", "Sorting basics"]
    assert "External course" in html
    assert "Textile Lab, Prato" in html
    assert "10 Mar 2027 – 11 Mar 2027" in html
    assert "€120" in html
    assert 'href="https://lab.example.org/register" rel="external noopener"' in html


def test_external_course_page(client):
    page = external(
        delivery_mode=DeliveryMode.ONLINE, venue="", platform_name="Moodle of the lab", cost=None
    )
    html = client.get(page.url).content.decode()
    assert "Online: Moodle of the lab" in html
    assert "Free" in html
    assert "Register with the provider" in html


def test_filters_apply_to_external_courses_too(client):
    lodz, prato = RegionFactory(slug="lodzkie"), RegionFactory(slug="prato")
    course_with_lessons(title="Sorting basics", region=lodz)
    external(region=prato, slug="carding")
    external(
        title="Online fibre identification",
        slug="online-fibres",
        provider=OrganisationFactory(slug="ift"),
        region=lodz,
        language="pl",
        delivery_mode=DeliveryMode.ONLINE,
        venue="",
    )
    assert titles(client.get("/courses/?region=prato")) == ["Carding recycled wool"]
    assert titles(client.get("/courses/?region=lodzkie")) == [
        "Online fibre identification",
        "Sorting basics",
    ]
    assert titles(client.get("/courses/?language=it")) == ["Carding recycled wool"]
    assert titles(client.get("/courses/?provider=prato-lab")) == ["Carding recycled wool"]
    assert titles(client.get("/courses/?format=platform")) == ["Sorting basics"]
    assert titles(client.get("/courses/?format=external")) == [
        "Carding recycled wool",
        "Online fibre identification",
    ]
    assert titles(client.get("/courses/?format=online")) == ["Online fibre identification"]
    assert titles(client.get("/courses/?q=identification")) == ["Online fibre identification"]


def test_unknown_filter_values_get_a_message_not_an_error(client):
    course_with_lessons(title="Sorting basics")
    for query in (
        "region=nowhere",
        "format=teleport",
        "language=xx",
        "q=%00",
        "provider=" + "x" * 500,
    ):
        response = client.get("/courses/?" + query)
        assert response.status_code == 200
        assert "Some filters were not understood" in response.content.decode()


def test_external_course_validation():
    page = ExternalCoursePage(
        title="x",
        slug="x",
        provider=OrganisationFactory(),
        summary="x",
        registration_url="https://example.org",
        delivery_mode=DeliveryMode.IN_PERSON,
        start_date=date(2027, 3, 10),
        end_date=date(2027, 3, 1),
    )
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert set(error.value.message_dict) == {"end_date", "venue"}


def test_catalogue_query_count_does_not_grow_with_external_courses(
    client, django_assert_max_num_queries
):
    external()
    course_with_lessons(title="Sorting basics")
    with django_assert_max_num_queries(26) as few:
        client.get("/courses/")
    for number in range(8):
        external(
            title=f"External {number}", slug=f"external-{number}", provider=OrganisationFactory()
        )
    with django_assert_max_num_queries(len(few)):
        client.get("/courses/")
