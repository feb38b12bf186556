"""Services delivered (prestazioni): the units the funder pays partners for."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from approdi.network.models import Organisation, Programme

from .case import Case


class Unit(models.TextChoices):
    SESSION = "session", _("session")
    HOUR = "hour", _("hour")
    DAY = "day", _("day")
    MONTH = "month", _("month")
    LUMP_SUM = "lump_sum", _("lump sum")


class ServiceType(models.Model):
    """One line of a programme's reference list: what a service is called, its unit and what a unit costs."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="service_types")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    unit_cost = models.DecimalField(_("unit cost (EUR)"), max_digits=9, decimal_places=2)
    active = models.BooleanField(_("in use"), default=True)

    objects = ScopedManager(programme="programme")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"],
                name="one_service_code_per_programme",
                violation_error_message=_("This programme's list has a service with this code already."),
            ),
            models.CheckConstraint(
                condition=Q(unit_cost__gte=0),
                name="unit_cost_not_negative",
                violation_error_message=_("A unit cost cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceDelivery(models.Model):
    """A service delivered to the person of a case. The unit cost is copied when recorded: the
    funder pays what was agreed on that day, whatever the list says later."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="services")
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="deliveries")
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    quantity = models.DecimalField(_("units"), max_digits=7, decimal_places=2, default=1)
    unit_cost = models.DecimalField(_("unit cost (EUR)"), max_digits=9, decimal_places=2)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services_delivered", verbose_name=_("organisation")
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="services_delivered",
        verbose_name=_("operator"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(programme="case__programme")

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="delivery_quantity_positive",
                violation_error_message=_("Give at least a part of a unit."),
            ),
            models.CheckConstraint(
                condition=Q(unit_cost__gte=0),
                name="delivery_cost_not_negative",
                violation_error_message=_("A unit cost cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "date"], name="delivery_organisation_date")]

    @property
    def amount(self):
        return self.quantity * self.unit_cost
