"""The anonymous page cache (cms/pagecache.py): what is served from it, what never is, and that
every change a visitor should see shows at once."""

import re
import shutil

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from machina.apps.forum_conversation.models import Post, Topic
from wagtail.models import Page
from wagtail.models import Site as WagtailSite

from cms import pagecache
from cms.analytics.models import PageView
from exchange.models import Listing
from forum.models import WorkingGroup
from tests.cms.factories import make_story, story_index, technology_index
from tests.courses.factories import catalogue_page, course_with_lessons
from tests.exchange.factories import ListingFactory
from tests.factories import UserFactory
from tests.forum.factories import WorkingGroupFactory, member, topic_url, topic_with_posts
from tests.scaleout.processes import PrivateRedis, free_port
from themes.models import SiteLook

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE = re.compile(r'nonce="([^"]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    # The site's look is made on the first page ever rendered (a write that empties the cache);
    # made here, so each test starts with what a running site has.
    SiteLook.for_site(WagtailSite.objects.get(is_default_site=True))


def visitor():
    return Client(HTTP_USER_AGENT=BROWSER)


def get(client, url):
    response = client.get(url)
    return response, response.content.decode()


def test_second_visit_is_served_from_the_cache_with_its_own_token_and_nonce():
    first, first_html = get(visitor(), "/")
    second, second_html = get(visitor(), "/")
    assert (first.status_code, first[pagecache.HEADER]) == (200, "miss")
    assert (second.status_code, second[pagecache.HEADER]) == (200, "hit")
    # Each response carries its own CSRF token and nonce, never the placeholders or another
    # visitor's; the policy header names the nonce of its own page.
    assert pagecache.CSRF_PLACEHOLDER not in second_html
    assert pagecache.NONCE_PLACEHOLDER not in second_html
    assert TOKEN.search(first_html).group(1) != TOKEN.search(second_html).group(1)
    nonce = NONCE.search(second_html).group(1)
    assert nonce != NONCE.search(first_html).group(1)
    assert f"'nonce-{nonce}'" in second["Content-Security-Policy"]
    assert second.cookies["csrftoken"].value
    # The rest of the page is the same.
    assert TOKEN.sub("", NONCE.sub("", first_html)) == TOKEN.sub("", NONCE.sub("", second_html))


def test_a_new_secret_key_never_serves_a_page_kept_with_the_old_placeholder(monkeypatch):
    """The CSRF placeholder comes from the secret key; pages (and fragments) stored under the
    old one are not served after a change, since nothing would replace their placeholder."""
    get(visitor(), "/")
    assert get(visitor(), "/")[0][pagecache.HEADER] == "hit"
    old = pagecache.CSRF_PLACEHOLDER
    monkeypatch.setattr(pagecache, "CSRF_PLACEHOLDER", "csrf-" + "0" * 64)  # a new secret key
    response, html = get(visitor(), "/")
    assert response[pagecache.HEADER] == "miss"
    assert old not in html and pagecache.CSRF_PLACEHOLDER not in html
    assert TOKEN.search(html)


def test_a_form_on_a_cached_page_still_posts():
    get(visitor(), "/")  # stores the page
    client = Client(HTTP_USER_AGENT=BROWSER, enforce_csrf_checks=True)
    response, html = get(client, "/")
    assert response[pagecache.HEADER] == "hit"
    switched = client.post(
        reverse("set_language"),
        {"csrfmiddlewaretoken": TOKEN.search(html).group(1), "language": "pl", "next": "/"},
    )
    assert switched.status_code == 302  # not 403: the token matches this visitor's cookie
    # The Polish page, never the English one from the cache.
    assert switched["Location"] == "/pl/"
    for _ in range(2):
        polish = client.get("/pl/")
        assert polish.status_code == 200 and '<html lang="pl">' in polish.content.decode()
    assert polish[pagecache.HEADER] == "hit"


def test_a_visitor_who_already_has_a_csrf_cookie_keeps_it():
    client = Client(HTTP_USER_AGENT=BROWSER, enforce_csrf_checks=True)
    get(client, "/")
    cookie = client.cookies["csrftoken"].value
    response, html = get(client, "/")
    assert response[pagecache.HEADER] == "hit"
    assert "csrftoken" not in response.cookies or response.cookies["csrftoken"].value == cookie
    switched = client.post(
        reverse("set_language"),
        {"csrfmiddlewaretoken": TOKEN.search(html).group(1), "language": "it", "next": "/"},
    )
    assert switched.status_code == 302


def test_publishing_unpublishing_and_deleting_show_at_once():
    index = story_index()
    get(visitor(), index.url)
    assert get(visitor(), index.url)[0][pagecache.HEADER] == "hit"

    story = make_story(title="Carded wool from selvedges")
    response, html = get(visitor(), index.url)
    assert response[pagecache.HEADER] == "miss" and "Carded wool from selvedges" in html
    assert get(visitor(), story.url)[0].status_code == 200
    get(visitor(), story.url)

    story.unpublish()
    assert get(visitor(), story.url)[0].status_code == 404
    assert "Carded wool from selvedges" not in get(visitor(), index.url)[1]

    story.save_revision().publish()
    assert "Carded wool from selvedges" in get(visitor(), index.url)[1]
    Page.objects.get(pk=story.pk).delete()
    assert get(visitor(), story.url)[0].status_code == 404
    assert "Carded wool from selvedges" not in get(visitor(), index.url)[1]


def test_moving_a_page_moves_it_at_once():
    story = make_story(title="Moved story")
    old_url = story.url
    assert get(visitor(), old_url)[0].status_code == 200
    assert get(visitor(), old_url)[0][pagecache.HEADER] == "hit"
    story.move(technology_index(), pos="last-child")
    moved = Page.objects.get(pk=story.pk)
    assert moved.url != old_url
    # Wagtail made a redirect from the old address.
    response = get(visitor(), old_url)[0]
    assert (response.status_code, response["Location"]) == (301, moved.url)
    assert "Moved story" in get(visitor(), moved.url)[1]


def test_a_new_forum_post_shows_at_once():
    author = UserFactory(display_name="Paula Poster")
    group = WorkingGroupFactory(name="Sorting", slug="sorting")
    member(group, author)
    topic = topic_with_posts(group, author, subject="NIR thresholds", posts=1)
    url = topic_url(topic)
    get(visitor(), url)
    assert get(visitor(), url)[0][pagecache.HEADER] == "hit"
    fresh = Topic.objects.get(pk=topic.pk)  # machina saves the topic's counters with the post
    Post.objects.create(topic=fresh, poster=author, subject="Re", content="Ninety percent works")
    assert "Ninety percent works" in get(visitor(), url)[1]
    # Views served from the cache are counted as machina counts them.
    response = get(visitor(), url)[0]
    assert response[pagecache.HEADER] == "hit"
    topic.refresh_from_db()
    assert topic.views_count == 4


def test_a_listing_changed_by_a_bulk_update_shows_at_once():
    listing = ListingFactory(title="Cotton cuttings from Prato")
    url = reverse("exchange:listing_detail", kwargs={"pk": listing.pk})
    assert "Cotton cuttings from Prato" in get(visitor(), url)[1]
    assert get(visitor(), url)[0][pagecache.HEADER] == "hit"
    Listing.objects.filter(pk=listing.pk).update(title="Denim offcuts from Łódź")
    assert "Denim offcuts from Łódź" in get(visitor(), url)[1]


def test_a_signed_in_page_is_never_stored_nor_served_from_the_cache():
    user = UserFactory(display_name="Sabina Signedin")
    signed_in = Client(HTTP_USER_AGENT=BROWSER)
    signed_in.force_login(user)
    for _ in range(2):
        response, html = get(signed_in, "/")
        assert pagecache.HEADER not in response and "Sabina Signedin" in html
    response, html = get(visitor(), "/")
    assert response[pagecache.HEADER] == "miss" and "Sabina Signedin" not in html
    # And the anonymous page stored now is never given to the signed-in member.
    response, html = get(signed_in, "/")
    assert pagecache.HEADER not in response and "Sabina Signedin" in html


def test_a_private_groups_content_is_never_served_to_anonymous_visitors():
    coordinator = UserFactory(display_name="Carla Coordinator")
    group = WorkingGroupFactory(
        name="Secret pilot",
        slug="secret-pilot",
        visibility=WorkingGroup.Visibility.PRIVATE,
        coordinators=[coordinator],
    )
    insider = member(group)
    topic = topic_with_posts(group, coordinator, subject="Confidential prices", posts=2)
    url = topic_url(topic)
    signed_in = Client(HTTP_USER_AGENT=BROWSER)
    signed_in.force_login(insider)
    assert "Confidential prices" in get(signed_in, url)[1]
    assert "Confidential prices" in get(signed_in, url)[1]
    for _ in range(2):
        response, html = get(visitor(), url)
        assert "Confidential prices" not in html
        assert response.status_code in (302, 403, 404)
    forum_index = reverse("working_groups:list")
    get(signed_in, forum_index)
    assert "Secret pilot" not in get(visitor(), forum_index)[1]


def test_a_page_showing_a_message_is_not_stored(rf, monkeypatch):
    """A message added while the page is rendered is the visitor's: the page is not stored."""
    from django.contrib import messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    request = rf.get("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    messages.success(request, "Saved")
    assert pagecache._personal(request)
    assert not pagecache.response_is_storable(request, HttpResponse("<p>Saved</p>"))


def test_a_session_or_messages_cookie_bypasses_the_cache():
    get(visitor(), "/")
    for cookie in ("sessionid", "messages"):
        client = visitor()
        client.cookies[cookie] = "anything"
        assert pagecache.HEADER not in get(client, "/")[0]


def test_responses_that_forbid_caching_are_not_stored(rf):
    from django.http import HttpResponse
    from django.utils.cache import add_never_cache_headers, patch_vary_headers

    request = rf.get("/")
    never = HttpResponse("x")
    add_never_cache_headers(never)
    varying = HttpResponse("x")
    patch_vary_headers(varying, ["User-Agent"])
    with_cookie = HttpResponse("x")
    with_cookie.set_cookie("chosen", "1")
    for response in (never, varying, with_cookie, HttpResponse("x", status=404)):
        assert not pagecache.response_is_storable(request, response)
    assert pagecache.response_is_storable(request, HttpResponse("x"))


def test_page_views_are_counted_on_hits_without_emptying_the_cache():
    story = make_story(title="Counted story")
    for _ in range(3):
        get(visitor(), story.url)
    assert get(visitor(), story.url)[0][pagecache.HEADER] == "hit"
    assert sum(PageView.objects.filter(page_id=story.pk).values_list("views", flat=True)) == 4
    # Robots are served from the cache too, but not counted.
    robot = Client(HTTP_USER_AGENT="Googlebot/2.1")
    assert robot.get(story.url)[pagecache.HEADER] == "hit"
    assert sum(PageView.objects.filter(page_id=story.pk).values_list("views", flat=True)) == 4


def unanswering_cache(settings):
    """The page cache in a Redis that does not answer (nothing listens on the port)."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "cms.cache.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        },
    }
    settings.PAGE_CACHE_ALIAS = "pages"


def test_without_a_cache_answer_pages_render_as_usual(settings):
    unanswering_cache(settings)
    client = Client(HTTP_USER_AGENT=BROWSER, enforce_csrf_checks=True)
    response, html = get(client, "/")
    assert pagecache.HEADER not in response and pagecache.CSRF_PLACEHOLDER not in html
    switched = client.post(
        reverse("set_language"),
        {"csrfmiddlewaretoken": TOKEN.search(html).group(1), "language": "pl", "next": "/"},
    )
    assert switched.status_code == 302


@pytest.fixture
def redis_page_cache(settings):
    """The page cache in a Redis of its own, as production has it (django-redis, pickled
    entries), whose commands can be counted."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = PrivateRedis().start()
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "cms.cache.FailSoftRedisCache",
            "LOCATION": server.url,
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        },
    }
    settings.PAGE_CACHE_ALIAS = "pages"
    try:
        yield server.client()
    finally:
        server.stop()


