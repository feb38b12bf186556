"""The anonymised case-level export in HTCDS 2.0, k-anonymised (docs/disclosure.md).

One row per person of the programme whose path touches the period (a referral dated in it, a
placement or case overlapping it, an entry record in it), with only the fields of ``FIELDS``, in
the standard's names and codes (``data/htcds_2_0.json``, extracted from the standard by
``data/extract_htcds.py``). No names, no dates of birth, no free text, no person code.

k-anonymity on the quasi-identifiers of ``QUASI_IDENTIFIERS``: rows whose combination of them is
shared by fewer than k rows are generalised, one step at a time (``STEPS``: local recoding, only
those rows), and whatever is still in a class smaller than k is left out. Every class of the file
has at least k rows.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from approdi.accounts.actor import Actor
from approdi.accounts.scoping import programme_scope
from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.cases.models import Case
from approdi.core.period import Period
from approdi.core.permissions import ensure
from approdi.core.spreadsheets import csv_writer, new_workbook
from approdi.intake.models import Assessment, Screening
from approdi.network.models import Programme
from approdi.outreach.models import Referral
from approdi.people.models import Consent, ConsentPurpose, Person, ProgrammeRecord
from approdi.shelter.figures import overlapping
from approdi.shelter.models import Placement

from .suppression import check_k

PERM = "reports.export_anonymised"
STANDARD_FILE = Path(__file__).with_name("data") / "htcds_2_0.json"
FORMATS = ("csv", "xlsx")


@cache
def standard() -> dict:
    return json.loads(STANDARD_FILE.read_text(encoding="utf-8"))


def field_names() -> set[str]:
    return {f["name"] for f in standard()["fields"]}


def code_list(name: str) -> list[str] | None:
    """The codes a picklist field allows (None: free, or codes of another standard such as ISO 3166)."""
    return next(f["codes"] for f in standard()["fields"] if f["name"] == name)


# --- Thresholds ---------------------------------------------------------


def threshold(k: int | None = None) -> int:
    """The k of one export: the network's (APPRODI_SMALL_CELL_K) unless a higher one is asked for."""
    floor = settings.APPRODI_SMALL_CELL_K
    if k is None:
        return floor
    if k < floor:
        raise ValidationError(
            {"k": [_("The threshold cannot be lower than the network's, %(k)s.") % {"k": floor}]}, code="k_too_low"
        )
    return check_k(k)


# --- From Approdi's codes to the standard's ------------------------------------------------------------

GENDER = {
    "woman": "Feminine",
    "man": "Masculine",
    "trans_woman": "TransgenderFeminine",
    "trans_man": "TransgenderMasculine",
    "non_binary": "NonConforming",
    "unknown": "NonSpecifiedUnknown",
    "": "NonSpecifiedUnknown",
}
# HTCDS 2.0 has no code for forced criminality: "illegal economies" go to Other.
EXPLOITATION = {
    "sexual": "SexualExploitation",
    "labour": "ForcedLabour",
    "begging": "ForcedBegging",
    "illegal_economies": "Other",
    "forced_marriage": "ForcedMarriage",
    "other": "Other",
}
# ISIC rev. 4 sections of the standard; Approdi's "other" sector has no section.
INDUSTRY = {
    "agriculture": "A_AgricultureForestryAndFishing",
    "construction": "F_Construction",
    "logistics": "H_TransportationAndStorage",
    "restaurants": "I_AccommodationAndFoodServiceActivities",
    "hotels": "I_AccommodationAndFoodServiceActivities",
    "domestic_work": "T_ActivitiesOfHouseholdsAsEmployers",
}
# The operator's conclusion of the latest screening. The network's identification is not a
# judicial finding: a presumed victim is a *possible* victim in the standard's terms.
TRAFFICKING_STATUS = {
    "presumed_victim": "PossibleVictimOfTrafficking",
    "not_victim": "NotAVictimOfTrafficking",
}

# Columns of the file, in the order of the standard's toolkit template.
FIELDS = (
    "prs_Gender",
    "prs_Citizenship",
    "vic_TraffickingStatus",
    "vic_TypeOfExploitation",
    "vic_ForcedLabourIndustry",
    "cas_Status",
    "cas_IncomingReferralDate",
)
# What someone who knows the person could know about her: the combination k-anonymity protects.
QUASI_IDENTIFIERS = (
    "prs_Gender",
    "prs_Citizenship",
    "vic_TypeOfExploitation",
    "vic_ForcedLabourIndustry",
    "cas_IncomingReferralDate",
)


