import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import GroupPagePermission

from courses.models import Enrolment
from courses.quizzes.models import Question, QuestionCategory
from tests.factories import UserFactory
from tests.quizzes.factories import course_tree, one_of_each, quiz
from tests.quizzes.test_formats import GIFT

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(course_module):
    return course_module[0]


@pytest.fixture
def staff(admin_user, client):
    client.force_login(admin_user)
    return admin_user


def upload(text, name="bank.gift"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def test_import_previews_then_saves_on_confirm(client, staff, course):
    url = f"/admin/quizzes/bank/{course.pk}/import/"
    response = client.post(url, {"file_format": "gift", "file": upload(GIFT)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview: 9 questions" in html and "Denim fibre" in html
    assert Question.objects.count() == 0  # the preview saves nothing
    content = response.context["form"]["content"].value()
    response = client.post(
        url, {"file_format": "gift", "content": content, "category": "", "confirm": "1"}
    )
    assert response.status_code == 302
    assert Question.objects.filter(course=course).count() == 9
    assert "9 questions imported" in client.get(response.url).content.decode()
    assert QuestionCategory.objects.filter(course=course, name="Fibres").exists()


def test_broken_file_lists_lines_and_confirm_saves_nothing(client, staff, course):
    url = f"/admin/quizzes/bank/{course.pk}/import/"
    broken = GIFT + "\n\n::Broken::Bad weight {~%150%a =b}\n\n::Broken 2::Open {=a ~b\n"
    response = client.post(url, {"file_format": "gift", "file": upload(broken)})
    html = response.content.decode()
    assert (
        "Nothing was imported" in html
        and "Line 30:" in html
        and "Line 32:" in html
        and "never closed" in html
    )
    response = client.post(url, {"file_format": "gift", "content": broken, "confirm": "1"})
    assert "Nothing was imported" in response.content.decode()
    assert Question.objects.count() == 0


def test_import_without_file_and_non_utf8_get_clear_messages(client, staff, course):
    url = f"/admin/quizzes/bank/{course.pk}/import/"
    assert "Choose a file to import." in client.post(url, {"file_format": "gift"}).content.decode()
    response = client.post(
        url,
        {"file_format": "aiken", "file": SimpleUploadedFile("x.txt", "Pytanie ż".encode("utf-16"))},
    )
    assert "The file is not UTF-8 text." in response.content.decode()


def test_export_gift_and_aiken(client, staff, course):
    one_of_each(course)
    response = client.get(f"/admin/quizzes/bank/{course.pk}/export/gift/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "::Main fibre of jeans::Which fibre are most jeans made of?" in response.content.decode()
    # Aiken cannot hold four of the six: the export says so before offering the file.
    report = client.get(f"/admin/quizzes/bank/{course.pk}/export/aiken/").content.decode()
    assert "4 questions cannot be written in Aiken" in report and "Natural fibres" in report
    aiken = client.get(f"/admin/quizzes/bank/{course.pk}/export/aiken/?download=1")
    aiken = aiken.content.decode()
    assert "ANSWER: A" in aiken and "Natural fibres" not in aiken


def denied(response):
    """Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message."""
    return response.status_code == 302 and response.url == "/admin/"


def test_editor_of_another_course_is_refused(client, course):
    other_course, _ = course_tree(slug="fibre-identification", title="Fibre identification")
    group = Group.objects.create(name="Fibre course editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=other_course, permission=Permission.objects.get(codename="change_page")
    )
    editor = UserFactory()
    editor.groups.add(group)
    client.force_login(editor)
    assert denied(client.get(f"/admin/quizzes/bank/{course.pk}/import/"))
    assert denied(
        client.post(
            f"/admin/quizzes/bank/{course.pk}/import/",
            {"file_format": "gift", "content": GIFT, "confirm": "1"},
        )
    )
    assert Question.objects.count() == 0
    assert denied(client.get(f"/admin/quizzes/bank/{course.pk}/export/gift/"))
    assert client.get(f"/admin/quizzes/bank/{other_course.pk}/import/").status_code == 200
    page = quiz(course.get_children().first(), one_of_each(course))
    assert denied(client.get(f"/admin/quizzes/report/{page.pk}/"))
    index = client.get("/admin/quizzes/").content.decode()
    assert "Fibre identification" in index and "Sorting post-consumer textiles" not in index

    from courses.quizzes.selectors import question_filter_for

    one_of_each(other_course)
    visible = Question.objects.filter(question_filter_for(editor))
    assert visible.count() == 6 and set(visible.values_list("course_id", flat=True)) == {
        other_course.pk
    }


def test_report_shows_results_and_exports_csv(client, staff, course_module):
    from courses.quizzes import services
    from tests.quizzes.conftest import answers_post
    from tests.quizzes.test_attempts import QueryDict

    course, module = course_module
    page = quiz(module, one_of_each(course))
    for right in (False, True):
        learner = UserFactory()
        Enrolment.objects.create(user=learner, course=course)
        attempt = services.attempt_start(user=learner, quiz=page)
        services.attempt_submit(attempt=attempt, data=QueryDict(answers_post(attempt, right=right)))
    html = client.get(f"/admin/quizzes/report/{page.pk}/").content.decode()
    assert "Main fibre of jeans" in html and "50.0 %" in html  # pass rate
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/admin/quizzes/report/{page.pk}/?export=items").content.decode()
            )
        )
    )
    assert rows[0][0] == "Question" and len(rows) == 7
    facility = {row[0]: row[5] for row in rows[1:]}
    assert facility["Main fibre of jeans"] == "50.00"


def test_question_bank_snippets_and_quiz_editor_render(client, staff, course_module):
    course, module = course_module
    one_of_each(course)
    page = quiz(module, Question.objects.filter(course=course)[:2])
    listing = client.get("/admin/snippets/quizzes/question/")
    assert listing.status_code == 200 and "Main fibre of jeans" in listing.content.decode()
    assert client.get("/admin/snippets/quizzes/question/add/").status_code == 200
    question_ = Question.objects.get(name="Natural fibres")
    edit = client.get(f"/admin/snippets/quizzes/question/edit/{question_.pk}/")
    assert edit.status_code == 200 and "Polyamide" in edit.content.decode()
    assert client.get("/admin/snippets/quizzes/questioncategory/").status_code == 200
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    assert client.get("/admin/quizzes/").status_code == 200


def test_quiz_editor_offers_and_accepts_only_this_courses_questions(staff, course_module):
    from courses.quizzes.models import QuizPage

    course, module = course_module
    own = one_of_each(course)
    other_course, _ = course_tree(slug="fibre-identification", title="Fibre identification")
    foreign = one_of_each(other_course)
    page = quiz(module, own[:1])
    form_class = QuizPage.get_edit_handler().get_form_class()
    form = form_class(instance=page, parent_page=module, for_user=staff)
    offered = set(
        form.formsets["slots"].forms[0].fields["question"].queryset.values_list("pk", flat=True)
    )
    assert offered == {q.pk for q in own}
    data = {
        "title": page.title,
        "slug": page.slug,
        "pass_mark": "60",
        "attempts_allowed": "0",
        "grading_method": "highest",
        "shuffle_options": "on",
        "slots-TOTAL_FORMS": "1",
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "1000",
        "slots-0-question": str(foreign[0].pk),
        "slots-0-random_count": "1",
        "slots-0-ORDER": "1",
    }
    form = form_class(data, instance=page, parent_page=module, for_user=staff)
    assert not form.is_valid()


def test_regional_editors_may_manage_question_banks(client, course):
    editor = UserFactory(roles=["Regional editor"])
    from courses.quizzes.signal_handlers import grant_question_bank_permissions

    grant_question_bank_permissions()
    assert editor.has_perm("quizzes.add_question") and editor.has_perm(
        "quizzes.change_questioncategory"
    )
    client.force_login(editor)
    assert client.get("/admin/snippets/quizzes/question/").status_code == 200


def test_question_form_offers_only_editable_courses(course):
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    from courses.quizzes.models import Question as QuestionModel

    other_course, _ = course_tree(slug="fibre-identification", title="Fibre identification")
    group = Group.objects.create(name="Fibre editors")
    GroupPagePermission.objects.create(
        group=group, page=other_course, permission=Permission.objects.get(codename="change_page")
    )
    editor = UserFactory()
    editor.groups.add(group)
    form_class = QuestionModel.snippet_viewset.get_edit_handler().get_form_class()
    form = form_class(for_user=editor)
    assert list(form.fields["course"].queryset) == [other_course]
