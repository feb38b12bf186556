"""The programme dashboard: targets against results, monthly trends, breakdowns, occupancy, and the
records behind every number (the drill-down).

Selectors over the acting user's scope, which the request has entered: the coordinator or the
Ufficio Filtro at the lead entity sees every partner's records, a partner's coordinator only their
own organisation's (contacts and referrals they recorded, people hosted in the structures they
manage). The totals follow the funder summary's counting rules (approdi/outreach/figures.py,
approdi/shelter/figures.py), counted from the breakdowns' own scans, so the dashboard and the summary
agree for the lead entity (tests/reports/test_one_counting_rule.py); the months split the same rows.

The drill-down lists records as codes and ids, never names: the identity fields are not even read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db import models
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approdi.accounts.actor import Actor
from approdi.accounts.scoping import is_network_wide
from approdi.core.labels import country, label
from approdi.core.period import Period
from approdi.core.permissions import ensure
from approdi.directory.models import Body, BodyType
from approdi.network.models import Area, Organisation, Programme, Target
from approdi.outreach import figures, tally
from approdi.outreach.codes import Channel, Exploitation, Sector, SourceType, TargetGroup
from approdi.outreach.models import Contact, Referral
from approdi.people.codes import Gender
from approdi.reports.common.charts import number
from approdi.shelter.beds import beds_on, capacity_table
from approdi.shelter.figures import hosted_people, hosted_split, occupancy, overlapping, reception, reception_of
from approdi.shelter.models import RESERVED_PLACE_TYPES, Placement, Structure, StructureType
from approdi.training import figures as training
from approdi.training.models import Event, EventKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PERM = "reports.view_dashboard"
NONE = "-"  # the drill-down's value for "not recorded"


@dataclass(frozen=True)
class Measure:
    code: str
    label: StrOrPromise
    source: str  # contacts, referrals, placements or structures
    channel: str = ""


MEASURES = {
    m.code: m
    for m in (
        Measure("contacts", gettext_lazy("Contacts (all channels)"), "contacts"),
        Measure("street", gettext_lazy("Street-unit contacts"), "contacts", Channel.STREET),
        Measure("indoor", gettext_lazy("Indoor contacts"), "contacts", Channel.INDOOR),
        Measure("drop_in", gettext_lazy("Low-threshold accesses"), "contacts", Channel.DROP_IN),
        Measure("referred", gettext_lazy("People referred by other bodies"), "referrals"),
        Measure("referrals", gettext_lazy("Referrals received"), "referrals"),
        Measure("reception", gettext_lazy("People in residential reception"), "placements"),
        Measure("new_reception", gettext_lazy("People entering residential reception"), "placements"),
        Measure("structures", gettext_lazy("Structures open on the last day"), "structures"),
    )
}

# Per source, per dimension: the lookup of the code and, where the code is not readable, of its name.
FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "contacts": {
        "area": ("area__code", "area__name"),
        "organisation": ("organisation__code", "organisation__name"),
        "channel": ("channel", ""),
        "exploitation": ("exploitation", ""),
        "nationality": ("nationality", ""),
        "gender": ("gender", ""),
        "sector": ("sector", ""),
        "target_group": ("target_group", ""),
        "referred_to": ("referred_to", ""),
    },
    "referrals": {
        "organisation": ("organisation__code", "organisation__name"),
        "exploitation": ("exploitation", ""),
        "nationality": ("nationality", ""),
        "gender": ("gender", ""),
        "source_type": ("source_type", ""),
        "sector": ("sector", ""),
        "target_group": ("target_group", ""),
        "referring_body": ("referring_body", ""),
    },
    "placements": {
        "area": ("structure__area__code", "structure__area__name"),
        "organisation": ("structure__organisation__code", "structure__organisation__name"),
        "nationality": ("person__nationality", ""),
        "gender": ("person__gender", ""),
        "structure_type": ("structure__type", ""),
    },
    "structures": {
        "structure_type": ("type", ""),
        "area": ("area__code", "area__name"),
        "organisation": ("organisation__code", "organisation__name"),
    },
}
DIMENSIONS = {
    "area": gettext_lazy("Area"),
    "organisation": gettext_lazy("Partner organisation"),
    "channel": gettext_lazy("Channel"),
    "exploitation": gettext_lazy("Exploitation type"),
    "nationality": gettext_lazy("Nationality"),
    "gender": gettext_lazy("Gender"),
    "structure_type": gettext_lazy("Type of structure"),
    "source_type": gettext_lazy("Source"),
    "sector": gettext_lazy("Employment sector"),
    "target_group": gettext_lazy("Target group"),
    "referred_to": gettext_lazy("Service referred to"),
    "referring_body": gettext_lazy("Referring body"),
    "desks": gettext_lazy("Desk of the city"),
}
CHOICES: dict[str, type[models.Choices]] = {
    "channel": Channel,
    "exploitation": Exploitation,
    "gender": Gender,
    "structure_type": StructureType,
    "source_type": SourceType,
    "sector": Sector,
    "target_group": TargetGroup,
}
# The breakdown tables: dimension, title, columns; the chart shows the column named last.
BREAKDOWNS = [
    ("area", gettext_lazy("By area"), ["contacts", "street", "indoor", "drop_in", "reception"], "contacts"),
    (
        "organisation",
        gettext_lazy("By partner organisation"),
        ["contacts", "street", "indoor", "drop_in", "referred", "reception"],
        "contacts",
    ),
    ("channel", gettext_lazy("By channel"), ["contacts"], "contacts"),
    ("exploitation", gettext_lazy("By exploitation type"), ["contacts", "referred"], "contacts"),
    ("nationality", gettext_lazy("By nationality"), ["contacts", "referred", "reception"], "contacts"),
    ("gender", gettext_lazy("By gender"), ["contacts", "referred", "reception"], "reception"),
]
# The labour-exploitation desk's breakdowns (seed 002), shown for the editions that ask for them
# (``Programme.labour_breakdown``): desk accesses and referrals by the sector and the target group they record.
LABOUR_BREAKDOWNS = [
    ("sector", gettext_lazy("By employment sector"), ["drop_in", "referrals"], "drop_in"),
    ("target_group", gettext_lazy("By target group"), ["drop_in", "referrals"], "drop_in"),
]
MONTHLY = ["street", "indoor", "drop_in", "referrals", "new_reception"]
TARGET_MEASURES = {
    Target.Indicator.STREET_CONTACTS: "street",
    Target.Indicator.INDOOR_CONTACTS: "indoor",
    Target.Indicator.LOW_THRESHOLD_ACCESSES: "drop_in",
    Target.Indicator.PERSONS_REFERRED: "referred",
    Target.Indicator.PEOPLE_IN_RECEPTION: "reception",
    Target.Indicator.TRAINING_EVENTS: "training_events",
    Target.Indicator.TRAINING_PARTICIPANTS: "training_participants",
    Target.Indicator.TRAINING_BODIES: "training_bodies",
}
# Training and awareness (approdi/training/figures.py): counted by its own rule, shown without a drill-down (the
# events' page lists them); a partner's coordinator counts the events her organisation organised.
TRAINING_MEASURES = {f"training_{key}": key for key in training.KEYS}


@dataclass(frozen=True)
class Cell:
    value: int
    drill: str  # the drill-down's query, without the period; "" for a figure without one

    @property
    def display(self) -> str:
        return number(self.value)


@dataclass
class Row:
    code: str  # "" when not recorded
    label: str
    cells: list[Cell]


@dataclass
class Table:
    key: str
    title: str
    columns: list[Measure]
    rows: list[Row]
    totals: list[Cell]
    chart_column: int = 0
    note: str = ""
    heading: str = ""  # the header of the rows' labels


@dataclass
class TargetRow:
    indicator: str
    label: str
    result: Cell
    target: int | None
    description: str

    @property
    def percent(self) -> int | None:
        return round(100 * self.result.value / self.target) if self.target else None


@dataclass
class Dashboard:
    programme: Programme
    start: date
    end: date
    network_wide: bool
    organisations: list[str]  # the organisations whose records are counted, when not every partner's
    targets: list[TargetRow]
    monthly: Table
    breakdowns: list[Table]
    occupancy: list[dict]
    capacity: list[dict]
    capacity_total: dict
    figures: dict = field(default_factory=dict)
    training: Table | None = None


def drill(measure: str, *, dimension: str = "", value: str = "", month: str = "") -> str:
    query = {"measure": measure}
    if dimension:
        query |= {"dimension": dimension, "value": value or NONE}
    if month:
        query["month"] = month
    return urlencode(query)


def label_of(dimension: str, code: str, name: str = "") -> str:
    if not code:
        return _("not recorded")
    if name:
        return name
    if dimension == "nationality":
        return country(code)
    choices = CHOICES.get(dimension)
    return label(choices, code) if choices is not None else code


# Base querysets: the scope of the request decides which organisations' rows exist.


def _placements() -> QuerySet[Placement]:
    """Stays in the structures the actor's scope holds (a partner sees its own structures' residents)."""
    return Placement.objects.filter(structure__in=Structure.objects.values("pk"))


def _source_rows(source: str, start: date, end: date) -> QuerySet:
    """The rows of the period a measure counts from: contacts and referrals dated in it, stays overlapping it."""
    if source == "contacts":
        return Contact.objects.filter(date__gte=start, date__lte=end)
    if source == "referrals":
        return Referral.objects.filter(date__gte=start, date__lte=end)
    if source == "placements":
        return overlapping(_placements(), start, end)
    raise Http404  # structures are counted on a day, not over a period


def _measure_filter(measure: Measure) -> Q | None:
    if measure.channel:
        return Q(channel=measure.channel)
    if measure.code == "referred":  # §9: referrals from other bodies only
        return figures.FROM_BODIES
    return None


def _period_rows(measure: Measure, start: date, end: date) -> QuerySet:
    if measure.code == "new_reception":
        raise Http404  # counted from each person's first stay: see _first_entries
    rows = _source_rows(measure.source, start, end)
    condition = _measure_filter(measure)
    return rows if condition is None else rows.filter(condition)


def _aggregate(measure: Measure) -> dict:
    """The aggregate of one measure over its source's rows: the funder summary's own expressions (§9)."""
    if measure.source == "contacts":
        return {measure.code: figures.contacts(_measure_filter(measure))}
    if measure.code == "referred":  # a referral without code is a person of its own
        return figures.referred_aggregates(measure.code)
    if measure.code == "referrals":
        return {measure.code: Count("id")}
    return {measure.code: hosted_people()}


def _value(measure: Measure, row: dict) -> int:
    if measure.code == "referred":
        return figures.referred_value(row, measure.code)
    return row[measure.code] or 0


def _first_entries(start: date, end: date, *fields: str) -> QuerySet:
    """People whose first stay (in the structures in scope) starts in the period, with that day (``first``).

    A stay starting in the period and none in scope before it: a year's range of stays, each person looked up once,
    instead of every person's first day over the programme's whole history.
    """
    earlier = _placements().filter(person_id=OuterRef("person_id"), start__lt=start)
    return (
        _placements()
        .filter(start__gte=start, start__lte=end)
        .exclude(Exists(earlier))
        .order_by()
        .values(*fields)
        .annotate(first=Min("start"))
    )


def _order(dimension: str, rows: list[Row]) -> list[Row]:
    """Coded dimensions in the order of their codes, others by their figures; "not recorded" last."""
    choices = CHOICES.get(dimension)
    if choices is not None:
        position = {code: n for n, code in enumerate(choices.values)}
        rows.sort(key=lambda r: (not r.code, position.get(r.code, len(position)), r.label))
    elif dimension == "nationality":
        rows.sort(key=lambda r: (not r.code, -r.cells[0].value, r.label))
    else:
        rows.sort(key=lambda r: (not r.code, r.label.lower()))
    return rows


# Every breakdown is read in one scan per source, grouped by all its dimensions at once, and added up here: the
# contacts in two scans (a contact figure is a sum of headcounts, so the sums of the groups are the figures), the
# people referred and the people in reception in one each (their rules count distinct people in every value).
CONTACT_SCANS = (("area", "organisation", "channel"), ("exploitation", "nationality", "gender"))
CONTACT_MEASURES = {m.channel: m.code for m in MEASURES.values() if m.source == "contacts" and m.channel}
PEOPLE_SPLITS = {
    "referred": [key for key, _title, columns, _chart in BREAKDOWNS if "referred" in columns],
    "reception": [*(key for key, _title, columns, _chart in BREAKDOWNS if "reception" in columns), "structure_type"],
}
Split = dict[str, tuple[str, dict[str, int]]]  # {code: (name, {measure: value})} of one dimension
Counts = dict[str, dict[Any, Counter]]  # {dimension: {value as grouped (an id for areas and organisations): counts}}
NAMED: dict[str, type[Area] | type[Organisation]] = {"area": Area, "organisation": Organisation}


def _id_of(lookup: str) -> str:
    """The column an area or organisation is grouped by: its id, named afterwards in one query of a few rows."""
    return lookup.replace("__code", "_id")


def _contact_counts(start: date, end: date) -> tuple[Counts, dict[str, Counter]]:
    """The contacts of the period split by every dimension of the contacts' breakdowns, and by month and channel.

    From the monthly tally (``outreach.tally``: the months wholly in the period; the days of a partial month from
    the contacts): every contact is in one row of each tally dimension, so each dimension's rows add up to the
    contacts. Its "area" rows also give the organisation, the channel and the month.
    """
    summed: dict[tuple[str, Any, str], int] = {}
    by_month: dict[str, Counter] = {}
    for month, organisation, channel, dimension, value, headcounts in tally.rows(start, end):
        if dimension == "area":
            for key in (("area", int(value) if value else None), ("organisation", organisation), ("channel", channel)):
                summed[(*key, channel)] = summed.get((*key, channel), 0) + headcounts
            if channel in CONTACT_MEASURES:
                by_month.setdefault(month.strftime("%Y-%m"), Counter())[CONTACT_MEASURES[channel]] += headcounts
        else:
            summed[(dimension, value, channel)] = summed.get((dimension, value, channel), 0) + headcounts
    counts: Counts = {}
    for (dimension, value, channel), headcounts in summed.items():
        counted = counts.setdefault(dimension, {}).setdefault(value, Counter())
        counted["contacts"] += headcounts
        if channel in CONTACT_MEASURES:
            counted[CONTACT_MEASURES[channel]] += headcounts
    return counts, by_month


def _people_counts(measure: str, start: date, end: date) -> tuple[int, Counts]:
    """The people referred or in reception, in all and split by the dimensions of their breakdowns, by their rule."""
    dimensions = PEOPLE_SPLITS[measure]
    source = MEASURES[measure].source
    keys = [_id_of(FIELDS[source][d][0]) for d in dimensions]
    split = figures.referred_split if measure == "referred" else hosted_split
    total, counted = split(_source_rows(source, start, end), keys)
    return total, {
        dimension: {value: Counter({measure: people}) for value, people in counted[key].items()}
        for dimension, key in zip(dimensions, keys, strict=True)
    }


def _splits(counts: dict[str, Counts]) -> dict[str, dict[str, Split]]:
    """{source: {dimension: split}}: the values as codes with their names (one query per model named)."""
    ids: dict[str, set[Any]] = {dimension: set() for dimension in NAMED}
    for by_dimension in counts.values():
        for dimension in NAMED:
            ids[dimension] |= set(by_dimension.get(dimension, {})) - {None}
    names = {
        dimension: {
            pk: (code, name)
            for pk, code, name in NAMED[dimension].objects.filter(pk__in=pks).values_list("pk", "code", "name")
        }
        for dimension, pks in ids.items()
    }
    splits: dict[str, dict[str, Split]] = {}
    for source, by_dimension in counts.items():
        for dimension, values in by_dimension.items():
            split = splits.setdefault(source, {}).setdefault(dimension, {})
            for value, counted in values.items():
                code, name = names[dimension].get(value, ("", "")) if dimension in names else (value or "", "")
                split.setdefault(code, (name, Counter()))[1].update(counted)
    return splits


def _breakdown(key, title, columns, chart, *, totals: dict[str, int], splits: dict[str, dict[str, Split]]) -> Table:
    measures = [MEASURES[c] for c in columns]
    split: dict[str, tuple[str, dict]] = {}
    for source in dict.fromkeys(m.source for m in measures):  # in column order
        for code, (name, values) in splits.get(source, {}).get(key, {}).items():
            known = split.setdefault(code, (name, {}))
            known[1].update({m.code: values[m.code] for m in measures if m.source == source and m.code in values})
            if name and not known[0]:
                split[code] = (name, known[1])
    rows = [
        Row(
            code,
            label_of(key, code, name),
            [Cell(values.get(m.code, 0), drill(m.code, dimension=key, value=code)) for m in measures],
        )
        for code, (name, values) in sorted(split.items())
    ]
    distinct = [m for m in measures if m.code in ("referred", "reception")]
    note = ""
    if distinct and key in ("area", "organisation", "nationality", "gender", "exploitation"):
        note = _(
            "People are counted once in the total and once in every row they belong to, so the rows "
            "of %(columns)s may add up to more than the total."
        ) % {"columns": ", ".join(str(m.label).lower() for m in distinct)}
    return Table(
        key=key,
        title=str(title),
        columns=measures,
        rows=_order(key, rows),
        totals=[Cell(totals[m.code], drill(m.code)) for m in measures],
        chart_column=columns.index(chart),
        note=note,
        heading=str(DIMENSIONS[key]),
    )


def _labour_breakdowns(start: date, end: date) -> list[Table]:
    """Desk accesses (their headcounts, §9) and referrals of the period by sector and by target group.

    Read from the records (the tally keeps no sector): one scan of each source grouped by both dimensions, added up
    here. Every record is in one row of each table ("not recorded" included), so the rows add up to the totals.
    """
    drop_in = MEASURES["drop_in"]
    accesses = (
        _period_rows(drop_in, start, end)
        .order_by()
        .values_list("sector", "target_group")
        .annotate(n=figures.contacts())
    )
    referrals = (
        _source_rows("referrals", start, end).order_by().values_list("sector", "target_group").annotate(n=Count("id"))
    )
    counts: dict[str, dict[str, Counter]] = {"sector": {}, "target_group": {}}
    for measure, rows in (("drop_in", accesses), ("referrals", referrals)):
        for sector, group, n in rows:
            counts["sector"].setdefault(sector, Counter())[measure] += n or 0
            counts["target_group"].setdefault(group, Counter())[measure] += n or 0
    tables = []
    for key, title, columns, chart in LABOUR_BREAKDOWNS:
        measures = [MEASURES[c] for c in columns]
        rows = [
            Row(
                code,
                label_of(key, code),
                [Cell(counted[m.code], drill(m.code, dimension=key, value=code)) for m in measures],
            )
            for code, counted in counts[key].items()
        ]
        totals = [Cell(sum(c[m.code] for c in counts[key].values()), drill(m.code)) for m in measures]
        tables.append(
            Table(
                key=key,
                title=str(title),
                columns=measures,
                rows=_order(key, rows),
                totals=totals,
                chart_column=columns.index(chart),
                heading=str(DIMENSIONS[key]),
            )
        )
    return tables


def _desks(programme: Programme, start: date, end: date) -> Table:
    """Referrals to and from the city's desks (the directory's bodies of the municipality): both ways.

    From a desk: the referrals whose referring body is its name. To a desk: the desk accesses referred to it. The
    forms offer the directory's names (a ``datalist``), so a desk is found by its name as the directory writes it.
    """
    names = list(
        Body.objects.filter(programme=programme, type=BodyType.MUNICIPALITY)
        .order_by("name")
        .values_list("name", flat=True)
    )
    drop_in, received = MEASURES["drop_in"], MEASURES["referrals"]
    to_desk = Counter(
        dict(
            _period_rows(drop_in, start, end)
            .filter(referred_to__in=names)
            .order_by()
            .values_list("referred_to")
            .annotate(n=figures.contacts())
        )
    )
    from_desk = Counter(
        dict(
            _source_rows("referrals", start, end)
            .filter(referring_body__in=names)
            .order_by()
            .values_list("referring_body")
            .annotate(n=Count("id"))
        )
    )
    rows = [
        Row(
            name,
            name,
            [
                Cell(from_desk[name], drill(received.code, dimension="referring_body", value=name)),
                Cell(to_desk[name], drill(drop_in.code, dimension="referred_to", value=name)),
            ],
        )
        for name in names
    ]
    columns = [
        Measure("from_desk", gettext_lazy("Referrals received from the desk"), "referrals"),
        Measure("to_desk", gettext_lazy("Desk accesses referred to the desk"), "contacts", Channel.DROP_IN),
    ]
    # No drill-down behind the totals: the records of every desk at once are the rows' records.
    totals = [Cell(sum(from_desk.values()), ""), Cell(sum(to_desk.values()), "")]
    return Table(
        key="desks",
        title=_("With the city's desks"),
        columns=columns,
        rows=rows,
        totals=totals,
        note=_(
            "The desks are the directory's bodies of the municipality. The totals count only the referrals to and "
            "from them."
        ),
        heading=str(DIMENSIONS["desks"]),
    )


def months_of(start: date, end: date) -> list[date]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def _monthly(start: date, end: date, contacts: dict[str, Counter]) -> Table:
    # The contacts by month and channel come from the tally (``_contact_counts``); the referrals are grouped by day
    # and added up by month here: truncating every row to its month is a function call per row (in Python, on SQLite).
    by_month: dict[str, Counter] = {month: Counter(counted) for month, counted in contacts.items()}
    referrals = (
        Referral.objects.filter(date__gte=start, date__lte=end)
        .order_by()
        .values("date")
        .annotate(referrals=Count("id"))
    )
    for day_row in referrals:
        by_month.setdefault(day_row["date"].strftime("%Y-%m"), Counter())["referrals"] += day_row["referrals"]
    # The first days alone, counted by day: the people's codes (a join to every person) are the drill-down's.
    for first in _first_entries(start, end, "person_id").values_list("first", flat=True):
        by_month.setdefault(first.strftime("%Y-%m"), Counter())["new_reception"] += 1
    measures = [MEASURES[c] for c in MONTHLY]
    rows = []
    for month in months_of(start, end):
        key = month.strftime("%Y-%m")
        counts = by_month.get(key, Counter())
        rows.append(
            Row(key, month.strftime("%m/%Y"), [Cell(counts[m.code], drill(m.code, month=key)) for m in measures])
        )
    totals = [Cell(sum(r.cells[n].value for r in rows), drill(m.code)) for n, m in enumerate(measures)]
    return Table("monthly", _("Month by month"), measures, rows, totals, heading=_("Month"))


def _totals(membership, start: date, end: date) -> dict[str, int]:
    """The measures the targets are set on, in the actor's scope: contacts from the tally, people by their rule."""
    totals = dict.fromkeys(CONTACT_MEASURES.values(), 0)
    for _month, _organisation, channel, _dimension, _value, headcounts in tally.rows(start, end, dimension="area"):
        if channel in CONTACT_MEASURES:
            totals[CONTACT_MEASURES[channel]] += headcounts
    totals["referred"] = figures.persons_referred_by_bodies(Referral.objects.all(), start=start, end=end)
    totals["reception"] = reception(_placements(), start=start, end=end)["total"]
    totals["contacts"] = totals["street"] + totals["indoor"] + totals["drop_in"]
    return totals | _training_totals(membership, start, end)


