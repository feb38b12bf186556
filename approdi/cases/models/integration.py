"""Integration: Italian courses, training, internships, work grants, employment, housing.

One table: the kind decides which fields apply (``clean`` checks them), because the case
worker reads them as one timeline and the reports count them the same way.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from approdi.core.crypto import EncryptedTextField

from .case import Case


class IntegrationKind(models.TextChoices):
    ITALIAN_COURSE = "italian_course", _("Italian course")
    TRAINING = "training", _("Vocational training")
    INTERNSHIP = "internship", _("Internship")
    WORK_GRANT = "work_grant", _("Work grant")
    EMPLOYMENT = "employment", _("Employment")
    HOUSING = "housing", _("Housing")


class LanguageLevel(models.TextChoices):
    PRE_A1 = "pre_a1", _("Literacy (pre-A1)")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"


class Contract(models.TextChoices):
    PERMANENT = "permanent", _("Permanent")
    FIXED_TERM = "fixed_term", _("Fixed term")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
    AGENCY = "agency", _("Agency work")
    SEASONAL = "seasonal", _("Seasonal")
    OTHER = "other", _("Other")


class HousingOutcome(models.TextChoices):
    OWN_RENTAL = "own_rental", _("Own rental")
    SHARED_FLAT = "shared_flat", _("Shared flat")
    SOCIAL_HOUSING = "social_housing", _("Social housing")
    WITH_FAMILY = "with_family", _("With family or friends")
    EMPLOYER_HOUSING = "employer_housing", _("Housing provided by the employer")
    OTHER = "other", _("Other")


class Activity(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=15, choices=IntegrationKind.choices)
    provider = EncryptedTextField(_("provider or employer"), max_length=200, blank=True)
    sector = EncryptedTextField(_("sector"), max_length=100, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    level = models.CharField(_("level"), max_length=6, choices=LanguageLevel.choices, blank=True)
    hours = models.PositiveIntegerField(_("hours"), null=True, blank=True)
    attendance_percent = models.PositiveSmallIntegerField(_("attendance (%)"), null=True, blank=True)
    certificate = EncryptedTextField(_("certificate obtained"), max_length=200, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    monthly_allowance = models.DecimalField(
        _("monthly allowance (EUR)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    paid_by = EncryptedTextField(_("paid by"), max_length=200, blank=True)
    contract = models.CharField(_("contract"), max_length=15, choices=Contract.choices, blank=True)
    housing = models.CharField(_("housing outcome"), max_length=20, choices=HousingOutcome.choices, blank=True)
    completed = models.BooleanField(_("completed"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(programme="case__programme")

    REQUIRED: dict[str, tuple[str, ...]] = {
        IntegrationKind.ITALIAN_COURSE: ("provider", "level"),
        IntegrationKind.TRAINING: ("provider",),
        IntegrationKind.INTERNSHIP: ("provider", "sector", "hours_per_week"),
        IntegrationKind.WORK_GRANT: ("provider", "monthly_allowance", "paid_by"),
        IntegrationKind.EMPLOYMENT: ("provider", "contract", "sector"),
        IntegrationKind.HOUSING: ("housing",),
    }

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("integration activity")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="activity_ends_after_start",
                violation_error_message=_("The end cannot come before the start."),
            ),
            models.CheckConstraint(
                condition=Q(attendance_percent__isnull=True) | Q(attendance_percent__lte=100),
                name="attendance_at_most_100",
                violation_error_message=_("Attendance is a percentage: at most 100."),
            ),
        ]

    def clean(self):
        missing = {
            name: [_("Required for this kind of activity.")]
            for name in self.REQUIRED.get(self.kind, ())
            if getattr(self, name) in (None, "")
        }
        if missing:
            raise ValidationError(missing)
