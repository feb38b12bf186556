"""Funder reports: a coordinator prepares one, a second coordinator approves it, and it stays as approved.

Who: coordinators at the programme's lead entity (DESIGN.md §1: the coordinator reports to the
funder; the lead entity is the one that owes the report). The one who prepared a report may not
approve it unless the programme allows self-approval explicitly; the audit row then says so.

What is approved: the figures the draft holds, as previewed (re-preparing recomputes them and
changes their hash, so an approval of an older preview is refused). At approval the XLSX, CSV
and PDF are made from those figures, in the language of ``settings.LANGUAGE_CODE`` (the funder's),
with the approval block (who prepared and approved it, when, the figures' SHA-256: the content hash
covers the files, so no file can print it), and stored with their SHA-256; downloads of an approved
report return those bytes and nothing else, however the files of later reports are laid out.

The content hash is the SHA-256 of the manifest ``"figures <sha256>\\ncsv <sha256>\\npdf <sha256>\\nxlsx <sha256>\\n"``
(the figures as canonical JSON: sorted keys, no spaces, UTF-8), so each file can also be checked
on its own with ``sha256sum``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from approdi.accounts.actor import Actor
from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.period import Period
from approdi.core.permissions import ensure
from approdi.reports.models import REPORT_FORMATS, FunderReport

from . import exports
from .summary import funder_summary

BUILDERS = {"xlsx": exports.xlsx, "csv": exports.csv, "pdf": exports.pdf}


class ReportConflict(Exception):
    """The report is no longer a draft, or changed since it was shown: the API answers 409."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def figures_digest(figures: dict) -> str:
    return sha256(json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def content_digest(figures_hash: str, file_hashes: dict[str, str]) -> str:
    manifest = f"figures {figures_hash}\n" + "".join(f"{fmt} {file_hashes[fmt]}\n" for fmt in sorted(file_hashes))
    return sha256(manifest.encode("ascii"))


def files_of(report: FunderReport) -> dict[str, bytes]:
    """The report's files, in its language, with its letterhead (and, once approved, its approval)."""
    with translation.override(report.language):
        head = exports.letterhead(report.programme, report)
        return {fmt: BUILDERS[fmt](report.figures, head) for fmt in REPORT_FORMATS}


def filename(report: FunderReport, fmt: str) -> str:
    state = "approved" if report.is_approved else "draft"
    return f"funder-report-{report.programme.code}-{report.start}-{report.end}-{state}-{report.pk}.{fmt}"


# Selectors


def funder_reports(*, actor: Actor) -> QuerySet[FunderReport]:
    """The reports of the actor's programme, newest first (files are not loaded)."""
    ensure(actor, "reports.view_funder_reports")
    return FunderReport.objects.select_related("programme", "prepared_by", "approved_by").defer("xlsx", "csv", "pdf")


def funder_report(*, actor: Actor, pk: int) -> FunderReport:
    report = funder_reports(actor=actor).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def report_file(*, actor: Actor, report: FunderReport, fmt: str) -> bytes:
    """The approved bytes, or for a draft the file made now from its figures; audited as an export."""
    ensure(actor, "reports.view_funder_reports")
    if fmt not in REPORT_FORMATS or report.status == FunderReport.Status.WITHDRAWN:
        raise Http404
    if report.is_approved:
        frozen = FunderReport.objects.filter(pk=report.pk).values_list(fmt, flat=True).get()
        content = bytes(frozen)
    else:
        with translation.override(report.language):
            content = BUILDERS[fmt](report.figures, exports.letterhead(report.programme, report))
    record(
        actor=actor,
        action=Action.EXPORT,
        obj=report,
        reason=f"{report.status} {fmt}, sha256 {sha256(content)}",
    )
    return content


def _flat(figures: dict) -> dict[str, int]:
    """Every figure of a summary by the label the report prints (capacity as structures and beds per type)."""
    flat = {f"{section} — {name}": value for section, items in exports.rows(figures) for name, value in items}
    for name, structures, beds in exports.capacity_rows(figures):
        if structures is not None:
            flat[f"{_('Structures')} — {name}"] = structures
        flat[f"{_('Beds')} — {name}"] = beds
    return flat


def live_differences(*, actor: Actor, report: FunderReport) -> list[tuple[str, int, int, int]]:
    """For an approved report: (figure, approved, live, difference) of each figure today's data change.

    A change dated in the report's period is refused except the lead coordinator's, with a reason
    (``approdi.network.closing``); the approved files keep their figures, and this says how far they drift.
    """
    ensure(actor, "reports.view_funder_reports")
    if not report.is_approved:
        return []
    frozen = _flat(report.figures)
    live = _flat(funder_summary(programme=report.programme, start=report.start, end=report.end))
    return [
        (name, frozen.get(name, 0), live.get(name, 0), live.get(name, 0) - frozen.get(name, 0))
        for name in list(frozen) + [n for n in live if n not in frozen]
        if frozen.get(name, 0) != live.get(name, 0)
    ]


# Services


def prepare(*, actor: Actor, start: date, end: date) -> FunderReport:
    """A draft of the programme's funder summary for the period, to preview before approval."""
    ensure(actor, "reports.prepare_report")
    programme = actor.active_membership.programme
    Period.reported(start, end, programme=programme, today=timezone.localdate())
    figures = funder_summary(programme=programme, start=start, end=end)
    report = FunderReport(
        programme=programme,
        start=start,
        end=end,
        figures=figures,
        figures_hash=figures_digest(figures),
        language=settings.LANGUAGE_CODE,
        prepared_by=actor,
        prepared_at=timezone.now(),
    )
    report.full_clean()
    with transaction.atomic():
        report.save()
        record(actor=actor, action=Action.CREATE, obj=report, reason=f"{start}–{end}, figures {report.figures_hash}")
    return report


def _locked_draft(report: FunderReport) -> FunderReport:
    """The report's row, locked until the end of the transaction; a conflict when it is not a draft."""
    locked = FunderReport.objects.select_for_update(of=("self",)).select_related("programme").get(pk=report.pk)
    if not locked.is_draft:
        raise ReportConflict(_("This report is no longer a draft: it cannot be changed."))
    return locked


def reprepare(*, actor: Actor, report: FunderReport) -> FunderReport:
    """Recomputes a draft's figures from today's data; whoever re-prepares it becomes its preparer."""
    ensure(actor, "reports.prepare_report")
    with transaction.atomic():
        locked = _locked_draft(report)
        locked.figures = funder_summary(programme=locked.programme, start=locked.start, end=locked.end)
        previous = locked.figures_hash
        locked.figures_hash = figures_digest(locked.figures)
        locked.prepared_by = actor
        locked.prepared_at = timezone.now()
        locked.full_clean()
        locked.save(update_fields=["figures", "figures_hash", "prepared_by", "prepared_at"])
        record(
            actor=actor,
            action=Action.CHANGE,
            obj=locked,
            fields=["figures", "prepared_by"],
            reason=f"re-prepared: figures {previous} → {locked.figures_hash}",
        )
    return locked


def discard(*, actor: Actor, report: FunderReport) -> FunderReport:
    """A draft that will not be approved: kept, marked discarded."""
    ensure(actor, "reports.prepare_report")
    with transaction.atomic():
        locked = _locked_draft(report)
        locked.status = FunderReport.Status.WITHDRAWN
        locked.withdrawn_by = actor
        locked.withdrawn_at = timezone.now()
        locked.full_clean()
        locked.save(update_fields=["status", "withdrawn_by", "withdrawn_at"])
        record(actor=actor, action=Action.CHANGE, obj=locked, fields=["status"], reason="discarded")
    return locked


def approve(*, actor: Actor, report: FunderReport, figures_hash: str = "") -> FunderReport:
    """Freezes the draft: its figures, its XLSX, CSV and PDF bytes and their hashes. Never changed again.

    ``figures_hash``, when given, must be the hash of the figures the approver saw.
    """
    ensure(actor, "reports.approve_report", report)
    with transaction.atomic():
        locked = _locked_draft(report)
        ensure(actor, "reports.approve_report", locked)  # the preparer may have changed meanwhile
        if figures_hash and figures_hash != locked.figures_hash:
            raise ReportConflict(_("The draft was prepared again after you opened it: check the new figures."))
        locked.status = FunderReport.Status.APPROVED
        locked.approved_by = actor
        locked.approved_at = timezone.now()
        locked.self_approved = locked.prepared_by_id == actor.pk
        files = files_of(locked)  # rendered once, with the approval block, and frozen
        locked.file_hashes = {fmt: sha256(content) for fmt, content in files.items()}
        locked.content_hash = content_digest(locked.figures_hash, locked.file_hashes)
        locked.xlsx, locked.csv, locked.pdf = files["xlsx"], files["csv"], files["pdf"]
        locked.full_clean()
        locked.save()
        how = "self-approved (the programme allows it)" if locked.self_approved else "approved"
        record(
            actor=actor,
            action=Action.CHANGE,
            obj=locked,
            fields=["status", "approved_by"],
            reason=f"{how}; content {locked.content_hash}",
        )
    return locked
