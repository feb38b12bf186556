"""The meetings' invitations by e-mail as a notice kind (accounts/notifications.py): on by default, and a user
may turn them off on My account like any other notice's e-mail. Nothing to count in the bell: an invitation is an
e-mail, not work that waits (``pending`` reads nothing).

Offered to the users who work on cases (``cases.view_cases``), those a case conference or a table invites; a user
of another role keeps the default (on).
"""

from django.utils.translation import gettext_lazy as _

from approdi.accounts.notifications import Kind, register

from .invitations import KIND

register(
    Kind(
        code=KIND,
        label=_("Invitations to meetings and case conferences"),
        perm="cases.view_cases",
        pending=lambda actor, today: [],
        order=90,
        email_default=True,
    )
)
