"""Schemas of the funder reports: list, read, prepare, approve."""

from datetime import date, datetime

from ninja import Field, Schema

from ..common import Page


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

    @staticmethod
    def resolve_programme(r):
        return r.programme.code

    # ``from`` and ``to`` are the fields' aliases, which is what they are read by.
    @staticmethod
    def resolve_from(r):
        return r.start

    @staticmethod
    def resolve_to(r):
        return r.end

    @staticmethod
    def resolve_prepared_by(r):
        return r.prepared_by.get_username()

    @staticmethod
    def resolve_approved_by(r):
        return r.approved_by.get_username() if r.approved_by else None


class FunderReportDetailOut(FunderReportOut):
    figures: dict = Field(..., description="The summary JSON of DESIGN.md §9, as approved (or as prepared)")


class FunderReportListOut(Page):
    items: list[FunderReportOut]


class PrepareIn(Schema):
    programme: str | None = None
    start: date = Field(..., alias="from")
    end: date = Field(..., alias="to")


class ApproveIn(Schema):
    programme: str | None = None
    figures_hash: str = Field("", description="The hash of the figures you checked; refused (409) if they changed")
    confirm: bool = Field(
        False,
        description="true to confirm that you approve these figures, as the page's box does; without it 400, "
        "nothing approved",
    )
