"""Codes about a person that every module shares. Codes are contracts: never rename one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    TRANS_WOMAN = "trans_woman", _("Trans woman")
    TRANS_MAN = "trans_man", _("Trans man")
    NON_BINARY = "non_binary", _("Non-binary")
    UNKNOWN = "unknown", _("Unknown")


class DecisionKind(models.TextChoices):
    """The Ufficio Filtro's decision on a person's path; a referral's outcome carries the same code."""

    RESIDENTIAL = "residential", _("Residential reception")
    TERRITORIAL = "territorial", _("Territorial case management")
    TRANSFER = "transfer", _("Transfer to another project of the national network")
    RETURN = "assisted_return", _("Assisted voluntary return")
    OTHER_SERVICE = "other_service", _("Referral to another service")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")


OUTCOME_TEXT = {  # what the referring organisation reads: the decision, never the assessment
    DecisionKind.RESIDENTIAL: _("Taken on: residential reception."),
    DecisionKind.TERRITORIAL: _("Taken on: territorial case management."),
    DecisionKind.TRANSFER: _("Transferred to another project of the national network."),
    DecisionKind.RETURN: _("Assisted voluntary return."),
    DecisionKind.OTHER_SERVICE: _("Referred to another service."),
    DecisionKind.NOT_ELIGIBLE: _("Not taken on by the programme."),
}


class FlagKind(models.TextChoices):
    """A safety flag on a person (``people.models.SafetyFlag``): what everyone who meets her must know first."""

    EXPLOITERS_SEARCHING = "exploiters_searching", _("Exploiters are looking for her")
    DO_NOT_DISCLOSE_LOCATION = "do_not_disclose_location", _("Do not disclose where she is")
    HEALTH_RISK = "health_risk", _("Health risk")
    OTHER = "other", _("Other")
