import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from cms.analytics.models import LinkClick
from cms.newsletters import services
from cms.newsletters.models import NEWSLETTER_TOPIC, Delivery, IssueSend, Subscription
from cms.notifications.services import preference_set
from tests.cms.factories import make_newsletter_issue
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def link_in(body, name):
    return re.search(rf"http://testserver(/newsletters/{name}/[^/\s]+/)", body).group(1)


def subscribe(client, email, *regions):
    return client.post(
        reverse("newsletters:subscribe"),
        {"email": email, "regions": [region.slug for region in regions]},
    )


def confirmed_subscription(email, region, *, frequency="instant"):
    """A subscription confirmed by the double opt-in; ``frequency="off"``: unsubscribed since."""
    preference_set(topic=NEWSLETTER_TOPIC, frequency=frequency, email=email, target=region)
    return Subscription.objects.create(email=email, region=region, confirmed_at="2026-01-01T00:00Z")


def receiving(subscription):
    return Subscription.objects.confirmed().filter(pk=subscription.pk).exists()


@pytest.fixture
def confirmed(region):
    return confirmed_subscription("reader@example.org", region)


@pytest.fixture
def region():
    return RegionFactory(name="Prato")


def test_double_opt_in(client, django_capture_on_commit_callbacks):
    lodz, prato = RegionFactory(name="Łódzkie"), RegionFactory(name="Prato")

    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, "Reader@Example.org", lodz, prato)

    assert response.status_code == 302
    assert Subscription.objects.confirmed().count() == 0  # nothing before the click
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    assert "Łódzkie" in message.body and "Prato" in message.body
    confirm_path = link_in(message.body, "confirm")

    page = client.get(confirm_path)  # a link scanner's GET confirms nothing
    assert page.status_code == 200
    assert Subscription.objects.confirmed().count() == 0

    client.post(confirm_path)
    assert set(Subscription.objects.confirmed().values_list("region__name", flat=True)) == {
        "Łódzkie",
        "Prato",
    }


def test_subscribe_form_validates(client):
    response = subscribe(client, "not-an-address")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in html
    assert "Choose at least one region" in html
    assert Subscription.objects.count() == 0
    assert mail.outbox == []


def test_forged_or_tampered_confirmation_is_refused(client, region):
    assert client.post(reverse("newsletters:confirm", args=["forged:token"])).status_code == 404
    Subscription.objects.create(email="victim@example.org", region=region)
    assert Subscription.objects.confirmed().count() == 0


def test_publishing_sends_once_to_confirmed_subscribers(
    confirmed, region, django_capture_on_commit_callbacks
):
    Subscription.objects.create(email="pending@example.org", region=region)  # not confirmed
    confirmed_subscription("left@example.org", region, frequency="off")
    confirmed_subscription("other@example.org", RegionFactory())
    issue = make_newsletter_issue(
        region=region, publish=False, body_html='<p>See <a href="/events/">our events</a>.</p>'
    )

    with django_capture_on_commit_callbacks(execute=True):
        issue.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        issue.save_revision().publish()  # re-publishing does not resend

    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    message = mail.outbox[0]
    assert message.subject == issue.title
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    assert "News from the textile recyclers" in message.body
    unsubscribe_url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/notifications/unsubscribe/" in unsubscribe_url
    assert unsubscribe_url in html and unsubscribe_url in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert 'href="http://testserver/events/"' not in html  # links go through the counter
    assert IssueSend.objects.get().recipient_count == 1
    assert Delivery.objects.filter(sent_at__isnull=False).count() == 1


def test_a_second_send_attempt_does_nothing(confirmed, region):
    issue = make_newsletter_issue(region=region, publish=False)
    issue.save_revision().publish()  # on_commit callbacks are not run: no send yet
    assert services.issue_send_start(issue_id=issue.pk) is not None
    assert services.issue_send_start(issue_id=issue.pk) is None
    assert IssueSend.objects.count() == 1


def test_sends_in_batches(region, monkeypatch, settings, django_capture_on_commit_callbacks):
    settings.NEWSLETTER_BATCH_SIZE = 2
    for n in range(5):
        confirmed_subscription(f"r{n}@example.org", region)
    batches = []
    deliver = services.newsletter_deliver
    monkeypatch.setattr(
        services, "newsletter_deliver", lambda **kw: batches.append(kw) or deliver(**kw)
    )
    issue = make_newsletter_issue(region=region, publish=False)

    with django_capture_on_commit_callbacks(execute=True):
        issue.save_revision().publish()

    assert [len(batch["delivery_ids"]) for batch in batches] == [2, 2, 1]
    assert sorted(m.to[0] for m in mail.outbox) == [f"r{n}@example.org" for n in range(5)]