def _training_events(membership) -> QuerySet[Event]:
    """The events in the actor's scope: the programme's, or those her organisation organised (not network-wide)."""
    found = Event.objects.filter(programme_id=membership.programme_id)
    return found if is_network_wide(membership) else found.filter(organiser_id=membership.organisation_id)


def _training_totals(membership, start: date, end: date) -> dict[str, int]:
    counted = training.training_figures(_training_events(membership), start=start, end=end)
    return {measure: counted[key] for measure, key in TRAINING_MEASURES.items()}


TRAINING_COLUMNS = [
    Measure("training_events", gettext_lazy("Training and awareness events"), "training"),
    Measure("training_participants", gettext_lazy("Participants"), "training"),
]


def _training_table(membership, start: date, end: date, totals: dict[str, int]) -> Table:
    """Events and participants by type of event; the bodies, distinct over all types, are in the note."""
    split = training.by_kind(_training_events(membership), start=start, end=end)
    rows = [
        Row(
            kind,
            label(EventKind, kind),
            [Cell(split[kind][m.code.removeprefix("training_")], "") for m in TRAINING_COLUMNS],
        )
        for kind in EventKind.values
    ]
    note = _("Participants came from %(bodies)s bodies (each counted once).") % {
        "bodies": number(totals["training_bodies"])
    }
    return Table(
        "training",
        _("Training, awareness and capacity building"),
        TRAINING_COLUMNS,
        rows,
        [Cell(totals[m.code], "") for m in TRAINING_COLUMNS],
        note=note,
        heading=_("Type of event"),
    )


