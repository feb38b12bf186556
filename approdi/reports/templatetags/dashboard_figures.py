from django import template

from approdi.reports.common.charts import number

register = template.Library()


@register.filter
def figure(value) -> str:
    """A figure as the reader writes it, the same as in the charts: ``{{ row.beds|figure }}``."""
    return "—" if value is None or value == "" else number(value)
