from django import template
from django.utils.translation import gettext as _

from approdi.core.labels import label as choice_label
from approdi.people.codes import Gender
from approdi.shelter.models import Stage, StructureType

register = template.Library()


@register.filter
def code_label(code: str, kind: str) -> str:
    """The readable label of a stored code: ``{{ row.type|code_label:"structure_type" }}``."""
    choices = {"structure_type": StructureType, "stage": Stage, "gender": Gender}[kind]
    return choice_label(choices, code) or _("not recorded")