def _target_rows(programme, totals: dict[str, int]) -> list[TargetRow]:
    targets = {t.indicator: t for t in Target.objects.filter(programme=programme)}
    return [
        TargetRow(
            indicator=indicator.value,
            label=str(indicator.label),
            result=Cell(totals[measure], "" if measure in TRAINING_MEASURES else drill(measure)),
            target=targets[indicator].value if indicator in targets else None,
            description=targets[indicator].description if indicator in targets else "",
        )
        for indicator, measure in TARGET_MEASURES.items()
    ]


def targets_vs_results(*, actor: Actor, start: date, end: date) -> list[TargetRow]:
    """The dashboard's first table alone (a coordinator's home page): each target beside the result so far."""
    ensure(actor, PERM)
    Period.of(start, end)
    return _target_rows(actor.active_membership.programme, _totals(actor.active_membership, start, end))


def dashboard(*, actor: Actor, start: date, end: date) -> Dashboard:
    """Everything the dashboard shows for the actor's programme and scope, in a fixed number of queries."""
    ensure(actor, PERM)
    Period.of(start, end)
    membership = actor.active_membership
    programme = membership.programme
    network_wide = is_network_wide(membership)
    # The totals are the funder summary's figures (§9) counted from the breakdowns' own scans: contacts are the sums
    # of their groups, people are counted once over the same distinct rows (referred_split, hosted_split).
    contacts, contact_months = _contact_counts(start, end)
    referred, referrals = _people_counts("referred", start, end)
    hosted_total, placements = _people_counts("reception", start, end)
    by_channel = contacts.get("channel", {}).values()
    totals = {measure: sum(c[measure] for c in by_channel) for measure in CONTACT_MEASURES.values()}
    totals |= {"referred": referred, "reception": hosted_total}
    totals["contacts"] = totals["street"] + totals["indoor"] + totals["drop_in"]
    totals |= _training_totals(membership, start, end)
    hosted = reception_of(hosted_total, {g: c["reception"] for g, c in placements.get("gender", {}).items()})
    target_rows = _target_rows(programme, totals)
    # the dashboard shows bed-nights by type; its people in reception come from the placements' scan above
    used = occupancy(
        Structure.objects.defer(*Structure.SECRET_FIELDS), _placements(), start, end, people_by_gender=False
    )
    splits = _splits({"contacts": contacts, "referrals": referrals, "placements": placements})
    people_by_type = splits["placements"].get("structure_type", {})
    occupancy_rows = [
        {
            **row,
            "label": label_of("structure_type", row["type"]),
            "people": Cell(
                people_by_type.get(row["type"], ("", {}))[1].get("reception", 0),
                drill("reception", dimension="structure_type", value=row["type"]),
            ),
        }
        for row in used["by_type"]
    ]
    table, total = capacity_table(Structure.objects.all(), end)
    capacity = [
        {
            **row,
            "label": label_of("structure_type", row["type"]),
            "drill": drill("structures", dimension="structure_type", value=row["type"]),
        }
        for row in table
    ]
    organisations = [] if network_wide else [membership.organisation.name]
    return Dashboard(
        programme=programme,
        start=start,
        end=end,
        network_wide=network_wide,
        organisations=organisations,
        targets=target_rows,
        monthly=_monthly(start, end, contact_months),
        breakdowns=[
            *(_breakdown(*spec, totals=totals, splits=splits) for spec in BREAKDOWNS),
            *([*_labour_breakdowns(start, end), _desks(programme, start, end)] if programme.labour_breakdown else []),
        ],
        occupancy=occupancy_rows,
        capacity=capacity,
        capacity_total={**total, "drill": drill("structures")},
        figures={**totals, "reception_by_gender": hosted},
        training=_training_table(membership, start, end, totals),
    )


