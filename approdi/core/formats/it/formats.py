"""Italian as written: "5 dicembre 2026", the month in lower case and the day without a leading zero.

Django's Italian formats write "05 Dicembre 2026". "E" is the month's name as it stands inside a date; its lower
case comes from this project's catalogue (approdi/core/formats/months.py keeps those entries in it).
"""

from django.conf.locale.it.formats import *  # noqa: F403

DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "l j E Y H:i"
MONTH_DAY_FORMAT = "j E"
