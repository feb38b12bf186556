"""Deadline alerts by e-mail: the permits about to expire and the hearings about to fall, to whom follows them.

Sent by the scheduled task ``send_deadline_alerts`` (``APPRODI_SCHEDULED_TASKS``, every 15 minutes through the
task queue) and by ``manage.py send_deadline_alerts``. Safe to run as often as one likes: each alert goes once
(``deadlines.mark_sent`` in the transaction that sends it), and a day missed is caught up.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scopes_disabled
from django_tasks import task

from approdi.audit.models import Action
from approdi.audit.services import record

from . import deadlines

if TYPE_CHECKING:
    from approdi.accounts.models import User


def send_due_alerts(*, today: date, dry_run: bool = False) -> list[str]:
    """Sends the alerts due ``today``; answers one line per alert ('user: what'), sent unless ``dry_run``."""
    lines = []
    with scopes_disabled(), translation.override(settings.LANGUAGE_CODE):
        for recipient, deadline, threshold in deadlines.alerts_to_send(today=today):
            user = cast("User", recipient)
            line = _line(deadline, today)
            days_left = deadline.days_left(today)
            lines.append(f"{user.get_username()}: {line}")
            if dry_run:
                continue
            # The person appears only by her pseudonymous code: e-mail leaves the system.
            with transaction.atomic():
                deadlines.mark_sent(user=user, deadline=deadline, threshold=threshold)
                record(
                    action=Action.CREATE,
                    object_type="cases.deadlinenotice",
                    object_id=deadline.object_id,
                    reason=f"{deadline.kind} {threshold}",
                    username="send_deadline_alerts",
                )
                send_mail(
                    subject=ngettext(
                        "Approdi: a deadline in %(days)s day", "Approdi: a deadline in %(days)s days", days_left
                    )
                    % {"days": days_left},
                    message=_("%(line)s\n\nOpen the case in Approdi to see what to do.") % {"line": line},
                    from_email=None,
                    recipient_list=[user.email],
                )
    return lines


@task()
def send_deadline_alerts() -> int:
    """Scheduled: the alerts due today, in the deployment's time zone."""
    return len(send_due_alerts(today=timezone.localdate()))


def _line(deadline: deadlines.Deadline, today: date) -> str:
    days = deadline.days_left(today)
    return ngettext(
        "%(code)s: %(what)s on %(date)s (in %(days)s day)",
        "%(code)s: %(what)s on %(date)s (in %(days)s days)",
        days,
    ) % {
        "code": deadline.case.person.code,
        "what": deadline.what,
        "date": date_format(deadline.due, "SHORT_DATE_FORMAT"),
        "days": days,
    }
