"""Case paths (presa in carico). This first part holds what the Ufficio Filtro's decision opens."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from approdi.network.models import Organisation, Programme


class Case(models.Model):
    class Type(models.TextChoices):
        RESIDENTIAL = "residential", _("Residential")
        TERRITORIAL = "territorial", _("Territorial")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cases")
    person = models.ForeignKey("intake.Person", on_delete=models.PROTECT, related_name="cases")
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cases", verbose_name=_("lead organisation")
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_cases",
        verbose_name=_("case manager"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="case_teams", blank=True, verbose_name=_("case team")
    )
    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    decision = models.OneToOneField(
        "intake.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="case"
    )

    objects = ScopedManager(programme="programme")

    class Meta:
        ordering = ["-start"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="case_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["person", "programme"], condition=Q(status="active"), name="one_active_case"
            ),
        ]