@dataclass(frozen=True)
class Step:
    field: str
    generalise: Callable[[str], str]


RARE_GENDERS = {"TransgenderFeminine", "TransgenderMasculine", "NonConforming"}
# Applied in this order to the rows of classes smaller than k, least useful detail first.
STEPS = (
    Step("vic_ForcedLabourIndustry", lambda value: ""),
    Step("cas_IncomingReferralDate", lambda value: ""),  # already coarsened to the year: now withheld
    Step("prs_Citizenship", lambda value: ""),
    Step("prs_Gender", lambda value: "NonSpecifiedUnknown" if value in RARE_GENDERS else value),
    Step("vic_TypeOfExploitation", lambda value: ""),
)

Row = dict[str, str]


@dataclass
class Anonymised:
    rows: list[Row]
    k: int
    generalised: int  # rows with at least one value generalised, among those exported
    suppressed: int  # rows left out because their class stayed smaller than k
    by_field: dict[str, int] = field(default_factory=dict)  # exported rows generalised, per field


def classes(rows: Iterable[Row], quasi_identifiers: Sequence[str] = QUASI_IDENTIFIERS) -> Counter:
    return Counter(tuple(row[name] for name in quasi_identifiers) for row in rows)


def k_anonymise(
    rows: Sequence[Row],
    *,
    k: int,
    quasi_identifiers: Sequence[str] = QUASI_IDENTIFIERS,
    steps: Sequence[Step] = STEPS,
) -> Anonymised:
    """Generalises the rows of classes smaller than k, step by step, then leaves out those still in one.

    Only rows of small classes change: a class of k or more is never touched, and rows only join
    classes, so a class that reached k stays there.
    """
    check_k(k)
    work = [dict(row) for row in rows]
    changed: list[set[str]] = [set() for _row in work]

    def key(row: Row) -> tuple:
        return tuple(row[name] for name in quasi_identifiers)

    for step in steps:
        sizes = Counter(key(row) for row in work)
        for n, row in enumerate(work):
            if sizes[key(row)] < k:
                value = step.generalise(row[step.field])
                if value != row[step.field]:
                    row[step.field] = value
                    changed[n].add(step.field)
    sizes = Counter(key(row) for row in work)
    kept = [n for n, row in enumerate(work) if sizes[key(row)] >= k]
    by_field: Counter = Counter()
    for n in kept:
        by_field.update(changed[n])
    return Anonymised(
        rows=[work[n] for n in kept],
        k=k,
        generalised=sum(1 for n in kept if changed[n]),
        suppressed=len(work) - len(kept),
        by_field=dict(by_field),
    )


# --- What the network knows of each person -----------------------------------------------------------


@dataclass
class Facts:
    """The non-identifying facts of one person, in Approdi's codes."""

    gender: str = ""
    nationality: str = ""
    exploitation: str = ""
    sector: str = ""
    conclusion: str = ""
    case_status: str = ""  # Approdi's: active, suspended, closed
    case_outcome: str = ""
    placement_open: bool = False
    last_exit_reason: str = ""
    first_date: date | None = None
    statistics_refused: bool = False


def people_in_period(*, start: date, end: date) -> set[int]:
    """Ids of the people of the active scope whose path touches the period."""
    found: set[int] = set()
    referrals = Referral.objects.filter(date__range=(start, end))
    found.update(referrals.filter(person__isnull=False).values_list("person_id", flat=True))
    coded = referrals.filter(person_code__in=Person.objects.values("code")).values("person_code")
    found.update(Person.objects.filter(code__in=coded).values_list("id", flat=True))
    found.update(overlapping(Placement.objects.all(), start, end).values_list("person_id", flat=True))
    cases = Case.objects.filter(start__lte=end).filter(Q(end__isnull=True) | Q(end__gte=start))
    found.update(cases.values_list("person_id", flat=True))
    entries = ProgrammeRecord.objects.filter(kind="entry", date__range=(start, end))
    found.update(entries.values_list("person_id", flat=True))
    return found


