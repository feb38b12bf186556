"""Aggregate tables meant for publication, with small-cell suppression (docs/disclosure.md).

What a network publishes of a programme and period: outreach contacts by channel, age band and
nationality, and people in reception by type of exploitation and by nationality, each against
gender. Every table goes through ``suppression.suppress`` with the export's k; rare nationalities
(fewer than k in all) are grouped first, so fewer counts need hiding.

These are not the funder's summary (``summary.py``): that one is the contractual report to the
funder, with exact figures, and does not leave the funder's hands.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django_countries import countries
from openpyxl.styles import Font

from approdi.accounts.actor import Actor
from approdi.accounts.scoping import programme_scope
from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.period import Period
from approdi.core.permissions import ensure
from approdi.core.spreadsheets import csv_writer, new_workbook
from approdi.network.models import Programme
from approdi.outreach import figures
from approdi.outreach.codes import AgeBand, Channel, Exploitation
from approdi.outreach.models import Contact
from approdi.shelter.figures import overlapping
from approdi.shelter.models import Placement

from .htcds import PERM, person_facts, threshold
from .suppression import SYMBOL, check_k, suppress_together

# Columns of every table: Approdi's genders, the two transgender ones together as in the funder's tables.
GENDERS = (
    ("woman", ("woman",)),
    ("man", ("man",)),
    ("transgender", ("trans_woman", "trans_man")),
    ("non_binary", ("non_binary",)),
    ("unknown", ("unknown", "")),
)
COLUMN_OF = {code: n for n, (_key, codes) in enumerate(GENDERS) for code in codes}
OTHER = "__other__"
NOT_RECORDED = ""


def gender_labels() -> list[str]:
    return [_("Women"), _("Men"), _("Transgender"), _("Non-binary people"), _("Not known")]


@dataclass(frozen=True)
class PublishedTable:
    key: str
    title: str
    unit: str
    row_header: str
    columns: list[str]
    rows: list[tuple[str, list[int | None], int | None]]  # label, cells, row total (None: hidden)
    column_totals: list[int | None]
    total: int | None
    hidden: int


@dataclass(frozen=True)
class Publication:
    programme: str
    start: date
    end: date
    k: int
    tables: list[PublishedTable]
    refused: int  # people left out of the people tables at their request

    @property
    def hidden(self) -> int:
        return sum(t.hidden for t in self.tables)

    def summary(self) -> str:
        return (
            f"{len(self.tables)} tables, {self.hidden} counts hidden, "
            f"{self.refused} people left out at their request (k = {self.k})"
        )


def _counts(pairs, rows: list[str]) -> list[list[int]]:
    """A rows × genders matrix from (row key, gender code, count) triples."""
    index = {key: n for n, key in enumerate(rows)}
    cells = [[0] * len(GENDERS) for _row in rows]
    for key, gender, count in pairs:
        cells[index[key]][COLUMN_OF.get(gender, COLUMN_OF["unknown"])] += count
    return cells


@dataclass(frozen=True)
class _Draft:
    key: str
    title: str
    row_header: str
    labels: list[str]
    cells: list[list[int]]


def _publish(drafts: list[_Draft], unit: str, k: int) -> list[PublishedTable]:
    """Tables of one population (contacts, or people), suppressed together: they share their gender totals."""
    results = suppress_together([d.cells for d in drafts], k=k)
    return [
        PublishedTable(
            key=d.key,
            title=d.title,
            unit=unit,
            row_header=d.row_header,
            columns=gender_labels(),
            rows=[(label, list(row), total) for label, row, total in zip(d.labels, r.cells, r.row_totals, strict=True)],
            column_totals=list(r.column_totals),
            total=r.total,
            hidden=r.hidden,
        )
        for d, r in zip(drafts, results, strict=True)
    ]


def _by_nationality(pairs: list[tuple[str, str, int]], k: int) -> tuple[list[str], list[list[int]]]:
    """Nationalities by name; those with fewer than k in all grouped as "other"; unrecorded last."""
    totals: dict[str, int] = defaultdict(int)
    for code, _gender, count in pairs:
        totals[code] += count
    rare = {code for code, total in totals.items() if code != NOT_RECORDED and total < k}
    grouped = [(OTHER if code in rare else code, gender, count) for code, gender, count in pairs]
    named = sorted((c for c in totals if c not in rare and c != NOT_RECORDED), key=lambda c: countries.name(c) or c)
    keys = named + ([OTHER] if rare else []) + ([NOT_RECORDED] if NOT_RECORDED in totals else [])
    labels = [
        _("Other nationalities") if c == OTHER else _("Not recorded") if c == NOT_RECORDED else countries.name(c) or c
        for c in keys
    ]
    return labels, _counts(grouped, keys)


def contact_tables(*, start: date, end: date, k: int) -> list[PublishedTable]:
    """Outreach contacts (a person met twice counts twice), summed by headcount, in the active scope."""
    return _publish(contact_drafts(start=start, end=end, k=k), _("contacts"), k)


def contact_drafts(*, start: date, end: date, k: int) -> list[_Draft]:
    """The contact tables before suppression (``k`` only groups rare nationalities)."""
    contacts = figures.dated(Contact.objects.all(), start, end)

    def triples(field: str) -> list[tuple[str, str, int]]:
        rows = contacts.values_list(field, "gender").annotate(n=figures.contacts()).order_by()
        return [(str(value or ""), gender, n) for value, gender, n in rows]

    channels = [c.value for c in Channel]
    bands = [b.value for b in AgeBand]
    by_band = [(band or "unknown", gender, n) for band, gender, n in triples("age_band")]
    nationality_labels, nationality_cells = _by_nationality(triples("nationality"), k)
    return [
        _Draft(
            "contacts_channel",
            _("Outreach contacts by channel and gender"),
            _("Channel"),
            [str(c.label) for c in Channel],
            _counts(triples("channel"), channels),
        ),
        _Draft(
            "contacts_age",
            _("Outreach contacts by age band and gender"),
            _("Age band"),
            [str(b.label) for b in AgeBand],
            _counts(by_band, bands),
        ),
        _Draft(
            "contacts_nationality",
            _("Outreach contacts by nationality and gender"),
            _("Nationality"),
            nationality_labels,
            nationality_cells,
        ),
    ]


def reception_tables(*, start: date, end: date, k: int) -> tuple[list[PublishedTable], int]:
    """People with a placement overlapping the period, each counted once; those who refused statistics left out."""
    drafts, refused = reception_drafts(start=start, end=end, k=k)
    return _publish(drafts, _("people"), k), refused


def reception_drafts(*, start: date, end: date, k: int) -> tuple[list[_Draft], int]:
    """The people tables before suppression, and how many people were left out at their request."""
    ids = set(overlapping(Placement.objects.all(), start, end).values_list("person_id", flat=True))
    facts = [f for f in person_facts(ids).values() if not f.statistics_refused]
    kinds = [e.value for e in Exploitation]
    by_kind = [(f.exploitation or "unknown", f.gender, 1) for f in facts]
    nationality_labels, nationality_cells = _by_nationality([(f.nationality, f.gender, 1) for f in facts], k)
    drafts = [
        _Draft(
            "reception_exploitation",
            _("People in reception by type of exploitation and gender"),
            _("Exploitation"),
            [str(e.label) for e in Exploitation],
            _counts(by_kind, kinds),
        ),
        _Draft(
            "reception_nationality",
            _("People in reception by nationality and gender"),
            _("Nationality"),
            nationality_labels,
            nationality_cells,
        ),
    ]
    return drafts, len(ids) - len(facts)


def build(*, programme: Programme, start: date, end: date, k: int) -> Publication:
    """Every table of the programme and period, computed across the whole network."""
    check_k(k)
    with programme_scope(programme):
        tables = contact_tables(start=start, end=end, k=k)
        people, refused = reception_tables(start=start, end=end, k=k)
    return Publication(programme.code, start, end, k, tables + people, refused)


def notes(publication: Publication) -> list[str]:
    return [
        _("Programme %(programme)s, %(start)s – %(end)s: tables for publication.")
        % {
            "programme": publication.programme,
            "start": publication.start.isoformat(),
            "end": publication.end.isoformat(),
        },
        _(
            "%(symbol)s: a count hidden to protect the people it describes, because it is below %(k)s or because "
            "it would let a hidden count be worked out from the totals. Zeros are shown."
        )
        % {"symbol": SYMBOL, "k": publication.k},
        _("Contacts count encounters (a person met twice counts twice); people are counted once."),
    ]


def lines(publication: Publication) -> list[list]:
    """The file's rows: the notes, then each table with its header, its rows and its totals."""
    out: list[list] = [[note] for note in notes(publication)]

    def shown(value: int | None):
        return SYMBOL if value is None else value

    for table in publication.tables:
        out += [[], [f"{table.title} ({table.unit})"], [table.row_header, *table.columns, _("Total")]]
        out += [[label, *map(shown, cells), shown(total)] for label, cells, total in table.rows]
        out.append([_("Total"), *map(shown, table.column_totals), shown(table.total)])
    return out


