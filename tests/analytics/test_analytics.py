import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.analytics.models import LinkClick, PageView
from cms.analytics.services import page_view_record
from cms.newsletters import services
from cms.newsletters.models import Delivery, IssueSend, Subscription
from tests.cms.factories import home_page, make_newsletter_issue, make_story, story_index
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/140.0"


def test_page_views_are_counted_per_day_without_personal_data(client):
    home = home_page()
    client.get("/", HTTP_USER_AGENT=BROWSER)
    client.get("/", HTTP_USER_AGENT=BROWSER)
    client.get("/", HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)")

    view = PageView.objects.get(page=home)
    assert (view.day, view.views) == (timezone.localdate(), 2)
    assert {f.name for f in PageView._meta.get_fields()} == {"id", "page", "day", "views"}
    assert "sessionid" not in client.cookies


def test_editors_views_are_not_counted(client):
    client.force_login(UserFactory(roles=["Regional editor"]))
    client.get("/", HTTP_USER_AGENT=BROWSER)
    assert not PageView.objects.exists()


def test_counter_is_an_upsert():
    home = home_page()
    day = datetime.date(2026, 3, 1)
    for _ in range(3):
        page_view_record(page_id=home.pk, day=day)
    assert PageView.objects.get(page=home, day=day).views == 3


@pytest.fixture
def editor(db):
    return UserFactory(roles=["Regional editor"])


def report(client, **params):
    return client.get(reverse("analytics_report"), params)


def test_report_shows_views_top_pages_and_click_rates(client, editor):
    lodz, prato = RegionFactory(name="Łódzkie"), RegionFactory(name="Prato")
    story = make_story(title="Łódź sorting pilot", region=lodz)
    other = make_story(title="Prato wool", region=prato)
    today = timezone.localdate()
    PageView.objects.create(page=story, day=today, views=7)
    PageView.objects.create(page=story, day=today - datetime.timedelta(days=3), views=5)
    PageView.objects.create(page=other, day=today, views=4)
    issue = make_newsletter_issue(region=lodz, title="Łódź newsletter March", publish=False)
    send = IssueSend.objects.create(issue=issue, recipient_count=4)
    for n in range(4):
        subscription = Subscription.objects.create(email=f"r{n}@example.org", region=lodz)
        Delivery.objects.create(send=send, subscription=subscription, sent_at=timezone.now())
    LinkClick.objects.create(issue=issue, url="https://example.org/", day=today, clicks=3)
    client.force_login(editor)

    html = report(client, region=lodz.pk).content.decode()

    assert "12 views from" in html
    assert "Łódź sorting pilot" in html and "Prato wool" not in html
    assert "<svg" in html and "<rect" in html
    assert "Łódź newsletter March" in html
    assert "<td>75.0</td>" in html  # 3 clicks for 4 deliveries
    services.subscription_confirm(
        token=services.confirm_token(email="r0@example.org", region_ids=[lodz.pk])
    )
    html = report(client, region=lodz.pk).content.decode()
    assert "<td>Łódzkie</td><td>1</td>" in html  # confirmed subscribers of the region

    by_section = report(client, section=story_index().pk).content.decode()
    assert "16 views from" in by_section


def test_report_csv_export(client, editor):
    story = make_story(title="Denim pilot")
    PageView.objects.create(page=story, day=timezone.localdate(), views=9)
    client.force_login(editor)

    response = report(client, format="csv", days=90)

    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert f"views_per_day,{timezone.localdate().isoformat()},,9" in body
    assert f"top_pages,{story.pk},Denim pilot,9" in body
    assert body.count("views_per_day") == 90


def test_report_is_refused_to_trainees_and_anonymous(client):
    assert report(client).status_code == 302  # to the admin sign-in
    client.force_login(UserFactory(roles=["Trainee"]))
    response = report(client)
    assert response.status_code in (302, 403)
    assert b"Top pages" not in response.content


def test_report_is_refused_to_admin_users_without_the_permission(client):
    from django.contrib.auth.models import Permission

    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = report(client)
    # Wagtail turns PermissionDenied in the admin into a redirect to the dashboard with a message.
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))


@pytest.mark.parametrize("count", [2, 8])
def test_report_query_count_does_not_grow(client, editor, django_assert_max_num_queries, count):
    region = RegionFactory()
    for n in range(count):
        story = make_story(region=region)
        PageView.objects.create(page=story, day=timezone.localdate(), views=n + 1)
        issue = make_newsletter_issue(region=region, publish=False)
        IssueSend.objects.create(issue=issue)
    client.force_login(editor)
    with django_assert_max_num_queries(30):
        assert report(client, region=region.pk).status_code == 200


def test_menu_item_under_reports(client, editor):
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("analytics_report") in html
