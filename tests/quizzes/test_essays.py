"""Essays graded by the course's teachers, and a passed quiz issuing the course certificate
through the real completion rule (no patched selectors)."""

from decimal import Decimal

import pytest
from django.http import QueryDict

from cms.outbox.models import OutgoingEmail
from courses import services as course_services
from courses.models import Certificate
from courses.quizzes import selectors, services
from courses.quizzes.models import Attempt, AttemptState, QuestionType
from tests.factories import UserFactory
from tests.quizzes.conftest import answers_post
from tests.quizzes.factories import course_tree, one_of_each, question, quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def essay_quiz(course_module):
    course, module = course_module
    essay = question(
        course,
        QuestionType.ESSAY,
        name="Sorting plan",
        text="Describe how your plant would sort a tonne of mixed clothing.",
        default_mark=Decimal("4"),
    )
    single = question(
        course,
        QuestionType.SINGLE,
        name="Reuse",
        text="Which stream earns the most?",
        answers=[("Reuse", 1), ("Landfill", 0)],
    )
    return quiz(module, [essay, single], pass_mark=60, slug="essay-quiz")


def _submit(client, page, trainee, essay_text):
    client.force_login(trainee)
    client.post(page.url + "start/")
    attempt = Attempt.objects.get(user=trainee, quiz=page, state=AttemptState.IN_PROGRESS)
    reuse = next(
        key
        for key, pk in attempt.slots.get(position=2).options()
        if pk == attempt.slots.get(position=2).question.answers.get(fraction=1).pk
    )
    client.post(
        page.url + f"attempt/{attempt.number}/", {"q1": essay_text, "q2": reuse, "action": "submit"}
    )
    attempt.refresh_from_db()
    return attempt


def test_an_essay_waits_for_a_teacher_and_completion_waits_too(
    client, essay_quiz, trainee, course_module
):
    course = course_module[0]
    attempt = _submit(client, essay_quiz, trainee, "Pre-sort by hand, then NIR by fibre.")
    assert attempt.state == AttemptState.NEEDS_GRADING
    assert attempt.percent is None and attempt.score is None
    essay_slot = attempt.slots.get(position=1)
    assert essay_slot.response == "Pre-sort by hand, then NIR by fibre." and essay_slot.mark is None
    assert selectors.passed_quiz_ids(trainee, course) == set()
    review = client.get(essay_quiz.url + "attempt/1/review/").content.decode()
    assert (
        "Waiting for a teacher&#x27;s grade" in review or "Waiting for a teacher's grade" in review
    )
    page = client.get(essay_quiz.url).content.decode()
    assert "Waiting for a teacher" in page and "Your grade for this quiz" not in page
    # The learner cannot grade themself or answer again.
    assert client.get(f"/admin/quizzes/grading/{essay_slot.pk}/").status_code in (302, 403)
    assert (
        client.post(essay_quiz.url + "attempt/1/", {"q1": "changed", "action": "save"}).status_code
        == 302
    )
    essay_slot.refresh_from_db()
    assert essay_slot.response == "Pre-sort by hand, then NIR by fibre."


def test_the_courses_editor_grades_from_the_queue_and_the_learner_is_told(
    client, essay_quiz, trainee, course_module, django_capture_on_commit_callbacks
):
    course = course_module[0]
    attempt = _submit(client, essay_quiz, trainee, "Pre-sort by hand, then NIR by fibre.")
    essay_slot = attempt.slots.get(position=1)
    teacher = UserFactory(is_staff=True, is_superuser=True, roles=["Administrator"])
    client.force_login(teacher)
    queue = client.get("/admin/quizzes/grading/").content.decode()
    assert str(trainee) in queue and "Sorting plan" in queue
    url = f"/admin/quizzes/grading/{essay_slot.pk}/"
    form = client.get(url).content.decode()
    assert "Pre-sort by hand, then NIR by fibre." in form
    # Bad marks get a message and save nothing.
    for bad in ("5", "-1", "nan", "1e400", "abc"):
        response = client.post(url, {"mark": bad, "comment": "ok"})
        assert response.status_code == 200 and "errorlist" in response.content.decode(), bad
    response = client.post(url, {"mark": "3", "comment": "Good plan\x00"})
    assert response.status_code == 200
    essay_slot.refresh_from_db()
    assert essay_slot.mark is None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"mark": "3", "comment": "Good plan; weigh the bales too."})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED
    assert attempt.score == 4 and attempt.percent == Decimal("80")  # 3/4 essay + 1/1 choice
    assert selectors.passed_quiz_ids(trainee, course) == {essay_quiz.pk}
    graded_mail = OutgoingEmail.objects.filter(to=trainee.email, template__contains="graded")
    assert graded_mail.count() == 1
    assert "graded" in graded_mail.get().subject
    # The queue is empty; the learner reads the grade and the comment.
    assert (
        "No essay is waiting for a grade." in client.get("/admin/quizzes/grading/").content.decode()
    )
    client.force_login(trainee)
    review = client.get(essay_quiz.url + "attempt/1/review/").content.decode()
    assert "Good plan; weigh the bales too." in review and "80 %" in review
    assert "3 out of 4" in review


def test_other_teachers_cannot_see_or_grade_the_essay(client, essay_quiz, trainee):
    attempt = _submit(client, essay_quiz, trainee, "My plan.")
    essay_slot = attempt.slots.get(position=1)
    # An editor of another course only.
    other_course, _module = course_tree(slug="other-course", title="Other course")
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    group = Group.objects.create(name="Other course editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=other_course, permission=Permission.objects.get(codename="change_page")
    )
    other = UserFactory(is_staff=True)
    other.groups.add(group)
    client.force_login(other)
    assert "My plan." not in client.get("/admin/quizzes/grading/").content.decode()
    url = f"/admin/quizzes/grading/{essay_slot.pk}/"
    # Wagtail's admin answers PermissionDenied with a redirect to its dashboard.
    for response in (client.get(url), client.post(url, {"mark": "4", "comment": ""})):
        assert response.status_code == 302 and response.url == "/admin/"
    essay_slot.refresh_from_db()
    assert essay_slot.mark is None


def test_a_blank_essay_is_worth_nothing_and_needs_no_teacher(client, essay_quiz, trainee):
    attempt = _submit(client, essay_quiz, trainee, "   ")
    assert attempt.state == AttemptState.FINISHED
    assert attempt.percent == Decimal("20")  # 0/4 essay + 1/1 choice


def test_a_passed_quiz_issues_the_certificate_without_patches(
    client, course_module, trainee, django_capture_on_commit_callbacks
):
    """The course's completion rule sees the quiz pass through ``passed_quiz_ids``, as it does
    for a learner: no selector is patched (issue 16)."""
    course, module = course_module
    page = quiz(module, one_of_each(course), pass_mark=60)
    course_services.course_enrol(user=trainee, course=course)
    attempt = services.attempt_start(user=trainee, quiz=page)
    services.attempt_submit(attempt=attempt, data=QueryDict())
    assert not Certificate.objects.exists()  # failed (blank)
    retake = services.attempt_start(user=trainee, quiz=page)
    data = QueryDict(mutable=True)
    for key, value in answers_post(retake).items():
        data.setlist(key, value if isinstance(value, list) else [value])
    with django_capture_on_commit_callbacks(execute=True):
        services.attempt_submit(attempt=retake, data=data)
    certificate = Certificate.objects.get(user=trainee, course=course)
    assert certificate.course_title == course.title
    assert OutgoingEmail.objects.filter(to=trainee.email, template__contains="certificate").exists()
