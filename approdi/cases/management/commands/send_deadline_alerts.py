"""E-mails the case managers and legal advisors of permits about to expire and hearings about to fall.

Run it once a day from cron, e.g. ``15 6 * * * cd /srv/approdi && .venv/bin/python manage.py
send_deadline_alerts``. It is safe to run more often (each alert goes once) and catches up a day missed.
"""

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scopes_disabled

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.cases import deadlines


class Command(BaseCommand):
    help = "Sends the deadline alerts due today (30, 14 and 7 days before a permit expires or a hearing)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, help="Pretend today is this day (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true", help="List the alerts without sending them.")

    def handle(self, *args, **options):
        today = options["date"] or timezone.localdate()
        sent = 0
        with scopes_disabled(), translation.override(settings.LANGUAGE_CODE):
            for user, deadline, threshold in deadlines.alerts_to_send(today=today):
                line = self._line(deadline, today)
                days_left = deadline.days_left(today)
                if options["dry_run"]:
                    self.stdout.write(f"{user.get_username()}: {line}")
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
                sent += 1
        self.stdout.write(ngettext("%(count)s alert sent.", "%(count)s alerts sent.", sent) % {"count": sent})

    @staticmethod
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
