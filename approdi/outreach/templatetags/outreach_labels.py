from django import template
from django.db import models
from django.utils.translation import gettext as _

from approdi.core.labels import country
from approdi.core.labels import label as choice_label
from approdi.outreach.codes import Channel, Exploitation
from approdi.people.codes import OUTCOME_TEXT, Gender

register = template.Library()
LABELS: dict[str, type[models.Choices]] = {"channel": Channel, "gender": Gender, "exploitation": Exploitation}


@register.filter
def label(row: dict, key: str) -> str:
    """The readable label of a breakdown row's code (an empty code reads 'not recorded')."""
    value = row.get(key) or ""
    if not value:
        return _("not recorded")
    if key == "nationality":
        return country(value)
    return choice_label(LABELS[key], value)


@register.filter
def outcome_label(code: str) -> str:
    """The outcome of a referral as its referrer reads it, in the reader's language."""
    return str(OUTCOME_TEXT.get(code, code)) if code else ""