# The drill-down: the records behind one number.


@dataclass
class Drilldown:
    measure: Measure
    start: date
    end: date
    dimension: str
    value: str
    value_label: str
    month: str
    kind: str  # contacts, referrals, people or structures: which columns the rows have
    rows: object  # a queryset of dicts (or a list for structures), ready to paginate
    total: int
    records: int
    beds: int | None = None


def _month_period(month: str, start: date, end: date) -> tuple[date, date]:
    try:
        first = date(int(month[:4]), int(month[5:7]), 1)
    except ValueError:
        raise Http404 from None
    if len(month) != 7 or month[4] != "-":
        raise Http404
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return max(first, start), min(last, end)


def drilldown(
    *, actor: Actor, measure: str, start: date, end: date, dimension: str = "", value: str = "", month: str = ""
) -> Drilldown:
    """The records behind one number of the dashboard, as codes and ids, within the actor's scope.

    An unknown measure, dimension or month answers 404; a value outside the scope simply has no rows.
    """
    ensure(actor, PERM)
    wanted = MEASURES.get(measure)
    if wanted is None or (dimension and dimension not in FIELDS[wanted.source]):
        raise Http404
    Period.of(start, end)
    if month:
        start, end = _month_period(month, start, end)
    code = "" if value == NONE else value
    lookup: dict = {}
    name = ""
    if dimension:
        if wanted.code == "new_reception":  # counted by month only
            raise Http404
        code_field, name_field = FIELDS[wanted.source][dimension]
        if code:
            lookup = {code_field: code}
            name = _name(dimension, code) if name_field else ""
        elif code_field.endswith("__code"):  # a missing link, such as a contact without area
            lookup = {code_field.removesuffix("__code") + "__isnull": True}
        else:
            lookup = {code_field: ""}
    common: dict[str, Any] = {
        "measure": wanted,
        "start": start,
        "end": end,
        "dimension": dimension,
        "value": code,
        "value_label": label_of(dimension, code, name) if dimension else "",
        "month": month,
    }
    if wanted.source == "structures":
        return _structures_drill(common, lookup)
    if wanted.code == "new_reception":
        rows = _first_entries(start, end, "person_id", "person__code").order_by("first", "person__code")
        count = rows.count()
        return Drilldown(**common, kind="entries", rows=rows, total=count, records=count)
    rows = _period_rows(wanted, start, end).filter(**lookup)
    totals = rows.order_by().aggregate(**_aggregate(wanted))
    total = _value(wanted, totals)
    if wanted.source == "contacts":
        listed = rows.values(
            "id", "date", "channel", "headcount", "person_code", "organisation__code", "area__code"
        ).order_by("date", "id")
        return Drilldown(**common, kind="contacts", rows=listed, total=total, records=listed.count())
    if wanted.source == "referrals":
        listed = rows.values("id", "date", "source_type", "person_code", "organisation__code").order_by("date", "id")
        return Drilldown(**common, kind="referrals", rows=listed, total=total, records=listed.count())
    people = (
        rows.values("person_id", "person__code")
        .annotate(stays=Count("id"), first=Min("start"))
        .order_by("person__code")
    )
    return Drilldown(**common, kind="people", rows=people, total=total, records=total)


