"""Course page, enrolment, lessons, completion and the "My learning" dashboard."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from courses import services
from courses.models import Certificate, Enrolment, LessonCompletion
from courses.quizzes.models import Attempt, AttemptState, QuizPage
from courses.signals import activity_completed
from tests.factories import UserFactory

from .factories import CoursePageFactory, catalogue_page, course_with_lessons, lessons_of

pytestmark = pytest.mark.django_db


def enrol_url(course):
    return reverse("courses:enrol", args=[course.pk])


def complete_url(lesson):
    return reverse("courses:lesson_complete", args=[lesson.pk])


def test_the_course_facts_follow_a_renamed_provider_and_a_new_region_at_once(client, course):
    """The provider and region are kept for every visitor (courses.selectors): a rename of the
    provider, or the course moved to another region, shows on the next visit."""
    from cms.directory.models import Region

    assert course.provider.name in client.get(course.url).text
    course.provider.name = "Prato Reuse Cooperative"
    course.provider.save()
    assert "Prato Reuse Cooperative" in client.get(course.url).text
    course.region = Region.objects.create(name="Łódź Voivodeship", slug="lodz-voivodeship")
    course.save_revision().publish()
    assert "Łódź Voivodeship" in client.get(course.url).text


def test_course_page_shows_facts_outline_and_enrol_button(client, course):
    html = client.get(course.url).content.decode()
    assert f'href="/directory/{course.provider.slug}/"' in html
    assert course.region.name in html
    assert "English" in html and "4.5 hours" in html
    assert "Grade garments for reuse" in html  # learning outcomes
    titles = [lesson.title for lesson in lessons_of(course)]
    positions = [html.index(title) for title in titles]
    assert positions == sorted(positions)  # modules and lessons in tree order
    assert "Sign in to enrol" in html
    # Lessons are not links for someone not enrolled.
    assert f'href="{lessons_of(course)[0].url}"' not in html


def test_unenrolled_users_are_redirected_from_lessons_to_the_course(client, learner, course):
    lesson = lessons_of(course)[0]
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert response["Location"] == course.url + "?enrol=required#enrol"
    assert "Enrol in the course to read its lessons." in client.get(response["Location"]).text
    client.force_login(learner)
    response = client.get(lesson.url, follow=True)
    assert response.redirect_chain[-1][0] == course.url + "?enrol=required#enrol"
    assert "Enrol in the course to read its lessons." in response.content.decode()
    assert "Enrol in the course to read its lessons." not in client.get(course.url).text


def test_enrol_then_read_lessons_and_resume(learner_client, learner, course):
    response = learner_client.post(enrol_url(course))
    first, second = lessons_of(course)[:2]
    assert response.status_code == 302 and response["Location"] == first.url
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1
    # Enrolling twice changes nothing.
    learner_client.post(enrol_url(course))
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1

    html = learner_client.get(second.url).content.decode()
    assert "Wet bags contaminate their neighbours." in html
    assert '<progress class="progress" max="100" value="0"' in html
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.last_activity_id == second.pk
    # The course page and My learning agree: go on with the first lesson not done yet.
    course_html = learner_client.get(course.url).content.decode()
    assert f'href="{first.url}">Continue: {first.title}</a>' in course_html


def test_resume_goes_to_the_first_lesson_not_done_not_the_last_one_seen(learner_client, learner):
    course = course_with_lessons(modules=2, lessons=2, optional_lessons=1)
    lessons = [lesson for lesson in lessons_of(course) if lesson.required]
    services.course_enrol(user=learner, course=course)
    dashboard = learner_client.get(reverse("courses:dashboard")).content.decode()
    assert f"Resume: {lessons[0].title}" in dashboard  # nothing opened yet: the first lesson
    # The learner skips ahead: completes the first and the last lessons, looks at the last.
    for lesson in (lessons[0], lessons[-1]):
        services.lesson_complete(user=learner, lesson=lesson)
    learner_client.get(lessons[-1].url)
    assert Enrolment.objects.get(user=learner).last_activity_id == lessons[-1].pk
    dashboard = learner_client.get(reverse("courses:dashboard")).content.decode()
    assert f'href="{lessons[1].url}">Resume: {lessons[1].title}</a>' in dashboard
    course_html = learner_client.get(course.url).content.decode()
    assert f'href="{lessons[1].url}">Continue: {lessons[1].title}</a>' in course_html


def test_enrolment_key_is_checked_on_the_server(learner_client, learner):
    course = course_with_lessons(enrolment_key="PRATO2026")
    response = learner_client.post(enrol_url(course), {"enrolment_key": "wrong"}, follow=True)
    assert "The enrolment key is not correct." in response.content.decode()
    assert not Enrolment.objects.filter(user=learner).exists()
    learner_client.post(enrol_url(course), {"enrolment_key": " PRATO2026 "})
    assert Enrolment.objects.filter(user=learner, course=course).exists()


def test_a_lesson_follows_its_course_renamed_or_left(learner_client, learner, course):
    """The course of a lesson is kept (CourseActivityMixin.get_course): a lesson shows its
    course's new title on the next visit, and a learner whose enrolment is gone is sent to
    the course at once, though the course itself is still the one kept."""
    learner_client.post(enrol_url(course))
    lesson = lessons_of(course)[0]
    assert course.title in learner_client.get(lesson.url).text
    course.title = "Sorting for reuse, second edition"
    course.save_revision().publish()
    assert "Sorting for reuse, second edition" in learner_client.get(lesson.url).text
    Enrolment.objects.filter(user=learner, course=course).delete()
    response = learner_client.get(lesson.url)
    assert response.status_code == 302 and response["Location"].endswith("?enrol=required#enrol")


def test_enrol_needs_sign_in_and_post(learner_client, course):
    response = Client().post(enrol_url(course))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert learner_client.get(enrol_url(course)).status_code == 405


def test_mark_complete_needs_enrolment(learner_client, learner, course):
    lesson = lessons_of(course)[0]
    learner_client.post(complete_url(lesson))
    assert not LessonCompletion.objects.filter(user=learner).exists()
    with pytest.raises(ValidationError):
        services.lesson_complete(user=learner, lesson=lesson)


def test_completion_rule_required_lessons_then_certificate_once(
    learner_client, learner, django_capture_on_commit_callbacks
):
    course = course_with_lessons(modules=1, lessons=2, optional_lessons=1)
    learner_client.post(enrol_url(course))
    first, second, optional = lessons_of(course)
    response = learner_client.post(complete_url(first), {"next": second.url})
    assert response["Location"] == second.url
    html = learner_client.get(second.url).content.decode()
    assert '<progress class="progress" max="100" value="50"' in html
    assert not Certificate.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = learner_client.post(complete_url(second))
    assert response["Location"] == reverse("courses:dashboard")
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.completed_at is not None  # the optional lesson is not needed
    certificate = Certificate.objects.get(user=learner, course=course)
    assert certificate.learner_name == "Zofia Nowak"
    assert certificate.hours == course.estimated_hours
    assert certificate.provider_name == course.provider.name
    assert certificate.pdf.name.endswith(".pdf")  # rendered by the (eager) task
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [learner.email]
    assert certificate.get_verify_url() in mail.outbox[0].body

    # Completing more, or re-evaluating, never issues a second certificate.
    learner_client.post(complete_url(optional))
    learner_client.post(complete_url(second))
    assert services.course_completion_evaluate(user=learner, course=course) == certificate
    assert Certificate.objects.filter(user=learner).count() == 1
    assert len(mail.outbox) == 1


def test_required_quiz_must_be_passed(learner):
    course = course_with_lessons(modules=1, lessons=1)
    module = course.get_children().first()
    quiz = module.add_child(instance=QuizPage(title="Sorting quiz", slug="sorting-quiz"))
    services.course_enrol(user=learner, course=course)
    assert services.lesson_complete(user=learner, lesson=lessons_of(course)[0]) is None
    assert not Certificate.objects.exists()

    # A finished attempt below the pass mark does not complete the course; one above does.
    finished = {"quiz": quiz, "user": learner, "state": AttemptState.FINISHED}
    Attempt.objects.create(number=1, percent=quiz.pass_mark - 1, **finished)
    activity_completed.send(sender=QuizPage, user=learner, page=quiz)
    assert not Certificate.objects.exists()
    Attempt.objects.create(number=2, percent=100, **finished)
    activity_completed.send(sender=QuizPage, user=learner, page=quiz)
    assert Certificate.objects.filter(user=learner, course=course).count() == 1


def test_certificate_expiry_from_course_validity(learner):
    course = course_with_lessons(modules=1, lessons=1, certificate_validity_months=24)
    services.course_enrol(user=learner, course=course)
    certificate = services.lesson_complete(user=learner, lesson=lessons_of(course)[0])
    assert certificate.expires_on == services.add_months(certificate.completed_on, 24)
    assert services.add_months(certificate.completed_on.replace(month=1, day=31), 1).day in (28, 29)


def test_course_page_query_count_does_not_grow(client, learner, django_assert_max_num_queries):
    small = course_with_lessons(modules=1, lessons=1)
    big = course_with_lessons(modules=4, lessons=5)
    for course in (small, big):
        services.course_enrol(user=learner, course=course)
        services.lesson_complete(user=learner, lesson=lessons_of(course)[0])
    client.force_login(learner)
    for course in (small, big):  # warm the site and settings caches, and each page's route
        client.get(course.url)
    # The outline is one query, the enrolment with the certificate one, the learner's
    # completions and attempts one, the provider with the region one; a lesson reads its course
    # with the enrolment.
    with django_assert_max_num_queries(18) as small_queries:
        client.get(small.url)
    with django_assert_max_num_queries(len(small_queries)):
        client.get(big.url)
    lesson, small_lesson = lessons_of(big)[-1], lessons_of(small)[0]
    with django_assert_max_num_queries(18):
        assert client.get(lesson.url).status_code == 200
    with django_assert_max_num_queries(18):
        assert client.get(small_lesson.url).status_code == 200


def test_dashboard_lists_progress_completions_and_certificates(learner_client, learner):
    done = course_with_lessons(modules=1, lessons=1, title="Fibre identification")
    half = course_with_lessons(modules=1, lessons=2, title="EU textile waste legislation")
    for course in (done, half):
        services.course_enrol(user=learner, course=course)
        services.lesson_complete(user=learner, lesson=lessons_of(course)[0])
    learner_client.get(lessons_of(half)[0].url)
    response = learner_client.get(reverse("courses:dashboard"))
    assert [e.course.title for e in response.context["in_progress"]] == [half.title]
    assert [e.course.title for e in response.context["completed"]] == [done.title]
    html = response.content.decode()
    assert '<progress class="progress" max="100" value="50"' in html
    # The learner last looked at the lesson they completed: "Resume" leads to the next one.
    assert f"Resume: {lessons_of(half)[1].title}" in html
    certificate = Certificate.objects.get(user=learner)
    assert certificate.get_download_url() in html
    assert certificate.get_absolute_url() in html


def test_dashboard_query_count_does_not_grow(client, learner, warm_query_count):
    def take(count):
        for number in range(count):
            course = course_with_lessons(modules=1, lessons=2)
            services.course_enrol(user=learner, course=course)
            first, second = lessons_of(course)
            services.lesson_complete(user=learner, lesson=first)
            if number % 2:  # half of them completed, half in progress with a resume link
                services.lesson_complete(user=learner, lesson=second)
            else:
                services.enrolment_record_visit(
                    enrolment=Enrolment.objects.get(user=learner, course=course), page=second
                )

    client.force_login(learner)
    dashboard = reverse("courses:dashboard")
    take(2)
    queries = warm_query_count(client, dashboard, at_most=16)
    take(6)
    # The writes above make the next request read again what is kept until its tables are
    # written (cms/tablecache.py); the count compared is the one after the warm-up, as before.
    warm_query_count(client, dashboard, at_most=queries)
    response = client.get(dashboard)
    assert len(response.context["in_progress"]) == 4
    assert len(response.context["completed"]) == 4


def test_dashboard_needs_sign_in(client):
    response = client.get(reverse("courses:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unpublished_course_cannot_be_enrolled(learner_client):
    draft = CoursePageFactory(parent=catalogue_page(), live=False)
    assert learner_client.post(enrol_url(draft)).status_code == 404


def test_other_users_progress_is_separate(learner_client, learner, course):
    other = UserFactory()
    services.course_enrol(user=other, course=course)
    services.lesson_complete(user=other, lesson=lessons_of(course)[0])
    learner_client.post(enrol_url(course))
    html = learner_client.get(course.url).content.decode()
    assert '<progress class="progress" max="100" value="0"' in html


def test_module_page_redirects_to_its_section_of_the_course(client, course):
    module = course.get_children().first()
    response = client.get(module.url)
    assert response.status_code == 302
    assert response["Location"] == f"{course.url}#module-{module.slug}"


def test_dashboard_with_many_quiz_courses_costs_the_same(client, learner, warm_query_count):
    """My learning with courses that have quizzes: the quizzes passed are read for all the
    courses at once (it was two queries a course: 413 for a member of the large data set)."""
    from decimal import Decimal

    from courses.quizzes.models import Attempt, AttemptState

    def take(count):
        for _number in range(count):
            course = course_with_lessons(modules=1, lessons=1)
            module = course.get_children().first()
            page = module.add_child(
                instance=QuizPage(title="Final quiz", slug="final-quiz", pass_mark=50)
            )
            services.course_enrol(user=learner, course=course)
            services.lesson_complete(user=learner, lesson=lessons_of(course)[0])
            Attempt.objects.create(
                quiz=page, user=learner, number=1, state=AttemptState.FINISHED,
                max_score=2, score=1, percent=Decimal(40),
            )  # fmt: skip

    client.force_login(learner)
    dashboard = reverse("courses:dashboard")
    take(2)
    queries = warm_query_count(client, dashboard, at_most=16)
    assert "Resume: Final quiz" in client.get(dashboard).content.decode()  # failed: next
    take(10)
    # The writes above make the next request read again what is kept until its tables are
    # written (cms/tablecache.py); the count compared is the one after the warm-up.
    warm_query_count(client, dashboard, at_most=queries)
    response = client.get(dashboard)
    assert len(response.context["in_progress"]) == 12
    assert all(
        e.progress_done == 1 and e.progress_total == 2 for e in response.context["in_progress"]
    )


def test_dashboard_lists_a_page_at_a_time(client, learner, monkeypatch):
    """A member with many courses sees a page of each list (Moodle's course overview shows 12),
    with the lists' sizes and their own page links; progress is worked out for the page shown."""
    from courses import selectors

    monkeypatch.setattr(selectors, "DASHBOARD_PAGE_SIZE", 2)
    courses = [course_with_lessons(modules=1, lessons=2, title=f"Course {n}") for n in range(3)]
    for course in courses:
        services.course_enrol(user=learner, course=course)
    services.lesson_complete(user=learner, lesson=lessons_of(courses[0])[0])
    for course in [course_with_lessons(modules=1, lessons=1) for _n in range(3)]:
        services.course_enrol(user=learner, course=course)
        services.lesson_complete(user=learner, lesson=lessons_of(course)[0])  # completed
    client.force_login(learner)
    dashboard = reverse("courses:dashboard")

    first = client.get(dashboard)
    html = first.content.decode()
    assert (
        len(first.context["in_progress"]) == 2 and first.context["in_progress"].paginator.count == 3
    )
    assert len(first.context["completed"]) == 2 and len(first.context["certificates"]) == 2
    assert 'In progress <span class="count">(3)</span>' in html
    assert 'href="?page=2"' in html and 'href="?completed=2"' in html
    assert 'href="?certificates=2"' in html

    # Each list turns its own page and keeps the others where they were.
    second = client.get(dashboard, {"page": 2, "completed": 2})
    (last,) = second.context["in_progress"]
    assert len(second.context["completed"]) == 1 and len(second.context["certificates"]) == 2
    shown = {e.course_id for e in first.context["in_progress"]} | {last.course_id}
    assert shown == {course.pk for course in courses}
    done = {course.pk: 50 if course == courses[0] else 0 for course in courses}
    for enrolment in [*first.context["in_progress"], last]:
        assert enrolment.progress_percent == done[enrolment.course_id]
        assert enrolment.resume_activity is not None
    assert 'href="?page=1&amp;completed=2"' in second.content.decode()

    # Whatever the address says, a page is shown.
    for junk in ("abc", "0", "99", "\x00", "9" * 40):
        assert client.get(dashboard, {"page": junk, "certificates": junk}).status_code == 200
