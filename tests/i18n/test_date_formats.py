"""Dates in each language's own form, from one set of format definitions (themes/formats)."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.cms import factories as f
from themes.formats import format_date, get_named_format

ROOT = Path(__file__).resolve().parents[2]
DAY = datetime.datetime(2026, 12, 16, 14, 5, tzinfo=ZoneInfo("Europe/Warsaw"))

EXPECTED = {
    "en": {
        "DATE_FORMAT": "16 December 2026",
        "DATETIME_FORMAT": "16 December 2026, 14:05",
        "SHORT_DATE_FORMAT": "16 Dec 2026",
        "SHORT_DATETIME_FORMAT": "16 Dec 2026, 14:05",
        "MONTH_DAY_FORMAT": "16 December",
        "YEAR_MONTH_FORMAT": "December 2026",
        "LONG_DATE_FORMAT": "Wednesday 16 December 2026",
        "LONG_DATETIME_FORMAT": "Wednesday 16 December 2026, 14:05",
        "CALENDAR_MONTH_FORMAT": "Dec 2026",
    },
    "pl": {
        "DATE_FORMAT": "16 grudnia 2026",
        "DATETIME_FORMAT": "16 grudnia 2026, 14:05",
        "SHORT_DATE_FORMAT": "16 gru 2026",
        "SHORT_DATETIME_FORMAT": "16 gru 2026, 14:05",
        "MONTH_DAY_FORMAT": "16 grudnia",
        "YEAR_MONTH_FORMAT": "grudzień 2026",
        "LONG_DATE_FORMAT": "środa, 16 grudnia 2026",
        "LONG_DATETIME_FORMAT": "środa, 16 grudnia 2026, 14:05",
        "CALENDAR_MONTH_FORMAT": "gru 2026",
    },
    "it": {
        "DATE_FORMAT": "16 dicembre 2026",
        "DATETIME_FORMAT": "16 dicembre 2026, 14:05",
        "SHORT_DATE_FORMAT": "16 dic 2026",
        "SHORT_DATETIME_FORMAT": "16 dic 2026, 14:05",
        "MONTH_DAY_FORMAT": "16 dicembre",
        "YEAR_MONTH_FORMAT": "dicembre 2026",
        "LONG_DATE_FORMAT": "mercoledì 16 dicembre 2026",
        "LONG_DATETIME_FORMAT": "mercoledì 16 dicembre 2026, 14:05",
        "CALENDAR_MONTH_FORMAT": "dic 2026",
    },
}


@pytest.mark.parametrize("language", EXPECTED)
def test_each_named_format_in_each_language(language):
    with translation.override(language):
        for name, expected in EXPECTED[language].items():
            assert format_date(DAY, name) == expected, name


@pytest.mark.parametrize("language", EXPECTED)
def test_templates_get_the_same_dates_through_date_and_local_date(language):
    template = Template(
        '{% load local_dates tz %}{% timezone "Europe/Warsaw" %}'
        '{{ day|date:"DATE_FORMAT" }}|{{ day|local_date:"LONG_DATETIME_FORMAT" }}'
        "{% endtimezone %}"
    )
    with translation.override(language):
        rendered = template.render(Context({"day": DAY}))
    assert rendered == (
        f"{EXPECTED[language]['DATE_FORMAT']}|{EXPECTED[language]['LONG_DATETIME_FORMAT']}"
    )


def test_an_unknown_format_name_is_an_error_not_a_format():
    with pytest.raises(ValueError):
        get_named_format("DATE_FROMAT")


# `date` filters with a literal format: only machine formats (ISO 8601 in datetime="", the
# time-zone abbreviation) may be written out; everything a reader sees uses a name.
MACHINE_FORMATS = {"c", "Y-m-d", "T", "U"}
DATE_FILTER = re.compile(r"""\|\s*(?:date|local_date)\s*:\s*(["'])(?P<format>.*?)\1""")


def test_templates_name_their_date_formats():
    offenders = []
    for path in ROOT.glob("*/**/templates/**/*"):
        if ".venv" in path.parts or not path.is_file() or path.suffix not in {".html", ".txt"}:
            continue
        for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in DATE_FILTER.finditer(line):
                value = match.group("format")
                if value in MACHINE_FORMATS or re.fullmatch(r"[A-Z_]+_FORMAT", value):
                    continue
                offenders.append(f"{path.relative_to(ROOT)}:{line_number}: {value!r}")
    assert not offenders, "Use a named format (themes/formats/):\n" + "\n".join(offenders)


@pytest.mark.django_db
def test_polish_pages_write_dates_with_genitive_month_names(client, site_tree):
    page = f.legislation(site_tree["legislation"], date=datetime.date(2026, 12, 16), publish=True)
    html = client.get("/pl" + page.url).content.decode()
    assert "16 grudnia 2026" in html
    assert "Grudzień" not in html and "grudzień 2026" not in html


@pytest.mark.django_db
def test_event_times_are_in_the_event_time_zone_and_the_language(client, site_tree):
    start = datetime.datetime(2030, 3, 4, 9, 0, tzinfo=ZoneInfo("Europe/Lisbon"))
    event = f.event(
        site_tree["events"],
        start=start,
        end=start + datetime.timedelta(hours=2),
        time_zone="Europe/Lisbon",
        title="Lisbon open day",
        publish=True,
    )
    html = client.get("/it" + event.url).content.decode()
    assert "lunedì 4 marzo 2030, 09:00 WET" in html
    listing = client.get("/it/events/").content.decode()
    assert "lunedì 4 marzo 2030, 09:00–11:00 WET" in listing
