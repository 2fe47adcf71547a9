"""Bounded queries: the quiz page, the attempt page and the review page run the same number of
queries with 6 or 50 questions."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms import tablecache
from courses.models import LessonPage
from courses.quizzes import services
from courses.quizzes.bench import gift_import_benchmark, grading_benchmark
from tests.quizzes.conftest import answers_post
from tests.quizzes.factories import one_of_each, quiz

pytestmark = pytest.mark.django_db

# The quiz is found by its URL and the course's outline read from what is kept until a page is
# written (cms.models.home.page_at, courses.selectors.course_outline: no query once visited);
# 1 the enrolment with the course; 1 the learner's completions and attempts in the course (as
# beside a lesson); the attempt's questions and answers (3 with the matching and numerical
# questions of these quizzes).
QUIZ_PAGE_MAX = 18
ATTEMPT_PAGE_MAX = 20  # the review also reads the quiz grade, as the quiz page states it


def build(course_module, copies):
    course, module = course_module
    questions = [q for _ in range(copies) for q in one_of_each(course)]
    return quiz(module, questions[: copies * 6], slug=f"quiz-{copies}")


def test_pages_do_not_grow_with_questions(
    client, course_module, trainee, django_assert_max_num_queries, warm_query_count
):
    client.force_login(trainee)
    measured = {}
    for copies in (1, 9):  # 6 and 54 questions
        page = build(course_module, copies)
        attempt = services.attempt_start(user=trainee, quiz=page)
        client.post(page.url + "attempt/1/save/", answers_post(attempt))
        measured[("attempt", copies)] = warm_query_count(client, page.url + "attempt/1/")
        with django_assert_max_num_queries(ATTEMPT_PAGE_MAX):
            client.get(page.url + "attempt/1/")
        client.post(page.url + "attempt/1/", {**answers_post(attempt), "action": "finish"})
        measured[("summary", copies)] = warm_query_count(client, page.url + "attempt/1/summary/")
        with django_assert_max_num_queries(ATTEMPT_PAGE_MAX):
            client.get(page.url + "attempt/1/summary/")
        client.post(page.url + "attempt/1/", {"action": "submit", "from": "summary"})
        measured[("review", copies)] = warm_query_count(client, page.url + "attempt/1/review/")
        with django_assert_max_num_queries(ATTEMPT_PAGE_MAX):
            client.get(page.url + "attempt/1/review/")
        with django_assert_max_num_queries(QUIZ_PAGE_MAX):
            assert client.get(page.url).status_code == 200
        measured[("quiz", copies)] = warm_query_count(client, page.url)
    assert measured[("attempt", 1)] == measured[("attempt", 9)], measured
    assert measured[("summary", 1)] == measured[("summary", 9)], measured
    assert measured[("review", 1)] == measured[("review", 9)], measured
    assert measured[("quiz", 1)] == measured[("quiz", 9)], measured


def test_attempt_pages_are_routed_from_the_quizs_kept_address_and_follow_changes(
    client, course_module, trainee, sorting_quiz
):
    """An attempt page finds its quiz from the quiz's own kept address and the course outline
    from the kept outline (no query of the page tree once visited); a lesson added, the quiz
    moved to another slug or unpublished show at once; made-up addresses after the quiz are
    the quiz's to refuse."""
    _course, module = course_module
    client.force_login(trainee)
    services.attempt_start(user=trainee, quiz=sorting_quiz)
    url = sorting_quiz.url + "attempt/1/"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    tree_reads = [q["sql"] for q in captured if 'FROM "wagtailcore_page"' in q["sql"]]
    assert tree_reads == [], tree_reads
    for made_up in ("attempt/2/", "attempt/1/no-such/", "no-such/"):
        assert client.get(sorting_quiz.url + made_up).status_code == 404, made_up
    # and they are not kept: however many a visitor makes up, nothing more is stored
    stored = set(tablecache._local)
    for number in range(3, 8):
        assert client.get(f"{sorting_quiz.url}attempt/{number}/x/").status_code == 404
    assert set(tablecache._local) == stored

    module.add_child(instance=LessonPage(title="Blends and their labels", slug="blends"))
    assert "Blends and their labels" in client.get(url).content.decode()

    sorting_quiz.slug = "grading-quiz"
    sorting_quiz.save_revision().publish()
    sorting_quiz.refresh_from_db()
    assert client.get(url).status_code == 404
    moved = sorting_quiz.url + "attempt/1/"
    assert client.get(moved).status_code == 200
    sorting_quiz.unpublish()
    assert client.get(moved).status_code == 404


def test_grading_benchmark_prints_its_figures(db):
    from tests.quizzes.factories import home_page

    assert home_page() is not None
    out = io.StringIO()
    grade_seconds, submit_seconds = grading_benchmark(out)
    assert "50-question attempt" in out.getvalue() and grade_seconds > 0 and submit_seconds > 0
    assert "answered for real" in out.getvalue()


def test_gift_import_benchmark_imports_every_kind(db):
    out = io.StringIO()
    assert gift_import_benchmark(out, count=40) > 0
    assert "GIFT import of 40 questions" in out.getvalue()
