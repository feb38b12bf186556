"""The header's bell: how many things need the signed-in user (accounts/notifications.py), one statement."""

from django import template
from django.urls import reverse

from approdi.accounts import notifications

register = template.Library()


@register.inclusion_tag("accounts/_bell.html", takes_context=True)
def notice_bell(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or getattr(request, "membership", None) is None or not notifications.kinds_for(user):
        return {"show": False}
    return {"show": True, "total": notifications.total(actor=user), "link": reverse("cases:my_work") + "#needs-you"}