def commands(redis_client):
    stats = redis_client.info("commandstats")
    return {name.removeprefix("cmdstat_"): value["calls"] for name, value in stats.items()}


def test_a_hit_is_one_round_trip_to_redis(redis_page_cache):
    story = make_story(title="One round trip")
    assert get(visitor(), story.url)[0][pagecache.HEADER] == "miss"
    before = commands(redis_page_cache)
    response, html = get(visitor(), story.url)
    after = commands(redis_page_cache)
    assert response[pagecache.HEADER] == "hit" and "One round trip" in html
    calls = {name: after[name] - before.get(name, 0) for name in after if name != "info"}
    assert {name: count for name, count in calls.items() if count} == {"mget": 1}


def test_a_page_stored_before_a_write_is_never_served_after_it(redis_page_cache):
    listing = ListingFactory(title="Wool noils")
    url = reverse("exchange:listing_detail", kwargs={"pk": listing.pk})
    get(visitor(), url)
    assert get(visitor(), url)[0][pagecache.HEADER] == "hit"
    stored = set(redis_page_cache.keys("*pagecache:page:*"))
    Listing.objects.filter(pk=listing.pk).update(title="Silk waste")
    # The old page is still in Redis under its key, but its generation is not current.
    assert set(redis_page_cache.keys("*pagecache:page:*")) == stored
    response, html = get(visitor(), url)
    assert response[pagecache.HEADER] == "miss" and "Silk waste" in html
    assert "Silk waste" in get(visitor(), url)[1]


