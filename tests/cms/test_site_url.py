"""Every absolute link (feeds, sitemap, robots.txt, e-mails) is on SITE_URL, whatever host a
request arrived on, and the Wagtail Site record follows SITE_URL (cms/links.py)."""

import io
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import Site

from cms.links import absolute_url, default_site_sync_quietly
from courses import pdf, services
from tests.cms.factories import make_newsletter_issue, make_story, story_index
from tests.courses.factories import course_with_lessons, lessons_of
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLIC = "https://centre.example.org"
# A development address in a link, or a Wagtail Site left at the migration's "localhost".
DEVELOPMENT_ADDRESS = re.compile(r"localhost|127\.0\.0\.1")
# The request arrives on a development address: nothing may copy it into an absolute link.
DEV_HOST = {"HTTP_HOST": "127.0.0.1:8000"}


@pytest.fixture
def public_site_url(settings):
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = PUBLIC
    call_command("site_url_sync", stdout=io.StringIO())
    return PUBLIC


def assert_only_public_links(text):
    assert not DEVELOPMENT_ADDRESS.search(text), DEVELOPMENT_ADDRESS.search(text)
    assert PUBLIC + "/" in text


def test_migrate_gives_the_default_site_the_address_of_site_url():
    # The test database was migrated with the test settings' SITE_URL (http://testserver).
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("testserver", 80)


def test_command_moves_the_default_site_to_site_url(settings, capsys):
    settings.SITE_URL = "https://centre.example.org/"
    call_command("site_url_sync")
    assert Site.objects.get(is_default_site=True).root_url == "https://centre.example.org"
    assert "now at centre.example.org:443" in capsys.readouterr().out

    call_command("site_url_sync")
    assert "already at" in capsys.readouterr().out

    settings.SITE_URL = "http://centre.example.org:8080"
    call_command("site_url_sync")
    assert Site.objects.get(is_default_site=True).root_url == "http://centre.example.org:8080"


def test_an_address_wagtail_cannot_express_is_refused_not_half_applied(settings):
    settings.SITE_URL = "https://centre.example.org:8443"
    with pytest.raises(CommandError, match="443"):
        call_command("site_url_sync")
    settings.SITE_URL = "centre.example.org"
    with pytest.raises(CommandError, match="http or https"):
        call_command("site_url_sync")
    default_site_sync_quietly()  # at start or after migrate: logged, never raised
    assert Site.objects.get(is_default_site=True).hostname == "testserver"


def test_absolute_url_keeps_absolute_addresses(public_site_url):
    assert absolute_url("/exchange/") == PUBLIC + "/exchange/"
    assert absolute_url("exchange/") == PUBLIC + "/exchange/"
    assert absolute_url("https://s3.example.org/a.png") == "https://s3.example.org/a.png"


@pytest.mark.parametrize(
    "name,args",
    [
        ("feeds:all_rss", []),
        ("feeds:all_atom", []),
        ("feeds:section_rss", ["stories"]),
        ("feeds:region_atom", ["region"]),
    ],
)
def test_feeds_link_only_to_site_url(client, public_site_url, name, args):
    region = RegionFactory(slug="region")
    make_story(title="Denim to yarn", region=region)
    assert story_index().slug == "stories"

    response = client.get(reverse(name, args=args), **DEV_HOST)

    assert response.status_code == 200
    text = response.content.decode()
    assert PUBLIC + "/resources/stories/" in text or "/stories/" in text
    assert_only_public_links(text)


def test_sitemap_and_robots_link_only_to_site_url(client, public_site_url):
    story = make_story(title="Denim to yarn")

    sitemap = client.get("/sitemap.xml", **DEV_HOST).content.decode()
    robots = client.get("/robots.txt", **DEV_HOST).content.decode()

    assert f"<loc>{PUBLIC}{story.url}</loc>" in sitemap
    assert_only_public_links(sitemap)
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in robots
    assert_only_public_links(robots)


def test_page_head_links_only_to_site_url(client, public_site_url):
    story = make_story(title="Denim to yarn")
    html = client.get(story.url, **DEV_HOST).content.decode()
    assert f'<link rel="canonical" href="{PUBLIC}{story.url}"' in html
    assert not DEVELOPMENT_ADDRESS.search(html)


def all_mail_text():
    parts = []
    for message in mail.outbox:
        parts += [message.subject, message.body, str(message.extra_headers)]
        parts += [content for content, _type in getattr(message, "alternatives", [])]
    return "\n".join(parts)


def test_emails_link_only_to_site_url(client, public_site_url, django_capture_on_commit_callbacks):
    region = RegionFactory()
    user = UserFactory(email="member@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        # allauth: sign-up verification, password reset, reset for an unknown address
        client.post(
            "/accounts/signup/",
            {
                "email": "new@example.org",
                "display_name": "Nina New",
                "password1": "recycled-fibre-2026",
                "password2": "recycled-fibre-2026",
            },
            **DEV_HOST,
        )
        client.post("/accounts/password/reset/", {"email": user.email}, **DEV_HOST)
        client.post("/accounts/password/reset/", {"email": "nobody@example.org"}, **DEV_HOST)
        # newsletters: the double opt-in, then an issue with a link to a page of the site
        client.post(
            reverse("newsletters:subscribe"),
            {"email": "reader@example.org", "regions": [region.slug]},
            **DEV_HOST,
        )
    confirm = re.search(rf"{PUBLIC}(/newsletters/confirm/\S+/)", all_mail_text()).group(1)
    client.post(confirm, **DEV_HOST)
    issue = make_newsletter_issue(
        region=region, publish=False, body_html='<p>See <a href="/events/">our events</a>.</p>'
    )
    with django_capture_on_commit_callbacks(execute=True):
        issue.save_revision().publish()

    assert len(mail.outbox) >= 5, [m.subject for m in mail.outbox]
    text = all_mail_text()
    assert f"{PUBLIC}/accounts/confirm-email/" in text
    assert f"{PUBLIC}/accounts/password/reset/key/" in text
    assert_only_public_links(text)


def test_call_to_action_takes_a_path_on_this_site_or_a_web_address():
    from wagtail.blocks import StructBlockValidationError

    from cms.blocks import CallToActionBlock

    block = CallToActionBlock()
    base = {"title": "Have similar waste?", "link_text": "Go", "page": None}
    assert block.clean({**base, "url": "/exchange/"})["url"] == "/exchange/"
    assert block.clean({**base, "url": "https://example.org/x"})["url"] == "https://example.org/x"
    for bad in ("//evil.example.org/", "javascript:alert(1)", "exchange"):
        with pytest.raises(StructBlockValidationError):
            block.clean({**base, "url": bad})


def test_certificates_and_their_qr_codes_point_to_site_url(settings, public_site_url):
    learner = UserFactory()
    course = course_with_lessons(modules=1, lessons=1)
    services.course_enrol(user=learner, course=course)
    certificate = services.lesson_complete(user=learner, lesson=lessons_of(course)[0])

    html = pdf.render_certificate_html(certificate)

    verify_url = f"{PUBLIC}/certificates/verify/{certificate.code}/"
    assert certificate.get_verify_url() == verify_url
    assert verify_url in html
    # The QR code is the PNG of exactly that address (segno draws the same image for it).
    assert pdf.qr_data_url(verify_url) in html
    assert not DEVELOPMENT_ADDRESS.search(html)
