"""Reports over the API: the funder summary, and the funder reports — list, read, prepare, approve (the services
of approdi/reports/funder/approval.py)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from approdi.core.permissions import require_perm
from approdi.reports.funder import approval
from approdi.reports.funder import selectors as report_selectors

from ..common import CreatedOut, ErrorOut
from . import schemas

router = Router(tags=["reports"])


@router.get("/reports/summary")
def report_summary(request, programme: str, from_: date = Query(..., alias="from"), to: date = Query(...)):
    """The funder summary of DESIGN.md §9 for the programme named (the caller's membership in it)."""
    return report_selectors.summary(actor=request.user, start=from_, end=to)


def _conflict(message: str) -> Status:
    return Status(409, {"error": {"status": 409, "code": "conflict", "message": message, "fields": {}}})


@router.get("/reports/funder", response=schemas.FunderReportListOut, by_alias=True)
def funder_reports(request):
    """The funder reports of the programme (coordinators at the lead entity), newest first."""
    require_perm(request, "reports.view_funder_reports")
    items = list(approval.funder_reports(actor=request.user))
    return {"items": items, "count": len(items)}


@router.get("/reports/funder/{id}", response=schemas.FunderReportDetailOut, by_alias=True)
def funder_report(request, id: int):
    require_perm(request, "reports.view_funder_reports")
    return approval.funder_report(actor=request.user, pk=id)


@router.post("/reports/funder", response={201: CreatedOut})
def prepare_funder_report(request, payload: schemas.PrepareIn):
    """Prepares a draft for the period: `{"programme": P, "from": D, "to": D}` → 201 `{"id": …}`."""
    require_perm(request, "reports.prepare_report")
    report = approval.prepare(actor=request.user, start=payload.start, end=payload.end)
    return Status(201, {"id": report.pk})


@router.post(
    "/reports/funder/{id}/approve", response={200: schemas.FunderReportDetailOut, 409: ErrorOut}, by_alias=True
)
def approve_funder_report(request, id: int, payload: schemas.ApproveIn):
    """Approves a draft (a second coordinator, unless the programme allows self-approval); 409 if not a draft.

    As on the page, the approver confirms explicitly what she signs: `"confirm": true`, or 400 and nothing approved.
    """
    require_perm(request, "reports.approve_report")
    report = approval.funder_report(actor=request.user, pk=id)
    require_perm(request, "reports.approve_report", report)
    if not payload.confirm:
        raise ValidationError({"confirm": [_('Confirm that you approve these figures: send "confirm": true.')]})
    try:
        approved = approval.approve(actor=request.user, report=report, figures_hash=payload.figures_hash)
    except approval.ReportConflict as conflict:
        return _conflict(conflict.message)
    return approved
