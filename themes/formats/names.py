"""Month and weekday names as they are written inside a date.

Django's own Polish and Italian catalogues capitalise them ("16 Dicembre", "Środa"); both
languages write them in lower case. These msgids are Django's (django/utils/dates.py), so the
translations in themes/locale/ (the first app, whose catalogue wins) replace Django's. Never
imported: the module exists so that ``make translations`` keeps the strings in the catalogue.
"""

from django.utils.translation import gettext_noop

WEEKDAYS = [
    gettext_noop("Monday"),
    gettext_noop("Tuesday"),
    gettext_noop("Wednesday"),
    gettext_noop("Thursday"),
    gettext_noop("Friday"),
    gettext_noop("Saturday"),
    gettext_noop("Sunday"),
]
MONTHS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]
