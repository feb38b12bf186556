from django import template
from django.utils.translation import gettext as _
from django_countries import countries

from approdi.outreach.codes import Channel, Exploitation, Gender

register = template.Library()
LABELS = {"channel": Channel, "gender": Gender, "exploitation": Exploitation}


@register.filter
def label(row: dict, key: str) -> str:
    """The readable label of a breakdown row's code (an empty code reads 'not recorded')."""
    value = row.get(key) or ""
    if not value:
        return _("not recorded")
    if key == "nationality":
        return countries.name(value) or value
    return str(LABELS[key](value).label) if value in LABELS[key].values else value
