import pytest

from cms.models import Topic
from tests.factories import OrganisationFactory, RegionFactory

from .factories import CoursePageFactory, catalogue_page, course_with_lessons

pytestmark = pytest.mark.django_db


def titles(response):
    return [course.title for course in response.context["courses"]]


def test_catalogue_lists_live_courses_with_provider_links(client):
    course = course_with_lessons(title="Sorting post-consumer textiles")
    draft = CoursePageFactory(parent=catalogue_page(), title="Unpublished draft", live=False)
    response = client.get("/courses/")
    assert response.status_code == 200
    assert titles(response) == [course.title]
    assert draft.title not in response.content.decode()
    assert f'href="/directory/{course.provider.slug}/"' in response.content.decode()


def test_catalogue_filters_by_region_provider_language_and_topic(client):
    lodz, prato = RegionFactory(slug="lodzkie"), RegionFactory(slug="prato")
    cluster = OrganisationFactory(slug="lodz-cluster", region=lodz)
    sorting = Topic.objects.create(name="Sorting", slug="sorting")
    english = course_with_lessons(title="Sorting basics", region=lodz, provider=cluster)
    english.topics.add(sorting)
    english.save()
    course_with_lessons(title="Lana rigenerata", region=prato, language="it")

    assert titles(client.get("/courses/?region=lodzkie")) == ["Sorting basics"]
    assert titles(client.get("/courses/?region=prato")) == ["Lana rigenerata"]
    assert titles(client.get("/courses/?provider=lodz-cluster")) == ["Sorting basics"]
    assert titles(client.get("/courses/?language=it")) == ["Lana rigenerata"]
    assert titles(client.get("/courses/?topic=sorting")) == ["Sorting basics"]
    assert titles(client.get("/courses/?language=it&region=lodzkie")) == []
    assert "No courses match these filters." in client.get("/courses/?language=de").content.decode()


def test_catalogue_search_uses_wagtail_search(client):
    course_with_lessons(title="Fibre identification", summary="Burn tests and NIR spectroscopy.")
    course_with_lessons(title="EU legislation on textile waste", summary="EPR and ecodesign.")
    assert titles(client.get("/courses/?q=spectroscopy")) == ["Fibre identification"]
    assert titles(client.get("/courses/?q=legislation")) == ["EU legislation on textile waste"]


def test_catalogue_paginates(client):
    for number in range(14):
        CoursePageFactory(parent=catalogue_page(), title=f"Course {number:02d}")
    first = client.get("/courses/")
    assert len(first.context["courses"]) == 12
    second = client.get("/courses/?page=2")
    assert titles(second) == ["Course 12", "Course 13"]


def test_catalogue_query_count_does_not_grow(client, django_assert_max_num_queries):
    topic = Topic.objects.create(name="Sorting", slug="sorting")
    for _number in range(2):
        CoursePageFactory(parent=catalogue_page()).topics.add(topic)
    client.get("/courses/")  # the first request makes the site look and warms the caches
    with django_assert_max_num_queries(19):
        client.get("/courses/?q=course")
    for _number in range(10):
        CoursePageFactory(parent=catalogue_page()).topics.add(topic)
    with django_assert_max_num_queries(19):
        response = client.get("/courses/?q=course")
    assert len(response.context["courses"]) == 12


def test_catalogue_marks_the_learners_enrolled_and_completed_courses(client):
    from courses import services
    from tests.factories import UserFactory

    from .factories import lessons_of

    learner = UserFactory()
    done = course_with_lessons(modules=1, lessons=1, title="Done course")
    started = course_with_lessons(modules=1, lessons=2, title="Started course")
    course_with_lessons(title="Other course")
    for course in (done, started):
        services.course_enrol(user=learner, course=course)
        services.lesson_complete(user=learner, lesson=lessons_of(course)[0])
    client.force_login(learner)
    response = client.get("/courses/")
    assert response.context["enrolment_states"] == {
        done.pk: "completed",
        started.pk: "enrolled",
    }
    html = response.content.decode()
    assert html.count(">Completed</span>") == 1 and html.count(">Enrolled</span>") == 1


def test_kept_catalogue_shows_each_member_their_own_badges_and_new_courses_at_once(settings):
    """The catalogue's list is kept for every visitor asking the same address with the same
    enrolments (cms/fragments.py, on while the page cache is): another member never sees a
    learner's badges, an enrolment shows its badge at once, and so does a new course."""
    from django.test import Client

    from courses import services
    from tests.factories import UserFactory

    settings.PAGE_CACHE_SECONDS = 300
    course = course_with_lessons(modules=1, lessons=2, title="Fibre sorting")
    learner, other = UserFactory(), UserFactory()
    learner_client, other_client = Client(), Client()
    learner_client.force_login(learner)
    other_client.force_login(other)
    for _ in range(2):  # the second visit of each comes from the kept list
        for visitor in (learner_client, other_client, Client()):
            page = visitor.get("/courses/").content.decode()
            assert "Fibre sorting" in page and ">Enrolled</span>" not in page
    services.course_enrol(user=learner, course=course)
    assert ">Enrolled</span>" in learner_client.get("/courses/").content.decode()
    for visitor in (other_client, Client()):
        assert ">Enrolled</span>" not in visitor.get("/courses/").content.decode()
    course_with_lessons(title="Denim recycling")
    for visitor in (learner_client, other_client, Client()):
        assert "Denim recycling" in visitor.get("/courses/").content.decode()


def _tables_read(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, " ".join(query["sql"] for query in queries.captured_queries)


def test_catalogue_order_and_filter_choices_are_kept_until_a_page_or_choice_is_written(client):
    """The whole catalogue's order and its filters' choices are read once and kept
    (cms/tablecache.py): a new course, with a new provider, region and topic, is listed and
    offered at once; a course unpublished leaves at once; a filtered list is read each time."""
    course_with_lessons(title="Fibre sorting")
    client.get("/courses/")
    response, sql = _tables_read(client, "/courses/")
    assert titles(response) == ["Fibre sorting"]
    for table in ("directory_region", "directory_organisation", "cms_topic"):
        assert f'FROM "{table}"' not in sql
    assert sql.count('FROM "courses_coursepage"') == 1  # the courses shown, not the order

    region, provider = RegionFactory(name="Prato"), OrganisationFactory(name="Prato Lab")
    topic = Topic.objects.create(name="Carded wool", slug="carded-wool")
    denim = course_with_lessons(title="Denim recycling", region=region, provider=provider)
    denim.topics.add(topic)
    denim.save()
    html = client.get("/courses/").content.decode()
    assert titles(client.get("/courses/")) == ["Denim recycling", "Fibre sorting"]
    for name in ("Prato", "Prato Lab", "Carded wool"):
        assert f">{name}</option>" in html
    assert f'<option value="{region.slug}">' in html

    selected = client.get(f"/courses/?region={region.slug}").content.decode()
    assert f'<option value="{region.slug}" selected>' in selected
    _response, sql = _tables_read(client, f"/courses/?region={region.slug}")
    assert 'FROM "directory_region"' in sql  # the slug given is validated
    # a filtered list's order is read again (as well as the courses shown), never kept
    assert sql.count('FROM "courses_coursepage"') >= 2

    denim.unpublish()
    assert titles(client.get("/courses/")) == ["Fibre sorting"]
    assert ">Prato Lab</option>" not in client.get("/courses/").content.decode()
