"""The cases app's notices (accounts/notifications.py): the deadlines that need her, by the rule of the alerts."""

from django.utils.translation import gettext_lazy as _

from approdi.accounts.notifications import Kind, register

from . import deadlines

register(
    Kind(
        code="deadline",
        label=_("A deadline within 7 days"),
        perm="cases.view_cases",
        pending=lambda actor, today: deadlines.pressing(user=actor, today=today),
        order=50,
        url="cases:my_work",
        anchor="#deadlines-title",
        # Deadline alerts went to every legal seat before she could choose: they still do unless she says not.
        email_default=True,
        choice=_("Deadlines of your cases: permits that expire, hearings (30, 14 and 7 days before)"),
    )
)
