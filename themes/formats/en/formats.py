# English as written in the EU institutions: day before month, 24-hour clock.
DATE_FORMAT = "j F Y"  # 16 December 2026
DATETIME_FORMAT = "j F Y, H:i"  # 16 December 2026, 14:05
SHORT_DATE_FORMAT = "j M Y"  # 16 Dec 2026
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 16 Dec 2026, 14:05
MONTH_DAY_FORMAT = "j F"  # 16 December
YEAR_MONTH_FORMAT = "F Y"  # December 2026
TIME_FORMAT = "H:i"  # 14:05
FIRST_DAY_OF_WEEK = 1  # Monday

LONG_DATE_FORMAT = "l j F Y"  # Wednesday 16 December 2026
LONG_DATETIME_FORMAT = "l j F Y, H:i"  # Wednesday 16 December 2026, 14:05
CALENDAR_DAY_FORMAT = "j"  # 16
CALENDAR_MONTH_FORMAT = "M Y"  # Dec 2026
