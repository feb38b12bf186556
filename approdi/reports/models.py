"""Funder reports that a second coordinator approves, and exports that run in the background.

An approved ``FunderReport`` is frozen: its figures and the bytes of its XLSX, CSV and PDF files
are stored at approval and never change (the services refuse; on PostgreSQL a trigger refuses
UPDATE and DELETE of approved rows, migration 0002). An ``ExportJob`` belongs to the user who
asked for it and keeps its file in the database until it expires (the scheduled task
``remove_expired_exports`` removes it).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from approdi.network.models import Programme

REPORT_FORMATS = ("xlsx", "csv", "pdf")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


class FunderReport(models.Model):
    """The funder summary of one programme and period: prepared, previewed, approved by a second coordinator."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        WITHDRAWN = "withdrawn", _("Discarded")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="funder_reports")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The §9 summary as computed when the report was (re-)prepared: what the preview shows and the approval freezes.
    figures = models.JSONField(_("figures"))
    figures_hash = models.CharField(_("SHA-256 of the figures"), max_length=64)
    language = models.CharField(_("language of the files"), max_length=8)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("prepared by")
    )
    prepared_at = models.DateTimeField(_("prepared on"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved on"), null=True, blank=True)
    self_approved = models.BooleanField(_("approved by whoever prepared it"), default=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    withdrawn_at = models.DateTimeField(_("discarded on"), null=True, blank=True)
    # Frozen at approval; empty for drafts (their files are made from ``figures`` when downloaded).
    xlsx = models.BinaryField(null=True, blank=True, editable=False)
    csv = models.BinaryField(null=True, blank=True, editable=False)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    file_hashes = models.JSONField(_("SHA-256 of each file"), default=dict, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)

    objects = ScopedManager(programme="programme")

    class Meta:
        ordering = ["-prepared_at", "-id"]
        verbose_name = _("funder report")
        verbose_name_plural = _("funder reports")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="funder_report_ends_after_start"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "approved", "withdrawn"]), name="funder_report_status_valid"
            ),
            # Approved: who, when, the files and their hash. Not approved: none of them.
            models.CheckConstraint(
                condition=(
                    Q(status="approved")
                    & Q(approved_by__isnull=False)
                    & Q(approved_at__isnull=False)
                    & Q(xlsx__isnull=False)
                    & Q(csv__isnull=False)
                    & Q(pdf__isnull=False)
                    & ~Q(content_hash="")
                )
                | (
                    ~Q(status="approved")
                    & Q(approved_by__isnull=True)
                    & Q(approved_at__isnull=True)
                    & Q(xlsx__isnull=True)
                    & Q(csv__isnull=True)
                    & Q(pdf__isnull=True)
                    & Q(content_hash="")
                ),
                name="funder_report_approved_with_files",
            ),
            # "Self-approved" is exactly "approved by whoever prepared it".
            models.CheckConstraint(
                condition=(Q(self_approved=True) & Q(approved_by=F("prepared_by")))
                | (Q(self_approved=False) & (Q(approved_by__isnull=True) | ~Q(approved_by=F("prepared_by")))),
                name="funder_report_self_approval_marked",
            ),
            models.CheckConstraint(
                condition=(Q(status="withdrawn") & Q(withdrawn_at__isnull=False))
                | (~Q(status="withdrawn") & Q(withdrawn_at__isnull=True)),
                name="funder_report_discarded_with_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.start}–{self.end} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class ExportJob(models.Model):
    """An export that runs in the background; only the user who asked for it sees it and downloads it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        SUMMARY = "summary", _("Funder summary")
        CONTACTS = "contacts", _("Contacts")
        REFERRALS = "referrals", _("Referrals")

    class Error(models.TextChoices):
        FAILED = "failed", _("The export could not be produced. Try again; if it fails again, tell your administrator.")
        FORBIDDEN = "forbidden", _("Your role no longer allows this export.")
        INTERRUPTED = "interrupted", _("The export stopped before it finished. Please request it again.")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs")
    # The membership the export runs under: the same scope and role as the request that asked for it.
    membership = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="export_jobs")
    kind = models.CharField(_("export"), max_length=20, choices=Kind.choices)
    fmt = models.CharField(_("format"), max_length=4)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    error = models.CharField(_("error"), max_length=20, choices=Error.choices, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    created_at = models.DateTimeField(_("requested on"), auto_now_add=True)
    started_at = models.DateTimeField(_("started on"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished on"), null=True, blank=True)
    expires_at = models.DateTimeField(_("download until"), null=True, blank=True)
    purged_at = models.DateTimeField(_("file removed on"), null=True, blank=True)

    objects = ScopedManager(programme="programme")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [
            models.Index(fields=["status", "created_at"], name="exportjob_queue"),
            models.Index(fields=["requested_by", "-created_at"], name="exportjob_owner"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]), name="exportjob_status_valid"
            ),
            models.CheckConstraint(condition=Q(fmt__in=REPORT_FORMATS), name="exportjob_format_valid"),
            models.CheckConstraint(condition=Q(done__lte=F("total")), name="exportjob_progress_within_total"),
            # A failed job has its reason and no file; only a finished job has a file.
            models.CheckConstraint(
                condition=(Q(status="failed") & ~Q(error="") & Q(content__isnull=True))
                | (~Q(status="failed") & Q(error="")),
                name="exportjob_failure_explained",
            ),
            models.CheckConstraint(
                condition=Q(content__isnull=True) | Q(status="done"), name="exportjob_file_only_when_done"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.fmt}) #{self.pk}"

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0
