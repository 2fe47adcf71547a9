"""``local_date``: a date in a format named in themes/formats (Django's names or ours)."""

from django import template
from django.template.defaultfilters import date as date_filter

from themes.formats import get_named_format

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def local_date(value, name="DATE_FORMAT"):
    """``{{ event.start|local_date:"LONG_DATETIME_FORMAT" }}``. Like ``date``, an aware
    datetime is shown in the current time zone (``{% timezone %}`` chooses another)."""
    if value in (None, ""):
        return ""
    return date_filter(value, get_named_format(name))