def test_a_page_rendered_while_a_write_happens_is_not_served_afterwards(monkeypatch):
    """The page is stored under the generation read before its render: a write during the
    render (another process saving a listing) makes it out of date at once."""
    listing = ListingFactory(title="Linen scraps")
    url = reverse("exchange:listing_detail", kwargs={"pk": listing.pk})
    render = pagecache.PageCacheMiddleware.__init__

    def with_a_write_during_the_render(self, get_response):
        def get_response_and_write(request):
            response = get_response(request)
            Listing.objects.filter(pk=listing.pk).update(title="Hemp scraps")
            return response

        render(self, get_response_and_write)

    monkeypatch.setattr(pagecache.PageCacheMiddleware, "__init__", with_a_write_during_the_render)
    response, html = get(visitor(), url)
    assert response[pagecache.HEADER] == "miss" and "Linen scraps" in html
    monkeypatch.undo()
    response, html = get(visitor(), url)
    assert response[pagecache.HEADER] == "miss" and "Hemp scraps" in html


@pytest.mark.parametrize(
    ("sql", "relevant"),
    [
        ('SELECT "cms_storypage"."page_ptr_id" FROM "cms_storypage"', False),
        ("SAVEPOINT s1", False),
        # A compound query as PostgreSQL gets it (the course outline's UNION).
        ('(SELECT "a"."id" FROM "a") UNION (SELECT "b"."id" FROM "b")', False),
        ('INSERT INTO "cms_storypage" ("title") VALUES (%s)', True),
        ('UPDATE "exchange_listing" SET "title" = %s WHERE "id" = %s', True),
        ('DELETE FROM "wagtailcore_page" WHERE "id" IN (%s)', True),
        ("INSERT INTO analytics_pageview (page_id, day, views) VALUES (%s, %s, %s)", False),
        ('UPDATE "django_session" SET "session_data" = %s', False),
        ('UPDATE "accounts_user" SET "last_login" = %s WHERE "id" = %s', False),
        ('UPDATE "accounts_user" SET "last_login" = %s, "display_name" = %s WHERE', True),
        (
            'UPDATE "courses_enrolment" SET "last_activity_id" = %s, "last_accessed_at" = %s '
            'WHERE "courses_enrolment"."id" = %s',
            False,
        ),
        ('UPDATE "courses_enrolment" SET "completed_at" = %s WHERE "id" = %s', True),
        ('TRUNCATE "exchange_listing"', True),
        ('ALTER TABLE "cms_storypage" ADD COLUMN "x" integer', True),
        ("WITH moved AS (DELETE FROM x RETURNING *) INSERT INTO y SELECT * FROM moved", True),
    ],
)
def test_which_statements_empty_the_cache(sql, relevant):
    assert pagecache.is_relevant_write(sql) is relevant


