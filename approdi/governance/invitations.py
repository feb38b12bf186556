"""A meeting's invitation by e-mail: when a meeting is scheduled its members with an account and an e-mail address
get the invitation (METHOD:REQUEST, governance/ical.py) attached, through the task queue (django-tasks, queued in
the service's transaction: nothing goes for a meeting rolled back).

The meeting engine's: a table's meeting uses it (``services.schedule_meeting``), and any other kind of meeting can
(``invite`` takes an ``ical.Event``). The message carries the title, the day and the place, never a person's
identity; the organiser is the service's own address.
"""

from __future__ import annotations

from collections.abc import Iterable
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from django_tasks import task

from approdi.accounts.models import User
from approdi.audit.models import Action
from approdi.audit.services import record

from . import ical


def site_host() -> str:
    return urlsplit(settings.APPRODI_SITE_URL).hostname or "localhost"


def _when(event: ical.Event) -> str:
    if event.starts_at is not None:
        return date_format(timezone.localtime(event.starts_at), "DATETIME_FORMAT")
    return date_format(event.day, "DATE_FORMAT") if event.day else ""


def invite(*, users: Iterable[User], event: ical.Event) -> int:
    """Queues the invitation to ``users`` who can be written to; answers how many. Call it in the transaction of
    the service that scheduled the meeting."""
    to = sorted({user.pk for user in users if user.is_active and user.email})
    if not to:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Approdi: invitation to %(what)s, %(when)s") % {"what": event.summary, "when": _when(event)}
        lines = [event.summary, _when(event)]
        if event.location:
            lines.append(event.location)
        lines += ["", _("The invitation is attached: open it to add the meeting to your calendar.")]
    organizer = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    text = ical.calendar([event], host=site_host(), method="REQUEST", organizer=organizer)
    send_invitation.enqueue(user_ids=to, subject=subject, body="\n".join(lines), ics=text, key=event.key)
    return len(to)


@task()
def send_invitation(*, user_ids: list[int], subject: str, body: str, ics: str, key: str) -> int:
    """One e-mail per member, the invitation attached; each one sent is audited."""
    sent = 0
    with scopes_disabled():
        for user in User.objects.filter(pk__in=user_ids, is_active=True).exclude(email="").order_by("pk"):
            message = EmailMessage(subject=subject, body=body, to=[user.email])
            message.attach(f"{key}.ics", ics, "text/calendar; method=REQUEST; charset=utf-8")
            message.send()
            record(
                action=Action.CREATE,
                object_type="governance.invitation_email",
                object_id=user.pk,
                reason=key,
                username="send_invitation",
            )
            sent += 1
    return sent
