"""The shelter's notices (accounts/notifications.py): night entries the Ufficio Filtro has still to regularise."""

from django.utils.translation import gettext_lazy as _

from approdi.accounts.notifications import Kind, register

from .models import NightEntry

register(
    Kind(
        code="night_entry",
        label=_("A night entry to regularise"),
        perm="intake.work_queue",
        # ``night.open_entries``' rule, counted: the acting programme's entries not regularised yet.
        pending=lambda actor, today: [
            NightEntry.objects.filter(programme=actor.active_membership.programme, regularised_at__isnull=True)
        ],
        order=20,
        url="intake:queue",
    )
)
