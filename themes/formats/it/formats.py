# Italian: month and weekday names in lower case (names.py).
DATE_FORMAT = "j F Y"  # 16 dicembre 2026
DATETIME_FORMAT = "j F Y, H:i"  # 16 dicembre 2026, 14:05
SHORT_DATE_FORMAT = "j b Y"  # 16 dic 2026
SHORT_DATETIME_FORMAT = "j b Y, H:i"  # 16 dic 2026, 14:05
MONTH_DAY_FORMAT = "j F"  # 16 dicembre
YEAR_MONTH_FORMAT = "F Y"  # dicembre 2026
TIME_FORMAT = "H:i"  # 14:05
FIRST_DAY_OF_WEEK = 1  # lunedì

LONG_DATE_FORMAT = "l j F Y"  # mercoledì 16 dicembre 2026
LONG_DATETIME_FORMAT = "l j F Y, H:i"  # mercoledì 16 dicembre 2026, 14:05
CALENDAR_DAY_FORMAT = "j"  # 16
CALENDAR_MONTH_FORMAT = "b Y"  # dic 2026
