"""The network: organisations, territorial areas and programme editions.

This is reference data that every signed-in member may read; it holds nobody's personal data.
Records that belong to an organisation or a programme live in the domain apps, scoped.
"""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Organisation(models.Model):
    class Type(models.TextChoices):
        LEAD = "lead", _("Lead entity")
        PARTNER = "partner", _("Partner organisation")
        NETWORK_BODY = "network_body", _("Network body")
        # Police, Carabinieri, Guardia di Finanza, immigration offices: the network works with them, but
        # they hold no account and receive nobody's data from Approdi (DESIGN.md §5, seed 003's promise).
        ENFORCEMENT = "enforcement", _("Law enforcement or immigration office")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=["lead", "partner", "network_body", "enforcement"]),
                name="organisation_type_valid",
                violation_error_message=_("Unknown organisation type."),
            ),
            models.CheckConstraint(condition=~Q(code=""), name="organisation_code_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_enforcement(self) -> bool:
        return self.type == self.Type.ENFORCEMENT


class Area(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("territorial area")
        verbose_name_plural = _("territorial areas")
        constraints = [models.CheckConstraint(condition=~Q(code=""), name="area_code_not_empty")]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """A programme edition: one grant of the funder, with its period, budget and targets."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    call = models.CharField(_("call for proposals"), max_length=200, blank=True)
    budget = models.DecimalField(_("budget (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True)
    co_funding = models.DecimalField(_("co-funding (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_programmes",
        verbose_name=_("lead entity"),
        null=True,
        blank=True,
    )
    # Every organisation that is or has been a partner, with the dates (``Partnership``): records stay the
    # programme's whatever the list becomes, so nothing reads "the partners" to decide what counts.
    partners = models.ManyToManyField(
        Organisation, through="Partnership", related_name="programmes", blank=True, verbose_name=_("partners")
    )
    areas = models.ManyToManyField(Area, related_name="programmes", blank=True, verbose_name=_("areas"))
    allow_self_approval = models.BooleanField(_("a coordinator may approve their own reports"), default=False)
    # A night emergency entry (approdi/shelter/night.py) is regularised by the Ufficio Filtro within these hours.
    night_entry_hours = models.PositiveSmallIntegerField(
        _("hours to regularise a night emergency entry"),
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
    )

    # The labour-exploitation desk (seed 002): its dashboard breaks desk accesses and referrals down by sector and
    # target group. A setting of the edition, not of its code.
    labour_breakdown = models.BooleanField(
        _("figures by employment sector and target group (labour-exploitation desk)"), default=False
    )

    class Meta:
        ordering = ["-start"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="programme_ends_after_start"),
            models.CheckConstraint(condition=~Q(code=""), name="programme_code_not_empty"),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="programme_budget_not_negative",
                violation_error_message=_("A budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(co_funding__isnull=True) | Q(co_funding__gte=0),
                name="programme_co_funding_not_negative",
                violation_error_message=_("Co-funding cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class PartnershipQuerySet(models.QuerySet):
    def current(self, day: date | None = None):
        """Partnerships that let their organisation file new work on ``day`` (today by default)."""
        day = day or timezone.localdate()
        return self.filter(Q(left__isnull=True) | Q(left__gt=day))


class Partnership(models.Model):
    """An organisation's membership of a programme's network, from ``joined`` until ``left`` (its first day out).

    Ending one stops new work by the organisation in the programme; what it filed stays the programme's.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("organisation")
    )
    joined = models.DateField(_("joined"), default=timezone.localdate)
    left = models.DateField(_("left"), null=True, blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"],
                name="one_partnership_per_organisation",
                violation_error_message=_("This organisation is a partner of this programme already."),
            ),
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gte=models.F("joined")),
                name="partnership_leaves_after_joining",
                violation_error_message=_("A partner cannot leave before it joined."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} · {self.organisation.code}"

    def is_current(self, day: date | None = None) -> bool:
        return self.left is None or self.left > (day or timezone.localdate())


class Target(models.Model):
    """A result the programme promised its funder, such as 4,000 street contacts."""

    class Indicator(models.TextChoices):
        STREET_CONTACTS = "street_contacts", _("Street contacts")
        INDOOR_CONTACTS = "indoor_contacts", _("Indoor contacts")
        LOW_THRESHOLD_ACCESSES = "low_threshold_accesses", _("Low-threshold accesses")
        PERSONS_REFERRED = "persons_referred_by_bodies", _("People referred by other bodies")
        PEOPLE_IN_RECEPTION = "reception_total", _("People in residential reception")
        TRAINING_EVENTS = "training_events", _("Training and awareness events")
        TRAINING_PARTICIPANTS = "training_participants", _("Participants in training and awareness")
        TRAINING_BODIES = "training_bodies", _("Bodies taking part in training and awareness")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices)
    value = models.PositiveIntegerField(_("target value"))
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [models.UniqueConstraint(fields=["programme", "indicator"], name="one_target_per_indicator")]


class PartnerBudget(models.Model):
    """What the funder's grant allots to one organisation of a programme, and what it co-funds itself.

    Services delivered (``cases.ServiceDelivery``) are reported against it, partner by partner.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partner_budgets")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="budgets", verbose_name=_("organisation")
    )
    budget = models.DecimalField(_("budget (EUR)"), max_digits=12, decimal_places=2, default=0)
    co_funding = models.DecimalField(_("co-funding (EUR)"), max_digits=12, decimal_places=2, default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(programme="programme")

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("partner budget")
        verbose_name_plural = _("partner budgets")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"],
                name="one_budget_per_partner",
                violation_error_message=_("This organisation has a budget in this programme already."),
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0),
                name="partner_budget_not_negative",
                violation_error_message=_("A budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(co_funding__gte=0),
                name="partner_co_funding_not_negative",
                violation_error_message=_("Co-funding cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} · {self.organisation.code}"


class CoFunding(models.Model):
    """One line of an edition's co-funding: who contributes, in money or in kind, and how much it is worth.

    In-kind lines (staff, premises, equipment) count at the value the funder accepts, as money lines do;
    the edition's ``co_funding`` is the sum of its lines once it has any.
    """

    class Kind(models.TextChoices):
        MONEY = "money", _("Money")
        IN_KIND = "in_kind", _("In kind")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="co_funding_lines")
    contributor = models.CharField(_("contributor"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["contributor", "pk"]
        verbose_name = _("co-funding line")
        verbose_name_plural = _("co-funding lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="co_funding_amount_not_negative",
                violation_error_message=_("Co-funding cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["money", "in_kind"]),
                name="co_funding_kind_valid",
                violation_error_message=_("Choose money or in kind."),
            ),
            models.CheckConstraint(
                condition=~Q(contributor=""),
                name="co_funding_has_contributor",
                violation_error_message=_("Name who contributes."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} · {self.contributor}"


class RetentionPeriod(models.Model):
    """A programme's own retention for one kind of record, in months, set by its coordinator or DPO within the
    bounds of ``approdi.core.retention.RULES``; without a row the kind keeps its default."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="retention_periods")
    kind = models.CharField(_("kind of record"), max_length=20)
    months = models.PositiveSmallIntegerField(_("months"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="retention_once_per_kind"),
            models.CheckConstraint(condition=Q(months__gte=1), name="retention_at_least_a_month"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} · {self.kind}: {self.months}"
