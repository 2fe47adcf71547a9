"""Regional training providers author only their organisation's courses, question banks and
SCORM packages, submit them for moderation (never publish), and see only their own reports.
Every forbidden path is tried through the admin, on the server."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms.accounts import roles
from courses.models import CoursePage, ModulePage
from courses.providers import provider_add_member, training_providers_setup
from courses.quizzes.models import Question
from courses.scorm.models import ScormPackage
from tests.factories import OrganisationFactory, RegionFactory, UserFactory
from tests.quizzes.factories import one_of_each, quiz

from .factories import catalogue_page, course_with_lessons
from .test_scorm import packages, stored_package

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    region = RegionFactory()
    own_org = OrganisationFactory(name="Łódź Textile Cluster", region=region)
    other_org = OrganisationFactory(name="Prato Wool Lab")
    catalogue_page()
    own = course_with_lessons(modules=1, lessons=1, title="Own course", provider=own_org)
    other = course_with_lessons(modules=1, lessons=1, title="Other course", provider=other_org)
    provider = UserFactory(email="provider@example.org")
    provider_add_member(user=provider, organisation=own_org)
    training_providers_setup()
    client = Client()
    client.force_login(provider)
    return {
        "region": region,
        "own_org": own_org,
        "other_org": other_org,
        "own": own,
        "other": other,
        "provider": provider,
        "client": client,
    }


def course_form_data(provider_org, region, title="Recycled denim", **extra):
    data = nested_form_data(
        {
            "title": title,
            "slug": "recycled-denim",
            "summary": "From jeans to fibre.",
            "provider": provider_org.pk,
            "region": region.pk,
            "language": "en",
            "estimated_hours": "3",
            "learning_outcomes": "",
            "prerequisites": "",
            "body": streamfield([]),
            "enrolment_key": "",
            "certificate_design": "classic",
            "comments": inline_formset([]),
        }
    )
    data.update(extra)
    return data


def test_provider_has_the_role_and_a_group_per_organisation(world):
    provider = world["provider"]
    assert provider.groups.filter(name=roles.TRAINING_PROVIDER).exists()
    assert provider.groups.filter(name="Training provider – Łódź Textile Cluster").exists()
    assert provider.has_perm("wagtailadmin.access_admin")


def test_provider_edits_own_course_but_not_another_organisations(world):
    client, own, other = world["client"], world["own"], world["other"]
    assert client.get(reverse("wagtailadmin_pages:edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=[other.pk])).status_code in (302, 403)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[other.pk]),
        course_form_data(world["other_org"], world["region"], title="Hijacked"),
    )
    assert response.status_code in (302, 403)
    other.refresh_from_db()
    assert other.title == "Other course" and not other.has_unpublished_changes
    tester = other.permissions_for_user(world["provider"])
    assert not tester.can_delete() and not tester.can_move() and not tester.can_copy()
    module = ModulePage.objects.child_of(other).first()
    assert not module.permissions_for_user(world["provider"]).can_edit()
    assert not other.permissions_for_user(world["provider"]).can_add_subpage()
    add_module = reverse("wagtailadmin_pages:add", args=["courses", "modulepage", other.pk])
    assert client.get(add_module).status_code in (302, 403)


def test_provider_cannot_edit_the_catalogue_itself(world):
    catalogue = catalogue_page()
    tester = catalogue.permissions_for_user(world["provider"])
    assert tester.can_add_subpage() and not tester.can_edit() and not tester.can_delete()


def test_provider_creates_courses_only_for_own_organisation_and_cannot_publish(world):
    client, catalogue = world["client"], catalogue_page()
    url = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", catalogue.pk])

    response = client.post(url, course_form_data(world["other_org"], world["region"]))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not CoursePage.objects.filter(slug="recycled-denim").exists()

    response = client.post(
        url, course_form_data(world["own_org"], world["region"], **{"action-publish": "Publish"})
    )
    assert response.status_code in (200, 302, 403)
    course = CoursePage.objects.filter(slug="recycled-denim").first()
    assert course is None or not course.live  # publishing directly is not theirs

    CoursePage.objects.filter(slug="recycled-denim").delete()
    response = client.post(
        url, course_form_data(world["own_org"], world["region"], **{"action-submit": "Submit"})
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    course = CoursePage.objects.get(slug="recycled-denim")
    assert not course.live and course.workflow_in_progress
    assert not course.permissions_for_user(world["provider"]).can_publish()

    moderator = UserFactory(roles=[roles.MODERATOR])
    task_state = course.current_workflow_state.current_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[course.pk, "approve", task_state.pk]
    )
    client.post(approve, {"comment": ""})  # the provider cannot approve their own course
    course.refresh_from_db()
    assert not course.live
    moderator_client = Client()
    moderator_client.force_login(moderator)
    moderator_client.post(approve, {"comment": "Fine."})
    course.refresh_from_db()
    assert course.live


def test_question_banks_of_other_organisations_are_out_of_reach(world):
    client, own, other = world["client"], world["own"], world["other"]
    own_questions = one_of_each(own)
    other_questions = one_of_each(other)
    listing = client.get(reverse("wagtailsnippets_quizzes_question:list"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert own_questions[0].name in html
    foreign = other_questions[0]
    assert client.get(
        reverse("wagtailsnippets_quizzes_question:edit", args=[foreign.pk])
    ).status_code in (302, 403, 404)
    response = client.post(
        reverse("wagtailsnippets_quizzes_question:add"),
        {
            "course": other.pk,
            "question_type": "truefalse",
            "name": "Planted",
            "text": "Planted question",
            "default_mark": "1",
            "answers-TOTAL_FORMS": "0",
            "answers-INITIAL_FORMS": "0",
            "pairs-TOTAL_FORMS": "0",
            "pairs-INITIAL_FORMS": "0",
            "units-TOTAL_FORMS": "0",
            "units-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert not Question.objects.filter(name="Planted").exists()
    assert client.get(reverse("quizzes_admin:import", args=[other.pk])).status_code in (302, 403)
    assert client.get(reverse("quizzes_admin:import", args=[own.pk])).status_code == 200


def test_question_chooser_offers_own_banks_with_each_questions_course(
    world, django_assert_max_num_queries
):
    """The quiz editor's question chooser: only the provider's banks, and beside each question
    its type and course, so two courses' same-named questions are told apart."""
    client, own, other = world["client"], world["own"], world["other"]
    second = course_with_lessons(
        modules=1, lessons=0, title="Second own course", provider=world["own_org"]
    )
    one_of_each(own)
    one_of_each(second)
    foreign = one_of_each(other)[0]
    namespace = "wagtailsnippetchoosers_quizzes_question"
    with django_assert_max_num_queries(30):
        response = client.get(reverse(f"{namespace}:choose"))
    assert response.status_code == 200
    html = response.json()["html"]  # the modal's content
    header = html[html.index("<thead") : html.index("</thead>")]
    assert "Course" in header and "Type" in header
    assert "Own course" in html and "Second own course" in html and "Other course" not in html
    assert "Single choice" in html
    results = client.get(reverse(f"{namespace}:choose_results"), {"q": foreign.name})
    assert results.status_code == 200 and "Other course" not in results.content.decode()
    assert client.get(reverse(f"{namespace}:chosen", args=[foreign.pk])).status_code == 404


