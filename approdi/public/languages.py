"""The public site's languages and the texts each page is made of (edited by the coordinators, stored in the database).

The site is for people who read little Italian: each language is named in itself, and its address is
``/help/<code>/``. The staff application stays in Italian and English (``settings.LANGUAGES``).
"""

from django.utils.translation import gettext_lazy as _

# (code in the address and for Django's own messages, the language's name in itself, ``<html lang>``)
LANGUAGES = [
    ("it", "Italiano", "it"),
    ("en", "English", "en"),
    ("fr", "Français", "fr"),
    ("es", "Español", "es"),
    ("pt", "Português", "pt"),
    ("ro", "Română", "ro"),
    ("sq", "Shqip", "sq"),
    ("bg", "Български", "bg"),
    ("uk", "Українська", "uk"),
    ("ru", "Русский", "ru"),
    ("zh-hans", "简体中文", "zh-Hans"),
    ("ar", "العربية", "ar"),
]
CODES = [code for code, _name, _tag in LANGUAGES]
NAMES = {code: name for code, name, _tag in LANGUAGES}
HTML_LANG = {code: tag for code, _name, tag in LANGUAGES}
RIGHT_TO_LEFT = {"ar"}
# The national anti-trafficking helpline (Numero Verde), on every page and leaflet: free, day and night.
HELPLINE = "800 290 290"
HELPLINE_LINK = "tel:+39800290290"

SOURCE = "it"  # translations are made from the Italian: when it changes, they need review

# Every text of the public pages, in the order the editing page shows them, with what it is for.
# Texts marked as lists are shown one line, one point.
KEYS = {
    "title": _("Title of every page"),
    "intro": _("Opening words"),
    "offer_title": _("Heading: what we offer"),
    "offer": _("What we offer (one point a line)"),
    "who_title": _("Heading: who can ask"),
    "who": _("Who can ask (one point a line)"),
    "after_title": _("Heading: what happens after"),
    "after": _("What happens after (one point a line)"),
    "safe_title": _("Heading: safe reporting"),
    "safe": _("The safe-reporting promise (one point a line)"),
    "call_title": _("Heading: the helpline"),
    "call": _("About the helpline"),
    "desks_title": _("Heading: the desks"),
    "address_label": _("Label: address"),
    "hours_label": _("Label: opening hours"),
    "ask_title": _("Heading and button: ask for help"),
    "ask_intro": _("Above the form"),
    "contact_label": _("Form: how to be contacted"),
    "contact_phone": _("Form: phone call"),
    "contact_whatsapp": _("Form: WhatsApp"),
    "contact_email": _("Form: e-mail"),
    "contact_she_calls": _("Form: I will call you"),
    "detail_label": _("Form: phone number or e-mail"),
    "detail_needed": _("Form error: no phone number or e-mail"),
    "times_label": _("Form: safe times"),
    "language_label": _("Form: language spoken"),
    "message_label": _("Form: message"),
    "send": _("Form: send button"),
    "form_expired": _("Form error: page open too long"),
    "too_many": _("Too many requests from one connection"),
    "thanks_title": _("After sending: heading"),
    "reference_label": _("After sending: the reference code"),
    "thanks": _("After sending: what happens next (one point a line)"),
    "leave": _("Button: leave quickly"),
    "languages": _("Heading: the list of languages"),
}
LIST_KEYS = {"offer", "who", "after", "safe", "thanks"}
MAX_TEXT = 1500
