from django import template
from django.db import models
from django.utils.translation import gettext as _

from approdi.core.labels import country
from approdi.core.labels import label as choice_label
from approdi.outreach.codes import Channel, Exploitation, Gender

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
    from approdi.intake.services import OUTCOME_TEXT

    return str(OUTCOME_TEXT.get(code, code)) if code else ""


@register.filter
def code_label(code: str, kind: str) -> str:
    """The readable label of a stored code: ``{{ row.type|code_label:"structure_type" }}``."""
    from approdi.shelter.models import Stage, StructureType

    kinds: dict[str, type[models.Choices]] = {"structure_type": StructureType, "stage": Stage, "gender": Gender}
    return choice_label(kinds[kind], code) or _("not recorded")