def to_csv(publication: Publication) -> bytes:
    text = io.StringIO()
    csv_writer(text, lineterminator="\n").writerows(lines(publication))
    return text.getvalue().encode("utf-8")


def to_xlsx(publication: Publication) -> bytes:
    book = new_workbook()
    sheet = book.active
    sheet.title = "tables"
    titles = {f"{t.title} ({t.unit})" for t in publication.tables}
    for row in lines(publication):
        sheet.append(row)
        if row and row[0] in titles:
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


RENDERERS: dict[str, Callable[[Publication], bytes]] = {"csv": to_csv, "xlsx": to_xlsx}


def _checked(*, actor: Actor, start: date, end: date, k: int | None) -> Publication:
    ensure(actor, PERM)
    Period.of(start, end)
    return build(programme=actor.active_membership.programme, start=start, end=end, k=threshold(k))


def preview(*, actor: Actor, start: date, end: date, k: int | None) -> Publication:
    """The tables as they would be published, for the page of the lead entity's coordinators."""
    return _checked(actor=actor, start=start, end=end, k=k)


def export_file(*, actor: Actor, start: date, end: date, k: int | None, fmt: str) -> tuple[Publication, bytes]:
    """The file for the actor's programme, with its audit row."""
    publication = _checked(actor=actor, start=start, end=end, k=k)
    content = RENDERERS[fmt](publication)
    record(
        actor=actor,
        action=Action.EXPORT,
        object_type="reports.publication",
        object_id=publication.programme,
        reason=f"{start}–{end} as {fmt}: {publication.summary()}",
    )
    return publication, content