def test_reports_show_only_own_courses(world):
    client, own, other = world["client"], world["own"], world["other"]
    html = client.get(reverse("courses_admin:report")).content.decode()
    assert "Own course" in html and "Other course" not in html
    assert (
        client.get(reverse("courses_admin:course_certificates", args=[own.pk])).status_code == 200
    )
    assert client.get(
        reverse("courses_admin:course_certificates", args=[other.pk])
    ).status_code in (302, 403)
    assert client.get(
        reverse("courses_admin:course_certificates_zip", args=[other.pk])
    ).status_code in (302, 403)
    other_quiz = quiz(ModulePage.objects.child_of(other).first(), one_of_each(other))
    assert client.get(reverse("quizzes_admin:report", args=[other_quiz.pk])).status_code in (
        302,
        403,
    )


def test_scorm_packages_of_other_organisations_are_out_of_reach(world):
    client = world["client"]
    own_package = stored_package(packages.scorm12(), world["own_org"], title="Own package")
    foreign = stored_package(packages.scorm12(), world["other_org"], title="Foreign package")
    html = client.get(reverse("wagtailsnippets_scorm_scormpackage:list")).content.decode()
    assert "Own package" in html and "Foreign package" not in html
    assert client.get(
        reverse("wagtailsnippets_scorm_scormpackage:edit", args=[foreign.pk])
    ).status_code in (302, 403, 404)
    response = client.post(
        reverse("wagtailsnippets_scorm_scormpackage:add"),
        {
            "package_file": packages_upload(),
            "title": "Planted",
            "organisation": world["other_org"].pk,
        },
    )
    assert response.status_code == 200
    assert not ScormPackage.objects.filter(title="Planted").exists()
    assert own_package.pk


