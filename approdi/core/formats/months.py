"""Month names as they stand inside a date ("5 dicembre 2026"), in the catalogue of this project.

Django's Italian catalogue capitalises them ("Dicembre"); Italian writes months in lower case. Django reads these
messages with the context "alt. month" for the "E" date format; marking them here keeps them in locale/it when
`makemessages` runs.
"""

from django.utils.translation import pgettext_lazy

MONTHS_IN_A_DATE = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
