"""Demo events of the partner networks, dated from today."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.text import slugify

from cms import models as cms

from .pages import _child

EVENTS = [
    # slug, title, days from today, start hour, hours, tz, online, city, country, organiser, region, summary
    (
        "textile-circularity-days-prato",
        "Textile Circularity Days Prato",
        24,
        9,
        8,
        "Europe/Rome",
        False,
        "Prato",
        "IT",
        "tex4im",
        "prato",
        "Two days of mill visits, matchmaking between waste producers and recyclers, and the TEX4IM partner meeting.",
    ),
    (
        "webinar-textile-epr",
        "Webinar: preparing for textile EPR",
        10,
        10,
        2,
        "Europe/Brussels",
        True,
        "",
        "",
        "enter-network",
        None,
        "What Directive (EU) 2025/1892 asks of producers, and how the first national schemes are being designed.",
    ),
    (
        "nir-sorting-demo-lodz",
        "NIR sorting line open day",
        45,
        11,
        4,
        "Europe/Warsaw",
        False,
        "Łódź",
        "PL",
        "ift-lodz",
        "lodzkie",
        "See the hyperspectral sorting line at work on post-consumer garments, and bring samples to test.",
    ),
    (
        "nonwovens-workshop-liberec",
        "Workshop: recycled fibre in nonwovens",
        70,
        9,
        6,
        "Europe/Prague",
        False,
        "Liberec",
        "CZ",
        "tti-liberec",
        "liberec",
        "Hands-on workshop on fibre preparation, needle-punching and quality tests for recycled blends.",
    ),
    (
        "enter-kickoff-2025",
        "ENTeR partner meeting 2025",
        -200,
        9,
        7,
        "Europe/Warsaw",
        False,
        "Łódź",
        "PL",
        "enter-network",
        "lodzkie",
        "Annual meeting of the ENTeR regions: roadmap, working groups and the Virtual Centre.",
    ),
    (
        "chemical-recycling-conference",
        "Chemical recycling of textiles: Central European conference",
        -90,
        9,
        9,
        "Europe/Ljubljana",
        False,
        "Maribor",
        "SI",
        "maribor-trc",
        "podravska",
        "Research and industry presentations on dissolution and depolymerisation, with a visit to the pilot plant.",
    ),
    (
        "webinar-digital-product-passport",
        "Webinar: digital product passport for textiles",
        -30,
        14,
        2,
        "Europe/Brussels",
        True,
        "",
        "",
        "textranet",
        None,
        "ESPR's digital product passport explained, with the Biella traceability pilot as an example.",
    ),
]


def load_events(events_index, *, regions, organisations):
    now = timezone.now()
    for (
        slug,
        title,
        days,
        hour,
        hours,
        tz,
        online,
        city,
        country,
        organiser,
        region,
        summary,
    ) in EVENTS:
        day = (now + datetime.timedelta(days=days)).astimezone(ZoneInfo(tz)).date()
        start = datetime.datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(tz))
        _child(
            events_index,
            cms.EventPage,
            slug,
            title=title,
            start=start,
            end=start
            + datetime.timedelta(hours=hours)
            + (datetime.timedelta(days=1) if hours >= 8 else datetime.timedelta()),
            time_zone=tz,
            is_online=online,
            online_url="https://meet.example.org/textile-centre" if online else "",
            venue="" if online else f"{organisations[organiser].name}",
            city=city,
            country=country,
            organiser=organisations[organiser],
            region=regions.get(region) if region else None,
            registration_url=f"https://{organiser}.example.org/events/{slugify(title)}",
            summary=summary,
        )
