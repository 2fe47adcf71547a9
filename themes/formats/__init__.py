"""The one set of date formats of the site (``FORMAT_MODULE_PATH``), per language.

Templates name a format instead of writing one: Django's own names with the ``date`` filter
(``{{ day|date:"DATE_FORMAT" }}``) and the names added here with ``local_date`` from
``themes/templatetags/local_dates.py`` (``{{ start|local_date:"LONG_DATETIME_FORMAT" }}``).
Python code uses ``django.utils.formats.date_format`` or ``themes.formats.format_date``.

Day before month everywhere; Polish writes the month in the genitive inside a date
("16 grudnia 2026", Django's ``E``); Polish and Italian write month and weekday names in
lower case (``names.py``). Input formats stay Django's own for each language.
"""

from django.utils import dateformat, formats
from django.utils.translation import get_language

# Names defined here on top of Django's (DATE_FORMAT, DATETIME_FORMAT, SHORT_DATE_FORMAT,
# SHORT_DATETIME_FORMAT, MONTH_DAY_FORMAT, YEAR_MONTH_FORMAT, TIME_FORMAT).
CUSTOM_FORMATS = (
    "LONG_DATE_FORMAT",  # weekday and date: "Wednesday 16 December 2026"
    "LONG_DATETIME_FORMAT",  # weekday, date and time
    "CALENDAR_DAY_FORMAT",  # the day on a calendar badge: "16"
    "CALENDAR_MONTH_FORMAT",  # the month and year under it: "Dec 2026"
)


def get_named_format(name, language=None):
    """The format string called ``name`` in ``language`` (default: the active one): Django's
    own names through ``get_format``, ours from the same format modules. An unknown name is
    an error, never a format string."""
    if name not in CUSTOM_FORMATS:
        if name not in formats.FORMAT_SETTINGS:
            raise ValueError(f"Unknown date format name: {name!r}")
        return formats.get_format(name, lang=language)
    language = language or get_language() or "en"
    for module in formats.get_format_modules(language):
        value = getattr(module, name, None)
        if value is not None:
            return value
    for module in formats.get_format_modules("en"):
        value = getattr(module, name, None)
        if value is not None:
            return value
    raise ValueError(f"No format module defines {name!r}")


def format_date(value, name="DATE_FORMAT", language=None):
    """``value`` (a date or datetime) in the format called ``name`` of the active language."""
    if value in (None, ""):
        return ""
    return dateformat.format(value, get_named_format(name, language))