def _name(dimension: str, code: str) -> str:
    if dimension == "organisation":
        return Organisation.objects.filter(code=code).values_list("name", flat=True).first() or code
    if dimension == "area":
        return Area.objects.filter(code=code).values_list("name", flat=True).first() or code
    return ""


def _structures_drill(common: dict, lookup: dict) -> Drilldown:
    """Structures open on the period's last day, with their beds then (reserved places: beds, no structure)."""
    day = common["end"]
    rows: list[dict[str, Any]] = []
    structures = (
        Structure.objects.filter(**lookup)
        .select_related("area", "organisation")
        .defer(*Structure.SECRET_FIELDS)
        .prefetch_related("capacity_changes")
        .order_by("code")
    )
    for structure in structures:
        beds = beds_on(structure, day, list(structure.capacity_changes.all()))
        if beds:
            rows.append(
                {
                    "code": structure.code,
                    "type": structure.type,
                    "area": structure.area.code,
                    "organisation": structure.organisation.code,
                    "beds": beds,
                    "reserved": structure.type in RESERVED_PLACE_TYPES,
                }
            )
    counted = sum(1 for r in rows if not r["reserved"])
    return Drilldown(
        **common,
        kind="structures",
        rows=rows,
        total=counted,
        records=len(rows),
        beds=sum(r["beds"] for r in rows),
    )
