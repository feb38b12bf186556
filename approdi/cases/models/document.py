"""Documents kept with a person or with one of her cases: a permit's copy, a complaint's receipt, a signed consent.

The file itself is stored encrypted outside the database (approdi/core/files.py); the row says what it is, who may
read it (as a case note: ``Note.Confidentiality``, legal, psychological and health documents with the author's role
on the team) and its history: a removed document stays until the DPO purges it, which deletes the file.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from approdi.core.crypto import EncryptedTextField
from approdi.core.files import EXTENSIONS, JPEG, PDF, PNG

from .case import SPECIAL_STAY_WITH_THE_ROLE, Case, Note, TeamRole


class Document(models.Model):
    class Kind(models.TextChoices):
        PERMIT_COPY = "permit_copy", _("Copy of the residence permit")
        COMPLAINT_RECEIPT = "complaint_receipt", _("Receipt of the complaint")
        IDENTITY = "identity", _("Identity document")
        SIGNED_CONSENT = "signed_consent", _("Signed consent")
        COURT_PAPERS = "court_papers", _("Court papers")
        COURSE_CERTIFICATE = "course_certificate", _("Course certificate")
        OTHER = "other", _("Other")

    class ContentType(models.TextChoices):
        PDF = PDF, "PDF"
        JPEG = JPEG, "JPEG"
        PNG = PNG, "PNG"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="kept_documents")
    # Empty: a document of the person's record (the Ufficio Filtro's), not of one of her cases.
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="kept_documents")
    kind = models.CharField(_("kind of document"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date of the document"))
    expiry = models.DateField(_("expiry"), null=True, blank=True)
    domain = models.CharField(_("domain"), max_length=15, choices=Note.Domain.choices)
    confidentiality = models.CharField(_("who may read it"), max_length=4, choices=Note.Confidentiality.choices)
    # The uploader's seat on the case team; empty for the Ufficio Filtro off the team and on the person's record.
    author_role = models.CharField(_("author's role on the team"), max_length=15, choices=TeamRole.choices, blank=True)
    # The name the file had on the uploader's computer (it may name the person): encrypted, cleared by the purge.
    filename = EncryptedTextField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("type of file"), max_length=20, choices=ContentType.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    # The random name of the encrypted file in ``APPRODI_DOCUMENTS_DIR``; empty once purged.
    stored_as = models.CharField(max_length=32, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purged_at = models.DateTimeField(null=True, blank=True)
    purged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(programme="person__programme")

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=SPECIAL_STAY_WITH_THE_ROLE,
                name="special_documents_stay_with_the_role",
                violation_error_message=_(
                    "Legal, psychological and health documents are read only by the author's role."
                ),
            ),
            # A role of the team exists only on a case: the person's record keeps general documents.
            models.CheckConstraint(
                condition=Q(case__isnull=False) | (Q(domain="general") & Q(confidentiality="team")),
                name="person_documents_are_general",
                violation_error_message=_(
                    "Legal, psychological and health documents are kept with a case, where a role of its team "
                    "reads them."
                ),
            ),
            models.CheckConstraint(
                condition=Q(expiry__isnull=True) | Q(expiry__gte=models.F("date")),
                name="document_expires_after_its_date",
                violation_error_message=_("A document cannot expire before its date."),
            ),
            models.CheckConstraint(
                condition=Q(purged_at__isnull=True) | (Q(removed_at__isnull=False) & Q(stored_as="")),
                name="document_purged_after_removal",
                violation_error_message=_("Only a removed document is purged, and its file goes with it."),
            ),
            models.CheckConstraint(
                condition=Q(purged_at__isnull=False) | ~Q(stored_as=""),
                name="document_has_its_file_until_purged",
                violation_error_message=_("A document keeps its file until the purge."),
            ),
            models.UniqueConstraint(
                fields=["stored_as"], condition=~Q(stored_as=""), name="one_document_per_stored_file"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.date}"

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.content_type, "bin")
