"""Legal support: residence permits, complaints, criminal proceedings, the asylum procedure, hearings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from approdi.core.crypto import EncryptedTextField

from .case import Case


class PermitType(models.TextChoices):
    ART18_JUDICIAL = "art18_judicial", _("Art. 18 – judicial path")
    ART18_SOCIAL = "art18_social", _("Art. 18 – social path")
    ART18_TER = "art18_ter", _("Art. 18-ter – labour exploitation")
    ART22_12_QUATER = "art22_12quater", _("Art. 22 c.12-quater")
    INTERNATIONAL_PROTECTION = "international_protection", _("International protection")
    SPECIAL_PROTECTION = "special_protection", _("Special protection")
    WORK = "work", _("Work")
    STUDY = "study", _("Study")
    OTHER = "other", _("Other")


class Permit(models.Model):
    """A residence permit, from the application on. A renewal or a conversion is a new permit
    linked to the one it follows, which is then marked renewed or converted."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied for")
        ISSUED = "issued", _("Issued")
        REFUSED = "refused", _("Refused")
        RENEWED = "renewed", _("Renewed")
        CONVERTED = "converted", _("Converted")
        EXPIRED = "expired", _("Expired")

    class Change(models.TextChoices):
        RENEWAL = "renewal", _("Renewal")
        CONVERSION = "conversion", _("Conversion")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="permits")
    type = models.CharField(_("type"), max_length=30, choices=PermitType.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.APPLIED)
    application_date = models.DateField(_("application date"))
    questura = EncryptedTextField(_("Questura"), max_length=100)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    expiry = models.DateField(_("expiry"), null=True, blank=True)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="following", verbose_name=_("follows")
    )
    change = models.CharField(_("renewal or conversion"), max_length=10, choices=Change.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(programme="case__programme")

    class Meta:
        ordering = ["-application_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(issue_date__isnull=True) | Q(issue_date__gte=models.F("application_date")),
                name="permit_issued_after_application",
                violation_error_message=_("A permit cannot be issued before it was applied for."),
            ),
            models.CheckConstraint(
                condition=Q(expiry__isnull=True) | (Q(issue_date__isnull=False) & Q(expiry__gt=models.F("issue_date"))),
                name="permit_expires_after_issue",
                violation_error_message=_("The expiry comes after the issue date."),
            ),
            models.CheckConstraint(
                condition=(Q(previous__isnull=True) & Q(change="")) | (Q(previous__isnull=False) & ~Q(change="")),
                name="permit_change_names_its_previous",
                violation_error_message=_("A renewal or conversion names the permit it follows."),
            ),
        ]
        indexes = [models.Index(fields=["expiry"], condition=Q(status="issued"), name="permit_issued_expiry")]


class LegalMatter(models.Model):
    """A complaint, a criminal proceeding or an asylum application, and where it stands."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        CRIMINAL_PROCEEDING = "criminal_proceeding", _("Criminal proceeding")
        ASYLUM = "asylum", _("Asylum application")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("legal matter", "Open")
        CLOSED = "closed", pgettext_lazy("legal matter", "Closed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="legal_matters")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    authority = EncryptedTextField(_("authority"), max_length=200)
    # Case numbers of criminal proceedings identify the person: stored encrypted.
    reference = EncryptedTextField(_("reference number"), blank=True)
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.OPEN)
    outcome = EncryptedTextField(_("outcome"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(programme="case__programme")

    class Meta:
        ordering = ["-date", "-id"]


class Hearing(models.Model):
    """A court hearing, or the interview at the Commissione Territoriale of an asylum application."""

    matter = models.ForeignKey(LegalMatter, on_delete=models.CASCADE, related_name="hearings")
    starts_at = models.DateTimeField(_("when"))
    place = EncryptedTextField(_("where"), max_length=200)
    note = EncryptedTextField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(programme="matter__case__programme")

    class Meta:
        ordering = ["starts_at", "id"]


class DeadlineNotice(models.Model):
    """An alert e-mail sent: one per deadline, threshold and recipient, so a missed day is caught up once."""

    class Kind(models.TextChoices):
        PERMIT_EXPIRY = "permit_expiry", _("Permit expiry")
        HEARING = "hearing", _("Hearing")

    kind = models.CharField(max_length=15, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    due = models.DateField()
    threshold = models.PositiveSmallIntegerField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "due", "threshold", "recipient"],
                name="one_notice_per_deadline",
                violation_error_message=_("This alert has been sent already."),
            )
        ]
