"""Page views of every public page of every app, counted per day with the referring site and the
campaign, without cookies or personal data; buffered in Redis and flushed by a periodic task,
served as usual when Redis is down; share links that load nothing from the networks."""

import re
import uuid

import pytest
from django.urls import reverse

from cms.analytics import services
from cms.analytics.models import PageView, Visit
from cms.analytics.tasks import flush_view_counts
from tests.cms.factories import home_page, make_story
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/140.0"


def view(client, path, **headers):
    return client.get(path, HTTP_USER_AGENT=BROWSER, **headers)


def test_views_of_app_pages_and_cms_pages_are_counted(client):
    home = home_page()
    assert view(client, reverse("exchange:browse")).status_code == 200
    view(client, "/")
    view(client, "/")

    exchange = Visit.objects.get(path=reverse("exchange:browse"))
    assert exchange.views == 1 and exchange.page is None
    assert Visit.objects.get(path="/").page_id == home.pk
    assert PageView.objects.get(page=home).views == 2
    assert set(client.cookies) <= {"csrftoken"}  # the forms' own; nothing to recognise anyone
    assert {field.name for field in Visit._meta.get_fields()} == {
        "id",
        "day",
        "path",
        "page",
        "referrer",
        "source",
        "medium",
        "campaign",
        "views",
    }


def test_referring_domain_and_campaign_are_aggregated_per_day(client):
    home_page()
    for _ in range(2):
        view(
            client,
            "/?utm_source=LinkedIn&utm_medium=social&utm_campaign=share",
            HTTP_REFERER="https://www.linkedin.com/feed/update/123?trk=abc",
        )
    view(client, "/", HTTP_REFERER="http://testserver/partners/")  # from this site
    view(client, "/", HTTP_REFERER="not a url at all")

    shared = Visit.objects.get(source="linkedin")
    assert (shared.referrer, shared.medium, shared.campaign, shared.views) == (
        "linkedin.com",
        "social",
        "share",
        2,
    )
    direct = Visit.objects.get(source="")
    assert (direct.referrer, direct.views) == ("", 2)


def test_hostile_campaign_values_are_cut_to_a_plain_name(client):
    home_page()
    view(client, "/?utm_source=" + "x" * 5000 + "&utm_campaign=%3Cscript%3E%00spring%20fair")
    visit = Visit.objects.get()
    assert visit.source == "x" * 100
    assert visit.campaign == "scriptspring fair"


@pytest.mark.parametrize(
    "path", ["/admin/", "/accounts/login/", "/no-such-page/", "/sitemap.xml", "/robots.txt"]
)
def test_what_is_not_a_public_page_view_is_not_counted(client, path):
    home_page()
    view(client, path)
    assert not Visit.objects.exists()


def test_robots_posts_and_editors_are_not_counted(client):
    home_page()
    client.get("/", HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)")
    client.post(reverse("search"), HTTP_USER_AGENT=BROWSER)
    client.force_login(UserFactory(roles=["Regional editor"]))
    view(client, "/")
    assert not Visit.objects.exists()


@pytest.fixture
def redis_buffer(settings):
    settings.ANALYTICS_BUFFER = "redis"
    settings.ANALYTICS_REDIS_KEY = f"tvc:test:analytics:{uuid.uuid4().hex}"
    try:
        services.redis_client().ping()
    except services.redis.RedisError:
        pytest.skip("Redis is not running")
    yield settings.ANALYTICS_REDIS_KEY
    client = services.redis_client()
    for name in client.scan_iter(match=settings.ANALYTICS_REDIS_KEY + "*"):
        client.delete(name)


def test_with_redis_a_view_costs_no_database_write_until_the_flush(
    client, redis_buffer, django_assert_max_num_queries
):
    home = home_page()
    view(client, "/", HTTP_REFERER="https://news.example.org/")
    view(client, "/")
    assert not Visit.objects.exists() and not PageView.objects.exists()

    assert flush_view_counts() == 2
    assert PageView.objects.get(page=home).views == 2
    assert Visit.objects.get(referrer="news.example.org").views == 1
    assert flush_view_counts() == 0  # flushed once, added once
    view(client, "/")
    with django_assert_max_num_queries(6):
        assert flush_view_counts() == 1
    assert PageView.objects.get(page=home).views == 3


def test_a_failed_flush_keeps_the_counts_for_the_next_one(client, redis_buffer, monkeypatch):
    home = home_page()
    view(client, "/")
    real_add = services.views_add

    def broken(counts):
        raise services.DatabaseError("database away")

    monkeypatch.setattr(services, "views_add", broken)
    with pytest.raises(services.DatabaseError):
        flush_view_counts()
    view(client, "/")  # counted meanwhile
    monkeypatch.setattr(services, "views_add", real_add)
    assert flush_view_counts() == 2
    assert PageView.objects.get(page=home).views == 2


def test_views_of_a_page_deleted_before_the_flush_keep_their_address(client, redis_buffer):
    story = make_story(title="Short-lived story")
    view(client, story.url)
    story.delete()
    assert flush_view_counts() == 1
    assert Visit.objects.get(path=story.url).page is None


def test_redis_down_serves_the_page_and_skips_the_count(client, settings, caplog):
    home_page()
    settings.ANALYTICS_BUFFER = "redis"
    settings.REDIS_URL = "redis://127.0.0.1:8079/7"  # nothing listens there
    settings.REDIS_TIMEOUT = 0.2
    response = view(client, "/")
    assert response.status_code == 200
    assert not Visit.objects.exists()
    assert "Page view not counted" in caplog.text


def test_share_links_carry_campaign_parameters_and_load_no_script(client):
    story = make_story(title="Sorting denim in Łódź")
    html = view(client, story.url).content.decode()

    share = html[html.index('class="share-links') :]
    share = share[: share.index("</nav>")]
    links = re.findall(r'href="([^"]+)"', share)
    assert any(
        link.startswith("https://www.linkedin.com/sharing/share-offsite/?url=") for link in links
    )
    assert any(link.startswith("mailto:?subject=Sorting%20denim") for link in links)
    assert "utm_source%3Dlinkedin%26utm_medium%3Dsocial%26utm_campaign%3Dshare" in share
    assert "http%3A%2F%2Ftestserver%2F" in share  # the address on SITE_URL
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert all(src.startswith("/") for src in scripts)  # nothing from a network
    assert "<iframe" not in html


def test_share_links_are_made_once_and_follow_the_site_address_and_language(settings):
    """The share links of a page are made once per address and title in each process (every
    page shows them): asked again, the same; on another SITE_URL, its address; the e-mail's
    label in the language of the page that shows it."""
    from django.utils import translation
    from django.utils.functional import Promise

    from cms.analytics.templatetags.share_tags import share_targets

    first = share_targets("/stories/denim/", "Denim")
    assert share_targets("/stories/denim/", "Denim") is first
    settings.SITE_URL = "https://centre.example.org"
    moved = share_targets("/stories/denim/", "Denim")
    assert "centre.example.org" in moved[0][1] and "centre.example.org" not in first[0][1]
    label = moved[-1][0]
    assert isinstance(label, Promise)  # translated when shown, not when made
    with translation.override("it"):
        assert str(label) == translation.gettext("E-mail")