def person_facts(ids: Iterable[int]) -> dict[int, Facts]:
    """Facts of the given people of the active scope, read in one query per kind of record.

    The queries read the whole programme and keep the people asked for: no list of ids is sent to
    the database, however many people there are.
    """
    facts = {pk: Facts() for pk in ids}
    by_code = {}
    for person_pk, code, gender, nationality in Person.objects.values_list("pk", "code", "gender", "nationality"):
        if person_pk in facts:
            facts[person_pk].gender, facts[person_pk].nationality = gender, str(nationality or "")
            by_code[code] = person_pk

    def earliest(pk: int, day: date | None) -> None:
        first = facts[pk].first_date
        if day is not None and (first is None or day < first):
            facts[pk].first_date = day

    referrals = (
        Referral.objects.filter(Q(person__isnull=False) | Q(person_code__in=Person.objects.values("code")))
        .order_by("date", "id")
        .values_list("person_id", "person_code", "date", "exploitation", "sector")
    )
    for person_id, code, day, exploitation, sector in referrals:
        pk = person_id if person_id in facts else by_code.get(code)
        if pk is None:
            continue
        earliest(pk, day)
        if exploitation and exploitation != "unknown":
            facts[pk].exploitation = exploitation  # the latest referral's, unless an assessment says otherwise
        if sector:
            facts[pk].sector = sector
    assessments = (
        Assessment.objects.exclude(exploitation__in=["", "unknown"])
        .order_by("created_at", "id")
        .values_list("person_id", "exploitation")
    )
    for pk, exploitation in assessments:
        if pk in facts:
            facts[pk].exploitation = exploitation  # the latest assessment holds
    for pk, conclusion in Screening.objects.order_by("created_at", "id").values_list("person_id", "conclusion"):
        if pk in facts:
            facts[pk].conclusion = conclusion
    placements = Placement.objects.order_by("start", "id").values_list("person_id", "start", "end", "exit_reason")
    for pk, start, end, reason in placements:
        if pk in facts:
            earliest(pk, start)
            facts[pk].placement_open = facts[pk].placement_open or end is None
            facts[pk].last_exit_reason = reason
    cases = Case.objects.order_by("start", "id").values_list("person_id", "start", "status", "outcome")
    for pk, start, status, outcome in cases:
        if pk in facts:
            earliest(pk, start)
            facts[pk].case_status, facts[pk].case_outcome = status, outcome
    for pk, day in ProgrammeRecord.objects.filter(kind="entry").values_list("person_id", "date"):
        if pk in facts:
            earliest(pk, day)
    consents = Consent.objects.filter(purpose=ConsentPurpose.STATISTICS).order_by("date", "recorded_at", "id")
    for pk, granted in consents.values_list("person_id", "granted"):
        if pk in facts:
            facts[pk].statistics_refused = not granted  # the latest answer holds
    return facts


# Closed here and handed on: to another project, or to the next edition of this one (her path goes on there).
REFERRED_ON = ("transfer", "continued")


def case_status(facts: Facts) -> str:
    """cas_Status: the person's latest case in the programme, or else her placements."""
    if facts.case_status in ("active", "suspended"):  # a suspended case is still open
        return "Active"
    if facts.case_status == "closed":
        return "ClosedReferred" if facts.case_outcome in REFERRED_ON else "Closed"
    if facts.placement_open:
        return "Active"
    if facts.last_exit_reason:
        return "ClosedReferred" if facts.last_exit_reason in REFERRED_ON else "Closed"
    return ""


def htcds_row(facts: Facts) -> Row:
    exploitation = EXPLOITATION.get(facts.exploitation, "")
    return {
        "prs_Gender": GENDER.get(facts.gender, "NonSpecifiedUnknown"),
        "prs_Citizenship": facts.nationality,
        "vic_TraffickingStatus": TRAFFICKING_STATUS.get(facts.conclusion, ""),
        "vic_TypeOfExploitation": exploitation,
        "vic_ForcedLabourIndustry": INDUSTRY.get(facts.sector, "") if exploitation == "ForcedLabour" else "",
        "cas_Status": case_status(facts),
        # Coarsened to the year: 1 January of the year the person's path in the programme began.
        "cas_IncomingReferralDate": date(facts.first_date.year, 1, 1).isoformat() if facts.first_date else "",
    }


# --- The export ----------------------------------------------------------------------------------------


@dataclass
class HtcdsExport:
    programme: str
    start: date
    end: date
    k: int
    people: int  # people of the programme whose path touches the period
    refused: int  # left out because they refused anonymised statistics
    anonymised: Anonymised

    @property
    def rows(self) -> list[Row]:
        return self.anonymised.rows

    def summary(self) -> str:
        a = self.anonymised
        return (
            f"{self.people} people, {self.refused} left out at their request, {a.generalised} generalised, "
            f"{a.suppressed} suppressed, {len(a.rows)} exported (k = {self.k})"
        )


