import csv
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cms.hooks import collect_impact_figures, collect_organisation_links
from cms.notifications.selectors import preference_frequency
from exchange.csv_io import COLUMNS
from exchange.models import SAVED_SEARCH_TOPIC, AlertDelivery, Listing, ListingState, SavedSearch
from exchange.services import listing_publish, saved_search_create
from exchange.tasks import send_search_digests
from tests.exchange.factories import ListingFactory

pytestmark = pytest.mark.django_db


def csv_file(rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return SimpleUploadedFile("listings.csv", buffer.getvalue().encode(), "text/csv")


def row(owner, **overrides):
    base = {
        "organisation": owner.slug,
        "kind": "offer",
        "title": "Denim cuttings",
        "waste_code": "04 02 22",
        "composition": "cotton:98;elastane:2",
        "form": "fabric_cuttings",
        "quantity": "800",
        "unit": "kg",
        "supply_pattern": "month",
        "site": "Cutting room",
        "price_type": "free",
        "certifications": "GRS:CU-9",
        "contaminants": "zips;buttons",
    }
    base.update(overrides)
    return base


def test_csv_import_previews_then_creates_drafts(client, producer):
    organisation = producer.organisation
    client.force_login(producer.user)
    upload = csv_file(
        [
            row(organisation),
            row(organisation, title="Wool wanted", kind="wanted", composition="wool:100"),
        ]
    )
    response = client.post(reverse("exchange:csv_import"), {"file": upload})
    assert not response.context["has_errors"]
    assert not Listing.objects.exists()  # preview only
    client.post(reverse("exchange:csv_import"), {"confirm": "1"})
    listings = Listing.objects.order_by("title")
    assert [listing.title for listing in listings] == ["Denim cuttings", "Wool wanted"]
    denim = listings[0]
    assert denim.state == ListingState.DRAFT and denim.contaminants == ["zips", "buttons"]
    assert denim.certifications.get().number == "CU-9"
    # export returns what was imported
    exported = client.get(reverse("exchange:csv_export")).content.decode()
    assert "cotton:98;elastane:2" in exported and "Wool wanted" in exported


def test_csv_with_errors_saves_nothing_and_reports_each_row(client, producer):
    organisation = producer.organisation
    client.force_login(producer.user)
    upload = csv_file(
        [
            row(organisation),
            row(organisation, composition="cotton:90"),
            row(organisation, organisation="someone-else"),
            row(organisation, kind="wanted", waste_code="15 02 02*"),
        ]
    )
    response = client.post(reverse("exchange:csv_import"), {"file": upload})
    rows = response.context["rows"]
    assert response.context["has_errors"]
    assert rows[0]["errors"] == []
    assert "add up to 90%" in " ".join(rows[1]["errors"])
    assert "only import your own listings" in " ".join(rows[2]["errors"])
    assert "hazardous" in " ".join(rows[3]["errors"])
    assert "Import 4" not in response.content.decode()
    client.post(reverse("exchange:csv_import"), {"confirm": "1"})
    assert not Listing.objects.exists()


def test_saved_search_instant_alert_once_with_unsubscribe(client, producer, user):
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
    listing_publish(listing=cotton, user=producer.user)
    assert not mail.outbox
    listing_publish(listing=wool, user=producer.user)
    assert len(mail.outbox) == 1 and "Wool selvedges" in mail.outbox[0].body
    unsubscribe = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in mail.outbox[0].body
    unsubscribe = unsubscribe.replace("http://testserver", "")
    # no repeats
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


def test_daily_digest_collects_new_listings_without_repeats(producer, user):
    saved_search_create(user=user, name="Anything", query="", frequency="daily")
    ListingFactory(
        organisation=producer.organisation, title="Fresh cuttings", published_at=timezone.now()
    )
    assert send_search_digests("daily") == 1
    assert "Fresh cuttings" in mail.outbox[0].body
    assert send_search_digests("daily") == 0


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
