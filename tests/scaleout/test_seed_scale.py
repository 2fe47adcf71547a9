"""`manage.py seed_scale --size small`: the tiny version of the large data set, with the
counts asked for, a sound page tree, a usable search index, and the key pages rendering."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from machina.apps.forum_conversation.models import Post, Topic
from wagtail.models import Page

from cms.analytics.models import PageView
from cms.models import ResearchPage, StoryPage, TechnologyPage
from cms.seed_scale import SEED_PASSWORD, SIZES
from courses.models import CoursePage, Enrolment, LessonPage
from courses.quizzes.models import Attempt, Question, QuizPage
from exchange.models import Listing, Match, Membership
from forum.models import WorkingGroup

pytestmark = pytest.mark.django_db
SMALL = SIZES["small"]


@pytest.fixture
def seeded():
    output = io.StringIO()
    call_command("seed_scale", "--size", "small", stdout=output)
    return output.getvalue()


def test_counts_tree_and_search(seeded):
    assert "Done in" in seeded
    seeded_users = get_user_model().objects.filter(email__endswith="@seed.example.org")
    assert seeded_users.count() == SMALL.users
    assert (
        Page.objects.type(StoryPage, TechnologyPage, ResearchPage)
        .filter(slug__startswith="seed-")
        .count()
        == SMALL.pages
    )
    assert set(
        StoryPage.objects.filter(slug__startswith="seed-").values_list(
            "locale__language_code", flat=True
        )
    ) == {"en", "pl", "it"}
    assert CoursePage.objects.filter(slug__startswith="seed-course-").count() == SMALL.courses
    assert LessonPage.objects.filter(url_path__contains="/seed-course-").count() == SMALL.lessons
    assert Question.objects.count() == SMALL.questions
    assert Attempt.objects.count() == SMALL.attempts
    assert Enrolment.objects.exists()
    assert WorkingGroup.objects.filter(slug__startswith="seed-").count() == SMALL.groups
    assert Post.objects.count() >= SMALL.posts
    assert Listing.objects.filter(title__startswith="Seed listing").count() == SMALL.listings
    assert Match.objects.exists()
    assert PageView.objects.count() == SMALL.page_views
    # treebeard's own consistency check: paths, depths and child counts all agree
    assert all(not problems for problems in Page.find_problems())
    # the search index has the bulk-made pages
    story = StoryPage.objects.filter(slug__startswith="seed-", locale__language_code="en").first()
    found = StoryPage.objects.live().search(story.title.split()[-1])
    assert story in list(found)


def test_a_second_run_is_refused(seeded):
    with pytest.raises(CommandError):
        call_command("seed_scale", "--size", "small", stdout=io.StringIO())


def test_key_pages_render(seeded, client):
    story = StoryPage.objects.filter(slug__startswith="seed-", locale__language_code="en").first()
    polish = StoryPage.objects.filter(slug__startswith="seed-", locale__language_code="pl").first()
    course = CoursePage.objects.filter(slug__startswith="seed-course-").first()
    group = WorkingGroup.objects.filter(slug__startswith="seed-", visibility="public").first()
    long_topic = Topic.objects.filter(forum=group.forum, posts_count=100).get()
    listing = Listing.objects.filter(title__startswith="Seed listing").first()
    anonymous_pages = [
        "/",
        story.get_parent().url,
        story.url,
        polish.url,
        "/search/?q=recycled",
        "/courses/",
        course.url,
        "/forum/",
        group.get_absolute_url(),
        f"/forum/board/forum/{group.forum.slug}-{group.forum.pk}/topic/"
        f"{long_topic.slug}-{long_topic.pk}/",
        "/forum/search/?q=sorting",
        "/exchange/?kind=offer&fibre=cotton",
        f"/exchange/listings/{listing.pk}/",
    ]
    for url in anonymous_pages:
        assert client.get(url).status_code == 200, url
    # signed in: a trainee with attempts, a member of an exchange organisation
    attempt = Attempt.objects.select_related("user", "quiz").first()
    assert client.login(email=attempt.user.email, password=SEED_PASSWORD)
    lesson = LessonPage.objects.filter(
        url_path__startswith=attempt.quiz.get_parent().get_parent().url_path
    ).first()
    for url in ["/learning/", lesson.url, QuizPage.objects.get(pk=attempt.quiz_id).url]:
        assert client.get(url).status_code == 200, url
    owner = Membership.objects.filter(
        organisation__exchange_listings__matches_as_wanted__isnull=False
    ).first()
    client.force_login(owner.user)
    assert client.get("/exchange/matches/").status_code == 200
