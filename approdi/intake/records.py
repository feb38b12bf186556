"""Entry, exit and national-network records: the fields each may carry, as data, PDF and JSON.

The national-network record (scheda per la messa in rete nazionale) carries only what a transfer
or a shared case needs — no name, no address, no phone: the receiving project asks the person.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from approdi.core.pdf import new_document
from approdi.people.models import Person

KINDS = ("entry", "exit", "national")


def record_fields(person: Person, kind: str, *, today: date) -> list[tuple[str, str]]:
    """(label, value) rows of a record, in the order they print."""
    screening = person.screenings.first()
    decision = person.decisions.first()
    assessment = person.assessments.first()
    rows = [(_("Programme"), person.programme.name), (_("Person code"), person.code)]
    if kind != "national":
        rows += [
            (_("Name"), f"{person.given_name} {person.family_name}".strip() or "—"),
            (_("Birth date"), person.birth_date.strftime("%d/%m/%Y") if person.birth_date else "—"),
            (_("Documents"), person.documents.replace("\n", "; ") or "—"),
        ]
    rows += [
        (_("Gender"), person.get_gender_display() or "—"),
        # django-stubs types a CountryField's value as the CharField's str; it is a django-countries Country.
        (_("Nationality"), person.nationality.name if person.nationality else "—"),  # type: ignore[attr-defined]
        (_("Languages"), person.languages or "—"),
        (_("Minor"), _("yes") if person.is_minor else _("no")),
        (_("Screening"), f"{screening.get_conclusion_display()} ({screening.indicator_list})" if screening else "—"),
        (_("Exploitation"), assessment.get_exploitation_display() if assessment and assessment.exploitation else "—"),
        (_("Decision"), decision.get_kind_display() if decision else "—"),
    ]
    records = {r.kind: r for r in person.programme_records.all()}
    if kind in ("entry", "exit") and kind in records:
        rows.append((_("Date"), records[kind].date.strftime("%d/%m/%Y")))
    rows.append((_("Printed on"), today.strftime("%d/%m/%Y")))
    return rows


def title(kind: str) -> str:
    return {"entry": _("Entry record"), "exit": _("Exit record"), "national": _("National network record")}[kind]


def national_json(person: Person, *, today: date) -> dict:
    screening = person.screenings.first()
    decision = person.decisions.first()
    assessment = person.assessments.first()
    return {
        "programme": person.programme.code,
        "person_code": person.code,
        "gender": person.gender,
        "nationality": str(person.nationality or ""),
        "languages": person.languages,
        "minor": person.is_minor,
        "screening": {
            "list": screening.indicator_list.code,
            "version": screening.indicator_list.version,
            "dimensions": screening.dimensions,
            "rule_presumed_victim": screening.rule_presumed_victim,
            "conclusion": screening.conclusion,
        }
        if screening
        else None,
        "exploitation": assessment.exploitation if assessment else "",
        "vulnerabilities": assessment.vulnerabilities if assessment else [],
        "permit_paths": assessment.permit_paths if assessment else [],
        "decision": decision.kind if decision else "",
        "date": today.isoformat(),
    }


def pdf(person: Person, kind: str, *, today: date) -> bytes:
    """The record as a PDF, in Bootstrap Italia's Titillium Web (latin-ext covers the names we meet)."""
    document, family = new_document(title(kind))
    document.set_font(family, "B", 18)
    document.cell(0, 12, title(kind), new_x="LMARGIN", new_y="NEXT")
    document.set_font(family, "", 11)
    for label, value in record_fields(person, kind, today=today):
        document.set_font(family, "B", 11)
        document.cell(55, 8, label)
        document.set_font(family, "", 11)
        document.multi_cell(0, 8, str(value), new_x="LMARGIN", new_y="NEXT")
    document.ln(6)
    document.set_font(family, "", 8)
    document.multi_cell(
        0,
        5,
        _(
            "Confidential: personal data protected under GDPR art. 9 and 10. Do not forward outside "
            "the anti-trafficking network."
        ),
    )
    return bytes(document.output())
