"""Reference codes of DESIGN.md §9 and the outreach forms. Codes are contracts: never rename one."""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    STREET = "street", _("Street unit")
    INDOOR = "indoor", _("Indoor")
    DROP_IN = "drop_in", _("Drop-in / desk")


class AgeBand(models.TextChoices):
    B0_8 = "0-8", "0–8"
    B9_17 = "9-17", "9–17"
    B18_20 = "18-20", "18–20"
    B21_23 = "21-23", "21–23"
    B24_26 = "24-26", "24–26"
    B27_29 = "27-29", "27–29"
    B30_38 = "30-38", "30–38"
    B39_47 = "39-47", "39–47"
    B48 = "48+", "48+"
    UNKNOWN = "unknown", _("Unknown")


# The ages of each band, read from its code ("18-20", "48+"); "unknown" has none.
_BAND_AGES = [
    (int(band.value.split("-")[0].rstrip("+")), int(band.value.split("-")[1]) if "-" in band.value else 999, band.value)
    for band in AgeBand
    if band != AgeBand.UNKNOWN
]


def age_band_of_birth_year(year: int | None, today: date) -> str:
    """The age band of a person born in ``year``, if both ages the year allows today fall in one band; else "".

    A year of birth leaves the birthday open: 25 or 26 are one band, 23 or 24 are two, and a guess could be wrong.
    """
    if year is None:
        return ""
    bands = {
        code
        for low, high, code in _BAND_AGES
        for age in (today.year - year - 1, today.year - year)
        if low <= age <= high
    }
    return bands.pop() if len(bands) == 1 else ""


class Exploitation(models.TextChoices):
    SEXUAL = "sexual", _("Sexual exploitation")
    LABOUR = "labour", _("Labour exploitation")
    BEGGING = "begging", _("Forced begging")
    ILLEGAL_ECONOMIES = "illegal_economies", _("Illegal economies")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage / domestic violence")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Shift(models.TextChoices):
    DAY = "day", _("Day")
    NIGHT = "night", _("Night")


class PlaceType(models.TextChoices):
    STREET = "street", _("Street")
    APARTMENT = "apartment", _("Apartment")
    CLUB = "club", _("Club")
    CAMP = "camp", _("Camp")
    PHONE_AD = "phone_ad", _("Phone ad")
    ONLINE_AD = "online_ad", _("Online ad")
    OTHER = "other", _("Other")


class AccessChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")


class Service(models.TextChoices):
    HEALTH_INFORMATION = "health_information", _("Health information")
    PROPHYLAXIS = "prophylaxis", _("Prophylaxis")
    ORIENTATION = "orientation", _("Orientation")
    ACCOMPANIMENT = "accompaniment", _("Accompaniment")
    REFERRAL = "referral", _("Referral to a service")
    LISTENING = "listening", _("Listening")
    COUNSELLING = "counselling", _("Counselling")
    LEGAL_ADVICE = "legal_advice", _("Legal advice")
    # The labour desk's "consulenza psicologica" (seed 002): given by a psychologist, not a supportive interview.
    PSYCHOLOGICAL_ADVICE = "psychological_advice", _("Psychological advice")
    MEDIATOR_INTERVIEW = "mediator_interview", _("Interview with a cultural mediator")
    HEALTH_ORIENTATION = "health_orientation", _("Health orientation")
    DOCUMENTS_ORIENTATION = "documents_orientation", _("Documents orientation")
    ART18_ASSESSMENT = "art18_assessment", _("Art. 18 assessment")
    RETURN_INFORMATION = "return_information", _("Information on assisted return")


STREET_SERVICES = [
    Service.HEALTH_INFORMATION,
    Service.PROPHYLAXIS,
    Service.ORIENTATION,
    Service.ACCOMPANIMENT,
    Service.REFERRAL,
]
DESK_SERVICES = [
    Service.LISTENING,
    Service.COUNSELLING,
    Service.LEGAL_ADVICE,
    Service.PSYCHOLOGICAL_ADVICE,
    Service.MEDIATOR_INTERVIEW,
    Service.HEALTH_ORIENTATION,
    Service.DOCUMENTS_ORIENTATION,
    Service.ART18_ASSESSMENT,
    Service.REFERRAL,
    Service.RETURN_INFORMATION,
]


class SourceType(models.TextChoices):
    CAS = "cas", _("CAS reception centre")
    SAI = "sai", _("SAI reception centre")
    TERRITORIAL_COMMISSION = "territorial_commission", _("Commissione Territoriale")
    POLICE = "police", _("Police")
    PROSECUTOR = "prosecutor", _("Prosecutor's office")
    HELPLINE = "helpline", _("National anti-trafficking helpline (800 290 290)")
    OTHER_PROJECT = "other_project", _("Another anti-trafficking project")
    HEALTH_SERVICE = "health_service", _("Health service")
    SOCIAL_SERVICES = "social_services", _("Social services")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate")
    UNION = "union", _("Trade union")
    SELF = "self", _("Self-referral")
    OUTREACH = "outreach", _("Own outreach")


# Referrals from these sources are not "people referred by other bodies" (§9 counting rules).
NOT_FROM_BODIES = {SourceType.SELF, SourceType.OUTREACH}


class ReferralChannel(models.TextChoices):
    """How a referral reached the network; "web" is the public site's help form (approdi/public/)."""

    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    WEB = "web", _("Public website form")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    PRIORITY = "priority", _("Priority")
    IMMEDIATE = "immediate", _("Immediate danger")


class Sector(models.TextChoices):
    CONSTRUCTION = "construction", _("Construction")
    RESTAURANTS = "restaurants", _("Restaurants")
    HOTELS = "hotels", _("Hotels")
    LOGISTICS = "logistics", _("Logistics")
    AGRICULTURE = "agriculture", _("Agriculture")
    DOMESTIC_WORK = "domestic_work", _("Domestic work")
    OTHER = "other", _("Other")


class TargetGroup(models.TextChoices):
    FOREIGN_REGULAR = "foreign_regular", _("Foreign national, regularly present")
    FOREIGN_IRREGULAR = "foreign_irregular", _("Foreign national, irregularly present")
    YOUNG_PERSON = "young_person", _("Young person")
    WOMAN = "woman", _("Woman")
    OTHER = "other", _("Other")


class SyncKind(models.TextChoices):
    """The records an app sends from a phone; codes are contracts of the API."""

    OUTING = "outing", _("outing")
    OUTING_UPDATE = "outing_update", _("outing's end and notes")
    SITE = "site", _("site")
    CONTACT = "contact", _("contact")
    REFERRAL = "referral", _("referral")
