"""Funder reports over the API: list, read, prepare, approve (the services of approdi/reports/funder/approval.py)."""

from datetime import date, datetime

from ninja import Field, Router, Schema, Status

from approdi.core.permissions import require_perm
from approdi.reports.funder import approval

router = Router(tags=["reports"])


class FunderReportOut(Schema):
    id: int
    programme: str
    start: date = Field(..., alias="from")
    end: date = Field(..., alias="to")
    status: str = Field(..., description="draft, approved or withdrawn (a discarded draft)")
    prepared_by: str
    prepared_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    self_approved: bool
    figures_hash: str = Field(..., description="SHA-256 of the figures as canonical JSON")
    content_hash: str = Field(..., description="SHA-256 of the manifest of the approved files (empty for drafts)")
    file_hashes: dict[str, str] = Field(..., description="SHA-256 of each approved file: xlsx, csv, pdf")


class FunderReportDetailOut(FunderReportOut):
    figures: dict = Field(..., description="The summary JSON of DESIGN.md §9, as approved (or as prepared)")


class FunderReportListOut(Schema):
    items: list[FunderReportOut]
    count: int


class PrepareIn(Schema):
    programme: str | None = None
    start: date = Field(..., alias="from")
    end: date = Field(..., alias="to")


class ApproveIn(Schema):
    programme: str | None = None
    figures_hash: str = Field("", description="The hash of the figures you checked; refused (409) if they changed")


class CreatedOut(Schema):
    id: int


class ErrorOut(Schema):
    error: dict


def _report(report, *, figures: bool = False) -> dict:
    answer = {
        "id": report.pk,
        "programme": report.programme.code,
        "from": report.start,
        "to": report.end,
        "status": report.status,
        "prepared_by": report.prepared_by.get_username(),
        "prepared_at": report.prepared_at,
        "approved_by": report.approved_by.get_username() if report.approved_by else None,
        "approved_at": report.approved_at,
        "self_approved": report.self_approved,
        "figures_hash": report.figures_hash,
        "content_hash": report.content_hash,
        "file_hashes": report.file_hashes,
    }
    if figures:
        answer["figures"] = report.figures
    return answer


def _conflict(message: str) -> Status:
    return Status(409, {"error": {"status": 409, "code": "conflict", "message": message, "fields": {}}})


@router.get("/reports/funder", response=FunderReportListOut, by_alias=True)
def funder_reports(request):
    """The funder reports of the programme (coordinators at the lead entity), newest first."""
    require_perm(request, "reports.view_funder_reports")
    items = [_report(r) for r in approval.funder_reports(actor=request.user)]
    return {"items": items, "count": len(items)}


@router.get("/reports/funder/{id}", response=FunderReportDetailOut, by_alias=True)
def funder_report(request, id: int):
    require_perm(request, "reports.view_funder_reports")
    return _report(approval.funder_report(actor=request.user, pk=id), figures=True)


@router.post("/reports/funder", response={201: CreatedOut})
def prepare_funder_report(request, payload: PrepareIn):
    """Prepares a draft for the period: `{"programme": P, "from": D, "to": D}` → 201 `{"id": …}`."""
    require_perm(request, "reports.prepare_report")
    report = approval.prepare(actor=request.user, start=payload.start, end=payload.end)
    return Status(201, {"id": report.pk})


@router.post("/reports/funder/{id}/approve", response={200: FunderReportDetailOut, 409: ErrorOut}, by_alias=True)
def approve_funder_report(request, id: int, payload: ApproveIn):
    """Approves a draft (a second coordinator, unless the programme allows self-approval); 409 if not a draft."""
    require_perm(request, "reports.approve_report")
    report = approval.funder_report(actor=request.user, pk=id)
    require_perm(request, "reports.approve_report", report)
    try:
        approved = approval.approve(actor=request.user, report=report, figures_hash=payload.figures_hash)
    except approval.ReportConflict as conflict:
        return _conflict(conflict.message)
    return _report(approved, figures=True)
