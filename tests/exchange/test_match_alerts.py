"""Match alerts: members hear of new matches for their organisations' listings, instantly or
in a digest, never twice for the same pair, with a one-click unsubscribe."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from cms.notifications.models import Frequency as AlertFrequency
from cms.notifications.selectors import preference_frequency
from exchange import services
from exchange.models import MATCHES_TOPIC, MatchAlert, MatchAlertDelivery
from exchange.tasks import listing_changed, send_match_digests
from tests.exchange.test_matching import offered_by, wanted_by

pytestmark = pytest.mark.django_db


def alert_for(membership, frequency):
    services.match_alerts_set(user=membership.user, frequency=frequency)
    return MatchAlert.objects.get(user=membership.user)


def frequency_of(user):
    return preference_frequency(topic=MATCHES_TOPIC, user=user)


def test_instant_alert_tells_the_other_side_once_with_an_unsubscribe_link(
    client, producer, recycler, django_capture_on_commit_callbacks
):
    alert = alert_for(recycler, AlertFrequency.INSTANT)
    wanted_by(recycler, composition={"polyester": 80, "unknown": 20}, quantity=Decimal("2000"))
    offer = offered_by(producer, composition={"polyester": 92, "elastane": 8})
    mail.outbox.clear()

    # The job's e-mail leaves when the job's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        listing_changed(offer.pk)
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [recycler.user.email]
    assert offer.title in message.body and "Widzew Knitwear" in message.body
    assert "covers" in message.body  # the explanation of the match
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The offer changes and its matches are recomputed: the same pair is not announced again.
    with django_capture_on_commit_callbacks(execute=True):
        listing_changed(offer.pk)
    assert len(mail.outbox) == 1
    assert MatchAlertDelivery.objects.filter(alert=alert).count() == 1

    # One click (a POST without a CSRF token, as mail clients send it) stops the alerts.
    url = re.search(r"https?://\S+/notifications/unsubscribe/\S+/", message.body).group(0)
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    path = url.split("testserver", 1)[1]
    assert client.get(path).status_code == 200
    assert frequency_of(recycler.user) == AlertFrequency.INSTANT  # a GET changes nothing
    assert client.post(path).status_code == 200
    assert frequency_of(recycler.user) == AlertFrequency.OFF


def test_members_without_alerts_or_of_unrelated_organisations_get_nothing(
    producer, recycler, django_capture_on_commit_callbacks
):
    from tests.exchange.factories import MembershipFactory, VerifiedOrganisationFactory

    bystander = MembershipFactory(organisation=VerifiedOrganisationFactory())
    alert_for(bystander, AlertFrequency.INSTANT)
    alert_for(producer, AlertFrequency.OFF)
    wanted_by(recycler)
    offer = offered_by(producer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        listing_changed(offer.pk)
    assert mail.outbox == []


def test_daily_digest_gathers_new_matches_without_repeats(
    producer, recycler, django_capture_on_commit_callbacks
):
    alert_for(producer, AlertFrequency.DAILY)
    offered_by(producer)
    wanted = wanted_by(recycler)
    listing_changed(wanted.pk)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert send_match_digests(AlertFrequency.DAILY) == 1
    assert mail.outbox[0].to == [producer.user.email]
    assert wanted.title in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert send_match_digests(AlertFrequency.DAILY) == 0
        assert send_match_digests(AlertFrequency.WEEKLY) == 0
    assert len(mail.outbox) == 1


def test_members_choose_the_frequency_on_the_matches_page(client, producer):
    client.force_login(producer.user)
    response = client.post(reverse("exchange:match_alert_settings"), {"frequency": "weekly"})
    assert response.status_code == 302
    assert frequency_of(producer.user) == AlertFrequency.WEEKLY
    assert 'value="weekly" selected' in client.get(reverse("exchange:matches")).content.decode()
    client.post(reverse("exchange:match_alert_settings"), {"frequency": "hourly"})
    assert frequency_of(producer.user) == AlertFrequency.WEEKLY


@pytest.mark.usefixtures("kept_pages")
def test_the_kept_alert_settings_follow_a_change_at_once_and_are_each_members_own(client, producer):
    """The alert settings on the matches page are kept for each member (matches.html): a
    change shows at once, and a colleague of the same organisation sees their own."""
    from tests.exchange.factories import MembershipFactory

    colleague = MembershipFactory(organisation=producer.organisation)
    client.force_login(producer.user)
    matches = reverse("exchange:matches")
    client.get(matches)
    client.post(reverse("exchange:match_alert_settings"), {"frequency": "weekly"})
    assert 'value="weekly" selected' in client.get(matches).text
    client.force_login(colleague.user)
    assert 'value="weekly" selected' not in client.get(matches).text
    client.post(reverse("exchange:match_alert_settings"), {"frequency": "daily"})
    assert 'value="daily" selected' in client.get(matches).text
    client.force_login(producer.user)
    assert 'value="weekly" selected' in client.get(matches).text


def test_match_alert_settings_need_a_signed_in_member(client):
    response = client.post(reverse("exchange:match_alert_settings"), {"frequency": "daily"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not MatchAlert.objects.exists()


def test_unsubscribe_links_of_alerts_sent_earlier_still_work(client, producer):
    alert = alert_for(producer, AlertFrequency.DAILY)
    url = reverse("exchange:legacy_match_alert_unsubscribe", args=[alert.token])
    assert client.get(url).status_code == 200
    assert frequency_of(producer.user) == AlertFrequency.DAILY
    assert client.post(url).status_code == 200
    assert frequency_of(producer.user) == AlertFrequency.OFF
    unknown = reverse(
        "exchange:legacy_match_alert_unsubscribe", args=["00000000-0000-4000-8000-000000000000"]
    )
    response = client.post(unknown)
    assert response.status_code == 404 and "This link no longer works" in response.content.decode()


def test_alerts_respect_the_members_threshold_and_the_buyers_limits(
    client, producer, recycler, django_capture_on_commit_callbacks
):
    alert_for(recycler, AlertFrequency.INSTANT)
    client.force_login(recycler.user)
    client.post(
        reverse("exchange:match_alert_settings"), {"frequency": "instant", "min_percent": "90"}
    )
    assert MatchAlert.objects.get(user=recycler.user).min_percent == 90
    # 100% aramid wanted at 90% or more: a cotton-elastane offer breaks it (never alerted,
    # whatever its score would have been); a fitting offer far away scores below 90%.
    wanted_by(recycler, limits={"aramid": (90, None)}, quantity=Decimal("800"))
    cotton = offered_by(producer, composition={"cotton": 95, "elastane": 5})
    aramid = offered_by(producer, composition={"aramid": 100}, quantity=Decimal("400"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        listing_changed(cotton.pk)
        listing_changed(aramid.pk)
    assert mail.outbox == []
    client.post(
        reverse("exchange:match_alert_settings"), {"frequency": "instant", "min_percent": "60"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        listing_changed(aramid.pk)
    assert len(mail.outbox) == 1 and aramid.title in mail.outbox[0].body
    assert cotton.title not in mail.outbox[0].body
    # A threshold that is not offered is refused.
    client.post(
        reverse("exchange:match_alert_settings"), {"frequency": "instant", "min_percent": "5"}
    )
    assert MatchAlert.objects.get(user=recycler.user).min_percent == 60
