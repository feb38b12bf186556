"""The letterhead of the funder report: who issues it, for which programme and period, against which targets,
and, once approved, who prepared and who approved it, when, and the SHA-256 of its figures.

Dates are written in words in the active language ("1 dicembre 2017"); the lead entity's logo comes from
``APPRODI_REPORT_LOGO`` (a file, or a folder of ``<organisation code>.png|.jpg``, README "Settings").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from approdi.core.labels import label
from approdi.core.pdf import issued_by
from approdi.network.models import Programme, Target
from approdi.reports.models import FunderReport

# Where each target's result is in the §9 figures.
TARGET_FIGURES: dict[str, tuple[str, str]] = {
    Target.Indicator.STREET_CONTACTS: ("outreach", "street_contacts"),
    Target.Indicator.INDOOR_CONTACTS: ("outreach", "indoor_contacts"),
    Target.Indicator.LOW_THRESHOLD_ACCESSES: ("outreach", "low_threshold_accesses"),
    Target.Indicator.PERSONS_REFERRED: ("outreach", "persons_referred_by_bodies"),
    Target.Indicator.PEOPLE_IN_RECEPTION: ("reception", "total"),
    Target.Indicator.TRAINING_EVENTS: ("training", "events"),
    Target.Indicator.TRAINING_PARTICIPANTS: ("training", "participants"),
    Target.Indicator.TRAINING_BODIES: ("training", "bodies"),
}


@dataclass(frozen=True)
class Signature:
    name: str
    at: datetime


@dataclass(frozen=True)
class Letterhead:
    """What makes the figures a document: who issues it, for what, and (once approved) who answers for it."""

    issuer: str
    programme: str
    funder: str = ""
    logo: str = ""
    targets: dict[str, int] = field(default_factory=dict)
    status: str = ""  # "" for the summary page's working copy, else a FunderReport status
    prepared: Signature | None = None
    approved: Signature | None = None
    self_approved: bool = False
    figures_hash: str = ""


def _person(user) -> str:
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()


def _indicator_order(target: Target) -> int:
    """Targets in the order of the seed's slides (``Target.Indicator``), not alphabetically by code."""
    order = list(Target.Indicator.values)
    return order.index(target.indicator) if target.indicator in order else len(order)


def letterhead(programme: Programme, report: FunderReport | None = None) -> Letterhead:
    """The letterhead of the programme's summary; with ``report``, its status and who prepared and approved it."""
    extra: dict[str, Any] = {}
    if report is not None:
        extra = {
            "status": report.status,
            "prepared": Signature(_person(report.prepared_by), report.prepared_at),
            "figures_hash": report.figures_hash,
        }
        if report.is_approved:
            assert report.approved_at is not None  # an approved report has its time (check constraint)
            extra |= {"approved": Signature(_person(report.approved_by), report.approved_at)}
            extra |= {"self_approved": report.self_approved}
    issued = issued_by(programme)
    return Letterhead(
        issuer=issued["issuer"],
        programme=issued["subtitle"],
        funder=programme.funder,
        logo=issued["logo"],
        targets={t.indicator: t.value for t in sorted(programme.targets.all(), key=_indicator_order)},
        **extra,
    )


# Languages that write a month's name in lower case inside a date (Django's catalogues capitalise them all).
LOWER_CASE_MONTHS = {"it", "fr", "es", "pt", "ro"}


def _in_words(value: date | datetime, fmt: str) -> str:
    text = date_format(value, fmt)
    return text.lower() if (get_language() or "").split("-")[0] in LOWER_CASE_MONTHS else text


def long_date(day: date | str) -> str:
    """A date in words, in the active language: "1 dicembre 2017"."""
    return _in_words(date.fromisoformat(day) if isinstance(day, str) else day, "j F Y")


def when(moment: datetime) -> str:
    return _in_words(timezone.localtime(moment), "j F Y, H:i")


def period(summary: dict) -> str:
    return f"{long_date(summary['from'])} – {long_date(summary['to'])}"


def target_rows(summary: dict, head: Letterhead) -> list[tuple[str, str, int, int, int]]:
    """(indicator, label, target, result, percent of the target reached) for each target the programme set."""
    found = []
    for indicator, value in head.targets.items():
        if indicator not in TARGET_FIGURES:
            continue
        section, key = TARGET_FIGURES[indicator]
        if section not in summary:  # a report approved before the figure was counted
            continue
        result = summary[section][key]
        found.append(
            (indicator, label(Target.Indicator, indicator), value, result, round(result * 100 / value) if value else 0)
        )
    return found


def status_line(head: Letterhead) -> str:
    if head.status == FunderReport.Status.APPROVED:
        return _(
            "Approved: these figures and files are kept exactly as they were approved and can no longer be changed."
        )
    if head.status == FunderReport.Status.DRAFT:
        return _("Draft: not approved yet. The figures may still change.")
    return _("Working copy: this is not an approved report.")


def facts(summary: dict, head: Letterhead) -> list[tuple[str, str, str]]:
    """(key, label, value): the document's heading, as the CSV and the XLSX list it."""
    found = [
        ("lead_entity", _("Lead entity"), head.issuer),
        ("programme_name", _("Programme"), head.programme),
    ]
    if head.funder:
        found.append(("funder", _("Funder"), head.funder))
    found.append(("period", _("Period"), period(summary)))
    found.append(("status", _("Status"), status_line(head)))
    return found


def approval_rows(head: Letterhead) -> list[tuple[str, str, str]]:
    """(key, label, value): who prepared and approved the report, when, and the hash of its figures."""
    found = []
    if head.prepared:
        found += [
            ("prepared_by", _("Prepared by"), head.prepared.name),
            ("prepared_at", _("Prepared on"), when(head.prepared.at)),
        ]
    if head.approved:
        approved_by = head.approved.name
        if head.self_approved:
            approved_by += " — " + _("self-approved: the programme allows whoever prepared a report to approve it")
        found += [
            ("approved_by", _("Approved by"), approved_by),
            ("approved_at", _("Approved on"), when(head.approved.at)),
        ]
    if head.figures_hash:
        found.append(("figures_sha256", _("Figures hash (SHA-256)"), head.figures_hash))
    return found
