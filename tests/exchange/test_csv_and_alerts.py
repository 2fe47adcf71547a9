import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cms.hooks import collect_impact_figures, collect_organisation_links
from cms.notifications.selectors import preference_frequency
from exchange.models import SAVED_SEARCH_TOPIC, AlertDelivery, ListingState, SavedSearch
from exchange.services import listing_publish, saved_search_create
from exchange.tasks import send_search_digests
from tests.exchange.factories import ListingFactory

pytestmark = pytest.mark.django_db


def test_saved_search_instant_alert_once_with_unsubscribe(
    client, producer, user, django_capture_on_commit_callbacks
):
    client.force_login(user)
    client.post(
        reverse("exchange:saved_searches"),
        {"name": "Wool offers", "frequency": "instant", "query": "kind=offer&fibre=wool"},
    )
    saved = SavedSearch.objects.get()
    cotton = ListingFactory(
        organisation=producer.organisation, state=ListingState.DRAFT, composition={"cotton": 100}
    )
    wool = ListingFactory(
        organisation=producer.organisation,
        state=ListingState.DRAFT,
        composition={"wool": 100},
        title="Wool selvedges",
    )
    # Each publication commits: the alert job runs after it, and its e-mail after the job's.
    with django_capture_on_commit_callbacks(execute=True):
        listing_publish(listing=cotton, user=producer.user)
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        listing_publish(listing=wool, user=producer.user)
    assert len(mail.outbox) == 1 and "Wool selvedges" in mail.outbox[0].body
    unsubscribe = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in mail.outbox[0].body
    unsubscribe = unsubscribe.replace("http://testserver", "")
    # no repeats
    with django_capture_on_commit_callbacks(execute=True):
        send_search_digests("instant")
    assert AlertDelivery.objects.count() == 1 and len(mail.outbox) == 1
    client.logout()
    assert "Wool offers" in client.get(unsubscribe).content.decode()
    client.post(unsubscribe)
    assert alert_frequency(saved) == "off"
    # The link of alerts sent before cms.notifications leads to the same one-click page.
    legacy = reverse("exchange:legacy_saved_search_unsubscribe", args=[saved.token])
    assert "Wool offers" in client.get(legacy).content.decode()
    saved.delete()
    assert client.get(legacy).status_code == 404  # a clear page: the search is gone


def test_daily_digest_collects_new_listings_without_repeats(
    producer, user, django_capture_on_commit_callbacks
):
    saved_search_create(user=user, name="Anything", query="", frequency="daily")
    ListingFactory(
        organisation=producer.organisation, title="Fresh cuttings", published_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_search_digests("daily") == 1
    assert "Fresh cuttings" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert send_search_digests("daily") == 0
    assert len(mail.outbox) == 1


def test_hooks_show_listings_and_impact(rf, producer):
    ListingFactory(organisation=producer.organisation, title="Public cuttings")
    ListingFactory(
        organisation=producer.organisation, title="Secret draft", state=ListingState.DRAFT
    )
    request = rf.get("/")
    groups = collect_organisation_links(producer.organisation, request)
    titles = [item.title for group in groups for item in group.items]
    assert "Public cuttings" in titles and "Secret draft" not in titles
    figures = collect_impact_figures()
    assert any(figure.unit == "t" for figure in figures)


def test_home_panel_and_user_menu(client, producer):
    ListingFactory(organisation=producer.organisation, title="Fresh denim cuttings")
    client.force_login(producer.user)
    home = client.get("/").content.decode()
    assert "Fresh denim cuttings" in home
    assert reverse("exchange:my_listings") in home  # user menu item


def alert_frequency(saved):
    return preference_frequency(topic=SAVED_SEARCH_TOPIC, user=saved.user, target=saved)
