"""Bad input answers with a message, never a 500. Run on SQLite and on PostgreSQL (which
refuses NUL characters in text: the case that used to fail deep inside views)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from cms.middleware import NulCharactersMiddleware
from courses.quizzes import services as quiz_services
from courses.quizzes.models import QuestionType
from tests.courses.factories import course_with_lessons
from tests.factories import UserFactory
from tests.quizzes.conftest import answers_post

pytestmark = pytest.mark.django_db
NUL_MESSAGE = "a character that is not allowed"


@pytest.fixture
def client():
    # Django's test client re-raises a view's exception; a real server answers 500.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%00",
        "/search/?q%00=x",
        "/exchange/?q=wool%00",
        "/forum/search/?q=%00",
        "/certificates/verify/?code=%00",
        "/certificates/verify/ab%00cd/",
        "/certificates/verify/ab%00cd/badge.png",
        "/forum/board/member/profile/1%00/",
    ],
)
def test_nul_in_the_address_never_gives_a_500(client, url):
    """On PostgreSQL these reached the database; the answer is now a page that says what
    went wrong: the form's own message (200), not found, or the middleware's 400."""
    client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code in (200, 400, 404)
    if response.status_code == 400:
        assert NUL_MESSAGE in response.content.decode()


def test_nul_in_a_form_field_gets_the_forms_message_and_nothing_saved(client):
    user = UserFactory(display_name="Ada")
    client.force_login(user)
    response = client.post(reverse("account_profile"), {"display_name": "Eve\x00"})
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Ada"


def _failing_view(request):
    """A view that hands what it got to PostgreSQL, as psycopg fails on a NUL."""
    raise ValueError("PostgreSQL text fields cannot contain NUL (0x00) bytes")


@pytest.mark.parametrize(
    ("method", "data", "headers", "kind"),
    [
        ("get", {"q": "wool\x00"}, {}, "html"),
        ("post", {"title": "Nul\x00byte"}, {}, "html"),
        ("post", {"q1": "a\x00"}, {"x-requested-with": "fetch"}, "json"),
    ],
)
def test_middleware_turns_a_nul_failure_into_a_400_with_a_message(rf, method, data, headers, kind):
    request = getattr(rf, method)("/somewhere/", data, headers=headers)
    request.user = UserFactory()
    request.session = {}
    response = NulCharactersMiddleware(_failing_view).process_exception(
        request, ValueError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
    )
    assert response.status_code == 400
    if kind == "json":
        assert NUL_MESSAGE in json.loads(response.content)["error"]
    else:
        assert NUL_MESSAGE in response.content.decode()


def test_middleware_leaves_other_errors_alone(rf):
    middleware = NulCharactersMiddleware(_failing_view)
    assert middleware.process_exception(rf.get("/somewhere/", {"q": "wool"}), ValueError()) is None
    with_nul = rf.get("/somewhere/", {"q": "wool\x00"})
    assert middleware.process_exception(with_nul, KeyError()) is None


@pytest.mark.parametrize(
    "url",
    [
        '/search/?q="',
        "/search/?q=%22wool",
        "/search/?q=(",
        "/search/?q=*",
        "/search/?q=AND",
        "/search/?q=wool%20OR",
        "/search/?q=-",
        '/search/?q=""',
        "/search/?q=%22wool%22",
        "/search/?q=a%22b%22c%22",
        "/forum/search/?q=%22",
        "/exchange/?q=%22",
    ],
)
def test_search_syntax_characters_never_break_search(client, url):
    client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code == 200


def test_catalogue_search_with_a_lone_quote(client):
    catalogue = course_with_lessons(modules=1, lessons=1).get_parent()
    response = client.get(catalogue.url, {"q": '"'})
    assert response.status_code == 200


@pytest.mark.parametrize("code", ["a/b", "a%2Fb", "../x", "x" * 200, "ä"])
def test_certificate_lookup_of_an_impossible_code_is_not_found(client, code):
    response = client.get("/certificates/verify/", {"code": code})
    assert response.status_code == 404
    assert "Certificate not found" in response.content.decode()


def test_certificate_lookup_of_a_code_redirects(client):
    response = client.get("/certificates/verify/", {"code": "AbC-12_x"})
    assert response.status_code == 302
    assert response["Location"].endswith("/certificates/verify/AbC-12_x/")


@pytest.mark.parametrize("suffix", ["", "posts/"])
def test_forum_member_profile_with_a_word_for_id_is_404(client, suffix):
    client.force_login(UserFactory())
    assert client.get(f"/forum/board/member/profile/abc/{suffix}").status_code == 404
    assert client.get(f"/forum/board/member/profile/{10**30}/{suffix}").status_code == 404


@pytest.fixture
def attempt(trainee, sorting_quiz):
    return quiz_services.attempt_start(user=trainee, quiz=sorting_quiz)


def _typed_slots(attempt):
    slots = attempt.slots.select_related("question")
    return {slot.question.question_type: f"q{slot.position}" for slot in slots}


@pytest.mark.parametrize("action", ["autosave", "save", "submit"])
def test_quiz_answers_with_nul_get_a_message_and_nothing_is_saved(client, trainee, attempt, action):
    """The quiz refuses them itself (courses.quizzes.services.InvalidResponse)."""
    client.force_login(trainee)
    names = _typed_slots(attempt)
    data = answers_post(attempt)
    data[names[QuestionType.SHORT_ANSWER]] = "recycled\x00 fibre"
    data[names[QuestionType.NUMERICAL]] = "12\x00"
    url = attempt.quiz.url + f"attempt/{attempt.number}/"
    if action == "autosave":
        response = client.post(url + "save/", data, headers={"x-requested-with": "fetch"})
        assert response.status_code == 400
        assert "NUL character" in response.json()["error"]
    else:
        response = client.post(url, {**data, "action": action}, follow=True)
        assert response.status_code == 200
        assert "NUL character" in response.content.decode()
    attempt.refresh_from_db()
    assert not attempt.is_finished
    assert not attempt.slots.filter(saved_at__isnull=False).exists()


@pytest.mark.parametrize("region", ["abc", "1.5", "1e400", "[]"])
def test_an_admin_form_with_a_word_for_a_chosen_id_shows_its_errors(client, admin_user, region):
    """Wagtail's chooser widget redrew the refused form by looking the id up: ValueError on
    PostgreSQL, a 500 (cms/choosers.py)."""
    from cms.analytics.models import MediaCoverage

    client.force_login(admin_user)
    response = client.post(
        "/admin/media-log/coverage/new/",
        {"region": region, "date": "2026-01-01", "outlet": "Gazeta", "title": "Wool"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not MediaCoverage.objects.exists()


def test_moving_a_topic_to_a_word_instead_of_a_forum_is_refused(client):
    from machina.apps.forum_conversation.models import Topic

    from cms.accounts import roles
    from tests.forum.factories import WorkingGroupFactory, topic_with_posts

    moderator = UserFactory(roles=[roles.MODERATOR])
    group = WorkingGroupFactory()
    topic = topic_with_posts(group, moderator, subject="Stays here")
    client.force_login(moderator)
    url = f"/forum/board/moderation/topic/{topic.slug}-{topic.pk}/move/"
    for forum in ("disabled", "label", "abc"):
        response = client.post(url, {"forum": forum})
        assert response.status_code == 200, forum
        assert Topic.objects.get(pk=topic.pk).forum_id == group.forum.pk