def test_ignored_tables_are_real_and_no_key_page_reads_them():
    """A table may be ignored only when no anonymous page shows what is in it."""
    tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    assert pagecache.IGNORED_TABLES <= tables
    story = make_story(title="Read story")
    group = WorkingGroupFactory(name="Sorting", slug="sorting")
    topic = topic_with_posts(group, UserFactory(), posts=3)
    listing = ListingFactory()
    course = course_with_lessons(modules=1, lessons=1)
    urls = [
        "/",
        story.url,
        story_index().url,
        "/search/?q=story",
        catalogue_page().url,
        course.url,
        reverse("working_groups:list"),
        topic_url(topic),
        reverse("exchange:browse"),
        reverse("exchange:listing_detail", kwargs={"pk": listing.pk}),
        "/partners/",
    ]
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert visitor().get(url).status_code == 200, url
        reads = " ".join(
            q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")
        )
        for table in pagecache.IGNORED_TABLES:
            assert f'"{table}"' not in reads, (url, table)


def test_redirects_the_same_for_every_anonymous_visitor_are_stored_until_they_change():
    """A Wagtail redirect (an old address) and a lesson's "enrol first" redirect send every
    anonymous visitor the same way: from the cache after the first, until the redirect is
    removed. One forbidding caching (a private page's "sign in") is not stored; a signed-in
    learner gets the lesson."""
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.models import PageViewRestriction

    from courses.models import Enrolment, LessonPage

    story = make_story(title="Fibre-to-fibre pilot")
    redirect = Redirect.objects.create(old_path="/old-pilot", redirect_page=story)
    course = course_with_lessons(modules=1, lessons=1)
    lesson = LessonPage.objects.descendant_of(course).live().get()
    for url, status, location in (
        ("/old-pilot/", 301, story.url),
        (lesson.url, 302, course.url + "?enrol=required#enrol"),
    ):
        first = visitor().get(url)
        with CaptureQueriesContext(connection) as queries:
            second = visitor().get(url)
        assert (first.status_code, first[pagecache.HEADER]) == (status, "miss"), url
        assert (second.status_code, second[pagecache.HEADER]) == (status, "hit"), url
        assert second["Location"] == first["Location"] == location
        assert len(queries) == 0
    redirect.delete()
    assert visitor().get("/old-pilot/").status_code == 404
    learner = UserFactory()
    Enrolment.objects.create(user=learner, course=course)
    client = visitor()
    client.force_login(learner)
    response = client.get(lesson.url)
    assert response.status_code == 200 and pagecache.HEADER not in response

    PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.LOGIN)
    for _visit in range(2):
        response = visitor().get(story.url)
        assert response.status_code == 302 and pagecache.HEADER not in response