def build(*, programme: Programme, start: date, end: date, k: int) -> HtcdsExport:
    """The export of a programme and period, computed across the whole network."""
    check_k(k)
    with programme_scope(programme):
        facts = person_facts(people_in_period(start=start, end=end))
    consenting = [f for f in facts.values() if not f.statistics_refused]
    anonymised = k_anonymise([htcds_row(f) for f in consenting], k=k)
    anonymised.rows.sort(key=lambda row: tuple(row[name] for name in FIELDS))  # the order says nothing
    return HtcdsExport(
        programme=programme.code,
        start=start,
        end=end,
        k=k,
        people=len(facts),
        refused=len(facts) - len(consenting),
        anonymised=anonymised,
    )


def to_csv(export: HtcdsExport) -> bytes:
    """The rows alone, under the standard's field names: what a tool of the standard reads."""
    text = io.StringIO()
    writer = csv_writer(text, lineterminator="\n")
    writer.writerow(FIELDS)
    for row in export.rows:
        writer.writerow([row[name] for name in FIELDS])
    return text.getvalue().encode("utf-8")


def notes(export: HtcdsExport) -> list[str]:
    a = export.anonymised
    return [
        _("Anonymised case-level export in HTCDS 2.0 (Human Trafficking Case Data Standard, IOM, CC BY 4.0)."),
        _("Programme %(programme)s, %(start)s – %(end)s: one row per person.")
        % {"programme": export.programme, "start": export.start.isoformat(), "end": export.end.isoformat()},
        _("k-anonymity with k = %(k)s on %(fields)s: every combination of these values is shared by at least k rows.")
        % {"k": export.k, "fields": ", ".join(QUASI_IDENTIFIERS)},
        ngettext(
            "%(generalised)s row has values withheld (left empty) or gender recorded as NonSpecifiedUnknown;",
            "%(generalised)s rows have values withheld (left empty) or gender recorded as NonSpecifiedUnknown;",
            a.generalised,
        )
        % {"generalised": a.generalised}
        + " "
        + ngettext(
            "%(suppressed)s row was left out because it remained too rare.",
            "%(suppressed)s rows were left out because they remained too rare.",
            a.suppressed,
        )
        % {"suppressed": a.suppressed},
        _("cas_IncomingReferralDate is 1 January of the year the person's path in the programme began."),
        _("No names, dates of birth, free text or person codes. Rows are sorted by their values."),
    ]


def to_xlsx(export: HtcdsExport) -> bytes:
    book = new_workbook()
    sheet = book.active
    sheet.title = "htcds"
    sheet.append(list(FIELDS))
    for row in export.rows:
        values: list[Any] = [row[name] or None for name in FIELDS]
        day = row["cas_IncomingReferralDate"]
        values[FIELDS.index("cas_IncomingReferralDate")] = date.fromisoformat(day) if day else None
        sheet.append(values)
    dates = sheet.cell(row=1, column=FIELDS.index("cas_IncomingReferralDate") + 1).column_letter
    for cell in sheet[dates][1:]:
        cell.number_format = "yyyy-mm-dd"
    about = book.create_sheet("about")
    for line in notes(export):
        about.append([line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render(export: HtcdsExport, fmt: str) -> bytes:
    return to_xlsx(export) if fmt == "xlsx" else to_csv(export)


def export_file(*, actor: Actor, start: date, end: date, k: int | None, fmt: str) -> tuple[HtcdsExport, bytes]:
    """The file for the actor's programme (coordinators of the lead entity), with its audit row."""
    ensure(actor, PERM)
    Period.of(start, end)
    export = build(programme=actor.active_membership.programme, start=start, end=end, k=threshold(k))
    content = render(export, fmt)
    record(
        actor=actor,
        action=Action.EXPORT,
        object_type="reports.htcds",
        object_id=export.programme,
        fields=list(FIELDS),
        reason=f"{start}–{end} as {fmt}: {export.summary()}",
    )
    return export, content


def preview(*, actor: Actor, start: date, end: date, k: int | None) -> HtcdsExport:
    """What the file would hold, for the page (counts only; nothing leaves the network)."""
    ensure(actor, PERM)
    Period.of(start, end)
    return build(programme=actor.active_membership.programme, start=start, end=end, k=threshold(k))
