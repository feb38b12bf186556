"""A meeting's invitation by e-mail: when a meeting is scheduled its members with an account and an e-mail address
get the invitation (METHOD:REQUEST, governance/ical.py) attached, through the task queue (django-tasks, queued in
the service's transaction: nothing goes for a meeting rolled back); when it is cancelled, the cancellation
(METHOD:CANCEL, the same UID, the SEQUENCE bumped), the same way.

The meeting engine's one path: a table's meeting (``services.schedule_meeting``, ``services.record_meeting``) and a
case conference scheduled ahead (``intake.services``) use it. The message carries the title (a conference: the
person's code), the time and the place, never a person's identity; the organiser is the service's own address.
A user who turned off the ``meeting_invitation`` e-mails on My account (governance/notices.py) gets none.
"""

from __future__ import annotations

from collections.abc import Iterable
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from django_tasks import task

from approdi.accounts.models import User
from approdi.accounts.notifications import wants_email
from approdi.audit.models import Action
from approdi.audit.services import record

from . import ical

KIND = "meeting_invitation"  # the notice kind a user may turn off on My account (governance/notices.py)


def _when(event: ical.Event) -> str:
    if event.starts_at is not None:
        return date_format(timezone.localtime(event.starts_at), "DATETIME_FORMAT")
    return date_format(event.day, "DATE_FORMAT") if event.day else ""


def invite(*, users: Iterable[User], event: ical.Event) -> int:
    """Queues the invitation (or, for an event cancelled, the cancellation) to ``users`` who can be written to and
    did not turn it off; answers how many. Call it in the transaction of the service that scheduled (or cancelled)
    the meeting."""
    to = sorted({user.pk for user in users if user.is_active and user.email and wants_email(user, KIND)})
    if not to:
        return 0
    method = "CANCEL" if event.cancelled else "REQUEST"
    with translation.override(settings.LANGUAGE_CODE):
        what = {"what": event.summary, "when": _when(event)}
        if event.cancelled:
            subject = _("Approdi: cancelled, %(what)s, %(when)s") % what
            closing = _("The meeting is cancelled: open the attachment to remove it from your calendar.")
        else:
            subject = _("Approdi: invitation to %(what)s, %(when)s") % what
            closing = _("The invitation is attached: open it to add the meeting to your calendar.")
        lines = [event.summary, _when(event)]
        if event.location:
            lines.append(event.location)
        if event.url:
            lines.append(event.url)
        lines += ["", closing]
    organizer = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    text = ical.calendar([event], method=method, organizer=organizer)
    send_invitation.enqueue(user_ids=to, subject=subject, body="\n".join(lines), ics=text, key=event.key, method=method)
    return len(to)


@task()
def send_invitation(
    *, user_ids: list[int], subject: str, body: str, ics: str, key: str, method: str = "REQUEST"
) -> int:
    """One e-mail per member, the invitation attached; each one sent is audited."""
    sent = 0
    with scopes_disabled():
        for user in User.objects.filter(pk__in=user_ids, is_active=True).exclude(email="").order_by("pk"):
            message = EmailMessage(subject=subject, body=body, to=[user.email])
            message.attach(f"{key}.ics", ics, f"text/calendar; method={method}; charset=utf-8")
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