def test_one_click_unsubscribe_and_tracked_click(
    client, confirmed, region, django_capture_on_commit_callbacks
):
    issue = make_newsletter_issue(
        region=region,
        publish=False,
        body_html='<p><a href="https://eur-lex.europa.eu/">EUR-Lex</a></p>',
    )
    with django_capture_on_commit_callbacks(execute=True):
        issue.save_revision().publish()
    message = mail.outbox[0]
    html = message.alternatives[0][0]

    tracked = re.search(r'href="http://testserver(/r/[^"]+)"[^>]*>EUR-Lex', html).group(1)
    response = client.get(tracked, HTTP_USER_AGENT="Mozilla/5.0 Firefox/140")
    assert response.status_code == 302
    assert response["Location"] == "https://eur-lex.europa.eu/"
    assert LinkClick.objects.get(issue=issue).clicks == 1
    assert client.get(tracked[:-6] + "xxxxx/").status_code == 404  # not an open redirect

    unsubscribe_path = (
        message.extra_headers["List-Unsubscribe"].strip("<>").replace("http://testserver", "")
    )
    client.get(unsubscribe_path)
    assert receiving(confirmed)  # GET only asks
    csrf_client = client.__class__(enforce_csrf_checks=True)
    assert csrf_client.post(unsubscribe_path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not receiving(confirmed)
    assert client.post(unsubscribe_path[:-3] + "xx/").status_code == 404


def test_home_page_panel_leads_to_the_signup_form(client, region):
    html = client.get("/").content.decode()
    assert f'action="{reverse("newsletters:subscribe")}"' in html
    assert 'id="home-newsletter-email"' in html

    form = client.get(reverse("newsletters:subscribe"), {"email": "a@example.org"}).content.decode()
    assert 'value="a@example.org"' in form
    assert region.name in form
    assert Subscription.objects.count() == 0  # nothing happens before the form is sent


def test_one_confirmation_email_per_address_every_ten_minutes(
    client, django_capture_on_commit_callbacks
):
    lodz, prato = RegionFactory(), RegionFactory()
    # The clock stands still, so both requests fall in one ten-minute window whatever the time.
    with time_machine.travel("2026-03-02 10:00:05Z", tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            subscribe(client, "someone@example.org", lodz)
            response = subscribe(client, "someone@example.org", prato)

    assert response.status_code == 302  # the same answer as the first time
    assert len(mail.outbox) == 1
    assert Subscription.objects.filter(email="someone@example.org").count() == 2


def test_administrators_list_and_search_subscribers_editors_cannot(client, confirmed):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, roles=["Administrator"]))
    listing = client.get(reverse("newsletter_subscriptions:index"), {"q": "reader"})
    assert listing.status_code == 200
    assert "reader@example.org" in listing.content.decode()

    client.force_login(UserFactory(roles=["Regional editor"]))
    refused = client.get(reverse("newsletter_subscriptions:index"))
    assert refused.status_code in (302, 403)
    assert b"reader@example.org" not in refused.content


def test_unsubscribe_links_of_issues_sent_earlier_still_work(client, confirmed):
    """The old newsletter unsubscribe link (its own signed scheme) in an issue already sent."""
    from django.core import signing

    old = signing.Signer(salt="newsletters.unsubscribe").sign(str(confirmed.pk))
    url = reverse("newsletters:legacy_unsubscribe", args=[old])
    page = client.get(url)
    assert page.status_code == 200 and "Prato" in page.content.decode()
    assert receiving(confirmed)
    csrf_client = client.__class__(enforce_csrf_checks=True)
    assert csrf_client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not receiving(confirmed)
    gone = reverse("newsletters:legacy_unsubscribe", args=[old[:-2] + "xx"])
    assert "This link no longer works" in client.get(gone).content.decode()


def test_confirming_again_after_unsubscribing_resubscribes(client, region):
    subscription = confirmed_subscription("back@example.org", region, frequency="off")
    assert not receiving(subscription)
    services.subscription_confirm(
        token=services.confirm_token(email="back@example.org", region_ids=[region.pk])
    )
    assert receiving(subscription)


def test_an_issue_and_its_translations_are_sent_once_each_reader_in_their_language(
    region, django_capture_on_commit_callbacks
):
    from wagtail.models import Locale

    confirmed_subscription("reader@example.org", region)
    polish_reader = confirmed_subscription("czytelnik@example.org", region)
    polish_reader.language = "pl"
    polish_reader.save()
    issue = make_newsletter_issue(region=region, title="Prato recycles", publish=False)
    polish = issue.copy_for_translation(Locale.objects.get(language_code="pl"), copy_parents=True)
    polish.title = "Prato przetwarza"
    polish.save_revision().publish()  # the first version published starts the one send
    with django_capture_on_commit_callbacks(execute=True):
        issue.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        polish.save_revision().publish()

    assert IssueSend.objects.count() == 1
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        "reader@example.org": "Prato recycles",
        "czytelnik@example.org": "Prato przetwarza",
    }
