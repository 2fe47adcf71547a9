"""A site's position from its address or postcode, through a Nominatim-compatible geocoder
(``EXCHANGE_GEOCODER_URL``; empty turns it off, as the test settings do). Its answers are
suggestions: the member checks the pin on the map (and drags it) before saving. Answers are
cached for a month, as Nominatim's usage policy asks."""

import hashlib
import json
import logging
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

CACHE_SECONDS = 30 * 24 * 3600


class GeocoderUnavailable(Exception):
    """No geocoder is configured, or it did not answer."""


@dataclass(frozen=True)
class Place:
    label: str
    latitude: float
    longitude: float


def _fetch(url, *, headers, timeout):
    """The HTTP GET of the geocoder (a function of its own, so tests replace it)."""
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - the URL is a setting
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return response.read()


def geocode(*, address="", postcode="", city="", country="", language="en"):
    """Places matching a structured address, best first (at most five). Raises
    GeocoderUnavailable when no geocoder is set or it fails; returns [] when it finds nothing."""
    base = settings.EXCHANGE_GEOCODER_URL
    if not base:
        raise GeocoderUnavailable
    params = {
        key: value.strip()
        for key, value in (
            ("street", address),
            ("postalcode", postcode),
            ("city", city),
            ("countrycodes", country.lower()),
        )
        if value and value.strip()
    }
    if not params.keys() - {"countrycodes"}:
        return []
    params.update(format="jsonv2", limit="5")
    url = f"{base}?{urllib.parse.urlencode(sorted(params.items()))}"
    key = "exchange:geocode:" + hashlib.sha256(f"{language}|{url}".encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return [Place(*row) for row in cached]
    try:
        body = _fetch(
            url,
            headers={
                "User-Agent": settings.EXCHANGE_GEOCODER_USER_AGENT,
                "Accept-Language": language,
            },
            timeout=settings.EXCHANGE_GEOCODER_TIMEOUT,
        )
        rows = json.loads(body)
    except (OSError, ValueError) as error:
        logger.warning("Geocoder did not answer: %s", error)
        raise GeocoderUnavailable from error
    places = []
    for row in rows if isinstance(rows, list) else []:
        try:
            latitude, longitude = float(row["lat"]), float(row["lon"])
        except (KeyError, TypeError, ValueError):
            continue
        if -90 <= latitude <= 90 and -180 <= longitude <= 180:
            places.append(Place(str(row.get("display_name", ""))[:300], latitude, longitude))
    cache.set(key, [(p.label, p.latitude, p.longitude) for p in places], CACHE_SECONDS)
    return places
