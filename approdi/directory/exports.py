"""The directory as CSV (a row per referent, or per body without one) and as vCard 3.0 (RFC 2426).

A vCard per body (its switchboard, e-mail, address, hours) and one per referent, named with her body:
address books import them as they are. Text from users goes through core/spreadsheets.py in the CSV.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from approdi.core.spreadsheets import csv_writer

from .models import Body


def csv_text(bodies: Iterable[Body]) -> str:
    stream = io.StringIO()
    writer = csv_writer(stream)
    writer.writerow(
        [
            _("Body"),
            _("Type"),
            _("Areas"),
            _("Services offered"),
            _("Address"),
            _("Phone"),
            _("E-mail"),
            _("Website"),
            _("Hours"),
            _("How to refer"),
            _("Referent"),
            _("Role"),
            _("Referent's phone"),
            _("Referent's e-mail"),
            _("Role in the network"),
        ]
    )
    for body in bodies:
        common = [
            body.name,
            body.get_type_display(),
            ", ".join(a.name for a in body.areas.all()),
            body.services,
            body.address,
            body.phone,
            body.email,
            body.website,
            body.hours,
            body.how_to_refer,
        ]
        referents = list(body.referents.all())
        if not referents:
            writer.writerow([*common, "", "", "", "", ""])
        for r in referents:
            role_in_network = r.get_network_role_display() if r.network_role else ""
            if r.area is not None and role_in_network:
                role_in_network = f"{role_in_network} · {r.area.name}"
            writer.writerow([*common, r.name, r.role, r.phone, r.email, role_in_network])
    return stream.getvalue()


def _escape(value: str) -> str:
    """RFC 2426 §4: backslash, comma, semicolon and newlines escaped in a text value."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next, which starts with a space (RFC 2425 §5.8.1)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def _card(lines: list[tuple[str, str]]) -> str:
    body = [("BEGIN", "VCARD"), ("VERSION", "3.0"), *lines, ("END", "VCARD")]
    return "".join(_fold(f"{name}:{value}") + "\r\n" for name, value in body)


def vcards(bodies: Iterable[Body]) -> str:
    cards = []
    for body in bodies:
        name = _escape(body.name)
        lines = [("FN", name), ("N", f"{name};;;;"), ("ORG", name)]  # vCard 3.0: an office's card has FN = ORG
        if body.phone:
            lines.append(("TEL;TYPE=WORK,VOICE", _escape(body.phone)))
        if body.email:
            lines.append(("EMAIL;TYPE=INTERNET,WORK", _escape(body.email)))
        if body.address:
            lines.append(("ADR;TYPE=WORK", f";;{_escape(body.address)};;;;"))
        if body.website:
            lines.append(("URL", body.website))
        note = " · ".join(p for p in (body.get_type_display(), body.hours) if p)
        if note:
            lines.append(("NOTE", _escape(note)))
        cards.append(_card(lines))
        for r in body.referents.all():
            person = [
                ("FN", _escape(r.name)),
                ("N", f"{_escape(r.name)};;;;"),
                ("ORG", name),
                ("TITLE", _escape(r.role)),
            ]
            if r.phone:
                person.append(("TEL;TYPE=WORK,VOICE", _escape(r.phone)))
            if r.email:
                person.append(("EMAIL;TYPE=INTERNET,WORK", _escape(r.email)))
            cards.append(_card(person))
    return "".join(cards)