def packages_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("p.zip", packages.scorm12(), content_type="application/zip")


def test_an_ordinary_editor_is_not_restricted_by_the_provider_rules(world):
    moderator = UserFactory(roles=[roles.MODERATOR])
    assert world["other"].permissions_for_user(moderator).can_edit()
    assert world["other"].permissions_for_user(moderator).can_publish()


# Every admin path to another organisation's course, tried ------------------------------------


@pytest.fixture
def foreign(world, django_capture_on_commit_callbacks):
    """Another organisation's course with what a provider must never reach: a learner's
    certificate, a quiz with an essay waiting for its grade, a question category, a SCORM
    package and the course's module, lesson and quiz pages."""
    from decimal import Decimal

    from django.http import QueryDict

    from courses import services as course_services
    from courses.models import Certificate, LessonPage
    from courses.quizzes import services as quiz_services
    from courses.quizzes.models import AttemptState, QuestionType
    from tests.courses.factories import lessons_of
    from tests.quizzes.factories import category, question

    other = world["other"]
    module = ModulePage.objects.child_of(other).first()
    learner = UserFactory(display_name="Lena Learner")
    course_services.course_enrol(user=learner, course=other)
    with django_capture_on_commit_callbacks(execute=True):  # the course's only lesson: certified
        course_services.lesson_complete(user=learner, lesson=lessons_of(other)[0])
    essay = question(other, QuestionType.ESSAY, name="Foreign essay", default_mark=Decimal(4))
    essay_quiz = quiz(module, [essay], slug="foreign-quiz")
    attempt = quiz_services.attempt_start(user=learner, quiz=essay_quiz)
    data = QueryDict(mutable=True)
    data["q1"] = "Sort by hand first."
    attempt, _submitted = quiz_services.attempt_submit(attempt=attempt, data=data)
    assert attempt.state == AttemptState.NEEDS_GRADING
    return {
        "course": other,
        "module": module,
        "lesson": LessonPage.objects.descendant_of(other).first(),
        "quiz": essay_quiz,
        "question": essay,
        "category": category(other, "Foreign category"),
        "essay_slot": attempt.slots.get(position=1),
        "certificate": Certificate.objects.get(user=learner, course=other),
        "package": stored_package(packages.scorm12(), world["other_org"], title="Foreign SCORM"),
    }


FORBIDDEN = (302, 403, 404)


