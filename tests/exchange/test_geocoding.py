"""A site's position from its address through the geocoder setting (mocked here: tests never
reach the internet), the pin to check, and typed coordinates as the fallback."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from exchange import geocoding
from exchange.models import Site

pytestmark = pytest.mark.django_db
NOMINATIM = "https://geocoder.example.org/search"
LODZ = [{"lat": "51.7687", "lon": "19.4570", "display_name": "Piotrkowska 1, Łódź, Polska"}]


@pytest.fixture
def geocoder(settings, monkeypatch):
    """The geocoder switched on, answering from ``geocoder.answer``; records the URLs asked."""
    settings.EXCHANGE_GEOCODER_URL = NOMINATIM
    cache.clear()

    class Fake:
        answer = LODZ
        urls = []

        def fetch(self, url, *, headers, timeout):
            self.urls.append((url, headers))
            if isinstance(self.answer, Exception):
                raise self.answer
            return json.dumps(self.answer).encode()

    fake = Fake()
    monkeypatch.setattr(geocoding, "_fetch", fake.fetch)
    return fake


def site_data(**overrides):
    data = {
        "name": "Warehouse",
        "address": "Piotrkowska 1",
        "postcode": "90-001",
        "city": "Łódź",
        "country": "PL",
    }
    data.update(overrides)
    return data


def test_the_address_finds_the_position_and_the_member_checks_the_pin(client, producer, geocoder):
    client.force_login(producer.user)
    url = reverse("exchange:site_create")
    response = client.post(url, site_data())
    assert response.status_code == 200
    assert not Site.objects.filter(name="Warehouse").exists()  # not saved before the check
    content = response.content.decode()
    assert "Found: Piotrkowska 1, Łódź, Polska" in content
    assert 'value="51.768700"' in content and 'value="19.457000"' in content
    assert "data-site-map" in content
    asked, headers = geocoder.urls[0]
    assert asked.startswith(NOMINATIM) and "postalcode=90-001" in asked
    assert "countrycodes=pl" in asked and "TextileVirtualCentre" in headers["User-Agent"]
    # the member dragged the pin a little, then saves
    response = client.post(url, site_data(latitude="51.7690", longitude="19.4575"))
    assert response.status_code == 302
    site = Site.objects.get(name="Warehouse")
    assert (site.latitude, site.longitude) == (51.769, 19.4575)


def test_find_on_the_map_looks_the_address_up_again(client, producer, geocoder):
    client.force_login(producer.user)
    response = client.post(
        reverse("exchange:site_create"),
        site_data(latitude="10", longitude="10", locate="1"),
    )
    assert "Found:" in response.content.decode()
    assert not Site.objects.filter(name="Warehouse").exists()


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ([], "No place was found for this address"),
        (OSError("timed out"), "Addresses cannot be looked up now"),
        (["not a place", {"lat": "x", "lon": "1"}], "No place was found"),
    ],
)
def test_nothing_found_or_no_answer_asks_to_type_the_position(
    client, producer, geocoder, answer, message
):
    geocoder.answer = answer
    client.force_login(producer.user)
    response = client.post(reverse("exchange:site_create"), site_data())
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Site.objects.filter(name="Warehouse").exists()


def test_without_a_geocoder_latitude_and_longitude_are_typed(client, producer, settings):
    settings.EXCHANGE_GEOCODER_URL = ""
    client.force_login(producer.user)
    url = reverse("exchange:site_create")
    response = client.post(url, site_data())
    content = response.content.decode()
    assert "type the latitude and longitude" in content
    assert "Find the address on the map" not in content
    response = client.post(url, site_data(latitude="51.76", longitude="19.46"))
    assert response.status_code == 302
    response = client.post(url, site_data(name="Half", latitude="51.76"))
    assert "Give both latitude and longitude" in response.content.decode()


def test_registering_an_organisation_finds_its_first_site(client, user, geocoder):
    client.force_login(user)
    data = {
        "org-name": "Łódź Knitting",
        "org-kind": "company",
        "org-country": "PL",
        "org-registration_number": "PL1234567890",
        **{f"site-{key}": value for key, value in site_data().items()},
    }
    response = client.post(reverse("exchange:join"), data)
    assert response.status_code == 200 and "Found:" in response.content.decode()
    assert not user.exchange_memberships.exists()
    data.update({"site-latitude": "51.7687", "site-longitude": "19.457"})
    assert client.post(reverse("exchange:join"), data).status_code == 302
    site = Site.objects.get(organisation=user.exchange_memberships.get().organisation)
    assert site.latitude == pytest.approx(51.7687)
