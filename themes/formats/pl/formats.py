# Polish: the month in the genitive inside a date (E), names in lower case (names.py).
DATE_FORMAT = "j E Y"  # 16 grudnia 2026
DATETIME_FORMAT = "j E Y, H:i"  # 16 grudnia 2026, 14:05
SHORT_DATE_FORMAT = "j b Y"  # 16 gru 2026
SHORT_DATETIME_FORMAT = "j b Y, H:i"  # 16 gru 2026, 14:05
MONTH_DAY_FORMAT = "j E"  # 16 grudnia
YEAR_MONTH_FORMAT = "F Y"  # grudzień 2026
TIME_FORMAT = "H:i"  # 14:05
FIRST_DAY_OF_WEEK = 1  # poniedziałek

LONG_DATE_FORMAT = "l, j E Y"  # środa, 16 grudnia 2026
LONG_DATETIME_FORMAT = "l, j E Y, H:i"  # środa, 16 grudnia 2026, 14:05
CALENDAR_DAY_FORMAT = "j"  # 16
CALENDAR_MONTH_FORMAT = "b Y"  # gru 2026