def test_every_admin_path_to_another_organisations_course_is_refused(world, foreign):
    client = world["client"]
    course, quiz_page = foreign["course"], foreign["quiz"]
    gets = [
        reverse("courses_admin:course_certificates", args=[course.pk]),
        reverse("courses_admin:course_certificates_zip", args=[course.pk]),
        reverse("quizzes_admin:report", args=[quiz_page.pk]),
        reverse("quizzes_admin:report", args=[quiz_page.pk]) + "?export=csv",
        reverse("quizzes_admin:import", args=[course.pk]),
        reverse("quizzes_admin:export", args=[course.pk, "gift"]),
        reverse("quizzes_admin:export", args=[course.pk, "aiken"]),
        reverse("quizzes_admin:grade_essay", args=[foreign["essay_slot"].pk]),
    ]
    for name in ("edit", "delete", "copy", "history", "usage"):
        gets.append(
            reverse(f"wagtailsnippets_quizzes_question:{name}", args=[foreign["question"].pk])
        )
    for name in ("edit", "delete"):
        gets.append(
            reverse(
                f"wagtailsnippets_quizzes_questioncategory:{name}", args=[foreign["category"].pk]
            )
        )
        gets.append(
            reverse(f"wagtailsnippets_scorm_scormpackage:{name}", args=[foreign["package"].pk])
        )
    for page in (course, foreign["module"], foreign["lesson"], quiz_page):
        for name in ("edit", "delete", "move", "copy", "unpublish"):
            gets.append(reverse(f"wagtailadmin_pages:{name}", args=[page.pk]))
    gets.append(
        reverse("wagtailadmin_pages:add", args=["quizzes", "quizpage", foreign["module"].pk])
    )
    gets.append(
        reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", foreign["module"].pk])
    )
    for url in gets:
        assert client.get(url).status_code in FORBIDDEN, url


def test_forbidden_posts_change_nothing(world, foreign):
    client = world["client"]
    course, certificate, slot = foreign["course"], foreign["certificate"], foreign["essay_slot"]
    rendered_at = certificate.pdf_rendered_at
    posts = [
        (reverse("courses_admin:certificate_revoke", args=[certificate.pk]), {"reason": "x"}),
        (reverse("courses_admin:course_certificates_regenerate", args=[course.pk]), {}),
        (reverse("quizzes_admin:grade_essay", args=[slot.pk]), {"mark": "4", "comment": "Mine"}),
        (
            reverse("wagtailsnippets_quizzes_question:delete", args=[foreign["question"].pk]),
            {},
        ),
        (
            reverse(
                "wagtailsnippets_quizzes_questioncategory:delete", args=[foreign["category"].pk]
            ),
            {},
        ),
        (
            reverse("wagtailsnippets_scorm_scormpackage:delete", args=[foreign["package"].pk]),
            {},
        ),
        (reverse("wagtailadmin_pages:delete", args=[foreign["lesson"].pk]), {}),
        (reverse("wagtailadmin_pages:unpublish", args=[course.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code in FORBIDDEN, url
    certificate.refresh_from_db()
    assert certificate.revoked_at is None and certificate.pdf_rendered_at == rendered_at
    slot.refresh_from_db()
    assert slot.mark is None and slot.attempt.state == "needs_grading"
    assert Question.objects.filter(pk=foreign["question"].pk).exists()
    assert ScormPackage.objects.filter(pk=foreign["package"].pk).exists()
    assert foreign["category"].__class__.objects.filter(pk=foreign["category"].pk).exists()
    assert type(foreign["lesson"]).objects.filter(pk=foreign["lesson"].pk, live=True).exists()
    course.refresh_from_db()
    assert course.live


def test_lists_and_exports_hold_only_own_courses(world, foreign):
    client = world["client"]
    own = world["own"]
    for url in (
        reverse("courses_admin:report"),
        reverse("courses_admin:report_results"),
        reverse("courses_admin:report") + "?export=csv",
        reverse("quizzes_admin:index"),
        reverse("quizzes_admin:grading"),
        reverse("wagtailsnippets_quizzes_question:list"),
        reverse("wagtailsnippets_quizzes_questioncategory:list"),
        reverse("wagtailsnippets_scorm_scormpackage:list"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        for secret in ("Other course", "Foreign essay", "Foreign category", "Foreign SCORM"):
            assert secret not in body, (url, secret)
    report = client.get(reverse("courses_admin:report") + "?export=csv")
    body = b"".join(report.streaming_content) if report.streaming else report.content
    assert own.title in body.decode()
