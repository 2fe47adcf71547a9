"""The one preference model, token and one-click unsubscribe page (cms/notifications)."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from cms.notifications.links import (
    read_unsubscribe_token,
    unsubscribe_headers,
    unsubscribe_token,
    unsubscribe_url,
)
from cms.notifications.models import Frequency, NotificationPreference
from cms.notifications.selectors import preference_frequencies, preference_frequency
from cms.notifications.services import preference_set
from cms.notifications.topics import all_topics
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_app_declares_its_topics():
    assert {
        "newsletters.region",
        "forum.posts",
        "forum.topic",
        "forum.group",
        "exchange.saved_search",
        "exchange.matches",
    } <= set(all_topics())


def test_defaults_then_stored_choices_per_user_address_and_target(user):
    region, other = RegionFactory(), RegionFactory()
    assert preference_frequency(topic="forum.posts", user=user) == Frequency.INSTANT  # default
    assert preference_frequency(topic="exchange.matches", user=user) == Frequency.OFF
    preference_set(topic="forum.posts", frequency=Frequency.DAILY, user=user)
    preference_set(topic="forum.posts", frequency=Frequency.OFF, user=user)  # an update
    assert preference_frequency(topic="forum.posts", user=user) == Frequency.OFF
    assert NotificationPreference.objects.filter(user=user).count() == 1

    preference_set(
        topic="newsletters.region",
        frequency=Frequency.INSTANT,
        email="A@Example.org",
        target=region,
    )
    assert (
        preference_frequency(topic="newsletters.region", email="a@example.org", target=region)
        == Frequency.INSTANT
    )
    assert (
        preference_frequency(topic="newsletters.region", email="a@example.org", target=other)
        == Frequency.OFF
    )


def test_bulk_frequencies_in_one_query(django_assert_num_queries):
    users = UserFactory.create_batch(3)
    preference_set(topic="forum.posts", frequency=Frequency.DAILY, user=users[0])
    with django_assert_num_queries(1):
        frequencies = preference_frequencies(topic="forum.posts", user_ids=[u.pk for u in users])
    assert frequencies == {
        users[0].pk: Frequency.DAILY,
        users[1].pk: Frequency.INSTANT,
        users[2].pk: Frequency.INSTANT,
    }


def test_a_topic_refuses_frequencies_it_does_not_offer(user):
    with pytest.raises(ValueError):
        preference_set(topic="newsletters.region", frequency=Frequency.WEEKLY, email="a@b.org")
    with pytest.raises(KeyError):
        preference_set(topic="no.such.topic", frequency=Frequency.OFF, user=user)


def test_headers_are_rfc_8058_and_the_token_names_topic_recipient_and_target(user):
    region = RegionFactory()
    headers = unsubscribe_headers(topic="newsletters.region", email="x@example.org", target=region)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("http://testserver/notifications/unsubscribe/")
    token = url.rstrip("/").rsplit("/", 1)[1]
    wanted = read_unsubscribe_token(token)
    assert (wanted.topic, wanted.email, wanted.target) == (
        "newsletters.region",
        "x@example.org",
        region,
    )
    # The same subscription always gets the same link; in Polish, the Polish page.
    assert unsubscribe_url(topic="forum.posts", user=user) == unsubscribe_url(
        topic="forum.posts", user=user
    )
    assert "/pl/notifications/" in unsubscribe_url(topic="forum.posts", user=user, language="pl")


def test_get_asks_post_unsubscribes_without_cookies_or_csrf(user):
    path = reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(topic="forum.posts", user=user)]
    )
    client = Client(enforce_csrf_checks=True)
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert user.email in html and "new posts in the working groups" in html
    assert preference_frequency(topic="forum.posts", user=user) == Frequency.INSTANT
    done = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "will no longer receive" in done.content.decode()
    assert preference_frequency(topic="forum.posts", user=user) == Frequency.OFF
    assert client.post(path).status_code == 200  # twice is fine


@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_or_stale_links_get_a_clear_page_and_change_nothing(method, user):
    forged = signing.Signer(salt="another.salt").sign_object({"t": "forum.posts", "u": user.pk})
    region = RegionFactory()
    stale = unsubscribe_token(topic="newsletters.region", email="x@example.org", target=region)
    region.delete()
    gone_user = UserFactory()
    closed = unsubscribe_token(topic="forum.posts", user=gone_user)
    gone_user.delete()
    for token in (forged, stale, closed, "not-a-token"):
        response = getattr(Client(), method)(reverse("notifications:unsubscribe", args=[token]))
        assert response.status_code == 404
        assert "This link no longer works" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_unsubscribe_page_is_translated(user):
    token = unsubscribe_token(topic="forum.posts", user=user)
    html = Client().get(f"/pl/notifications/unsubscribe/{token}/").content.decode()
    assert "Przestać wysyłać" in html and "grupach roboczych" in html
