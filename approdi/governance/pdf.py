"""A meeting's minutes as an A4 PDF (core/pdf.py's letterhead and page numbers): the table, when and where, who
attended (professionals: users and the directory's referents), the agenda, the minutes, the decisions and the
actions with their owner and due date. People the network serves appear only as the minutes name them, by code."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from approdi.core.pdf import issued_by, new_document

from .models import Meeting


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def minutes_pdf(meeting: Meeting) -> bytes:
    table = meeting.table
    local = meeting.starts_at.astimezone(timezone.get_current_timezone())
    title = _("Minutes: %(table)s, %(day)s") % {"table": table.name, "day": date_format(local.date(), "DATE_FORMAT")}
    document, family = new_document(title, footer=title, **issued_by(table.programme))

    def heading(text: str) -> None:
        document.ln(2)
        document.set_font(family, "B", 11)
        document.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        document.set_font(family, "", 10)

    def lines(items: list[str], empty: str) -> None:
        document.set_font(family, "", 10)
        for item in items or [empty]:
            document.multi_cell(0, 5, f"• {item}" if items else item, new_x="LMARGIN", new_y="NEXT")

    document.set_font(family, "B", 14)
    document.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    document.set_font(family, "", 10)
    when = _("%(day)s, %(start)s–%(end)s") % {
        "day": date_format(local.date(), "DATE_FORMAT"),
        "start": local.strftime("%H:%M"),
        "end": meeting.ends_at.astimezone(local.tzinfo).strftime("%H:%M"),
    }
    for label, value in (
        (_("Table or group"), f"{table.name} ({table.get_kind_display()})"),
        (_("When"), when),
        (_("Place or link"), meeting.place or "—"),
        (_("Status"), meeting.get_status_display()),
    ):
        document.multi_cell(0, 5, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")

    heading(_("Present"))
    present = [_name(u) for u in meeting.present_users.all()]
    present += [f"{r.name} ({r.role}, {r.body.name})" for r in meeting.present_referents.select_related("body")]
    lines(present, _("No attendance recorded."))
    heading(_("Agenda"))
    lines([line for line in meeting.agenda.splitlines() if line.strip()], "—")
    heading(_("Minutes"))
    document.multi_cell(0, 5, meeting.minutes or "—", new_x="LMARGIN", new_y="NEXT")
    heading(_("Decisions"))
    lines(meeting.decision_lines(), _("No decision recorded."))
    heading(_("Actions"))
    actions = [
        _("%(action)s: %(owner)s, due %(due)s (%(status)s)")
        % {
            "action": a.description,
            "owner": _name(a.owner),
            "due": date_format(a.due, "SHORT_DATE_FORMAT"),
            "status": a.get_status_display(),
        }
        for a in meeting.actions.select_related("owner").order_by("due", "id")
    ]
    lines(actions, _("No action recorded."))
    return bytes(document.output())
