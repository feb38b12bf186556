from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from approdi.core.crypto import EncryptedTextField
from approdi.network.models import Area, Organisation, Programme
from approdi.outreach.codes import AgeBand, SourceType


class StructureType(models.TextChoices):
    EMERGENCY_WOMEN = "emergency_women", _("Emergency reception for women")
    WOMEN = "women", _("Reception structure for women")
    MEN = "men", _("Reception structure for men")
    AUTONOMY = "autonomy", _("Autonomy flat")
    EMERGENCY_PLACES = "emergency_places", _("Emergency places for women")
    DORMITORY_MEN = "dormitory_men", _("Places for men in a dormitory")


# Places reserved inside other structures or outside the project: beds, but no structure.
RESERVED_PLACE_TYPES = {StructureType.EMERGENCY_PLACES, StructureType.DORMITORY_MEN}


class TargetGender(models.TextChoices):
    WOMEN = "women", _("Women")
    MEN = "men", _("Men")
    ANY = "any", _("Women, men and transgender people")


class AdmittedAges(models.TextChoices):
    ADULTS = "adults", _("Adults only")
    MINORS = "minors", _("Minors only")
    ALL = "all", _("Adults and minors")


class Structure(models.Model):
    """A reception structure. Its address and phone are secret and stored encrypted."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="structures", verbose_name=_("managing organisation")
    )
    programmes = models.ManyToManyField(Programme, related_name="structures", verbose_name=_("programmes"))
    type = models.CharField(_("type"), max_length=20, choices=StructureType.choices)
    gender = models.CharField(_("target gender"), max_length=10, choices=TargetGender.choices, default=TargetGender.ANY)
    ages = models.CharField(
        _("ages admitted"), max_length=10, choices=AdmittedAges.choices, default=AdmittedAges.ADULTS
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="structures", verbose_name=_("area"))
    beds = models.PositiveSmallIntegerField(_("beds"))
    open_from = models.DateField(_("open from"), null=True, blank=True)
    open_to = models.DateField(_("open until"), null=True, blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)

    objects = ScopedManager(organisation="organisation", programme="programmes")

    SECRET_FIELDS = ("address", "phone")

    class Meta:
        ordering = ["code"]
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        constraints = [
            models.CheckConstraint(condition=Q(beds__gte=1), name="structure_has_beds"),
            models.CheckConstraint(
                condition=Q(open_to__isnull=True) | Q(open_from__isnull=True) | Q(open_to__gte=models.F("open_from")),
                name="structure_closes_after_opening",
            ),
            models.CheckConstraint(condition=Q(type__in=[t.value for t in StructureType]), name="structure_type_valid"),
            models.CheckConstraint(
                condition=Q(ages__in=[a.value for a in AdmittedAges]),
                name="structure_ages_valid",
                violation_error_message=_("Choose the ages the structure admits."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class Stage(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    FIRST = "first", _("First reception")
    SECOND = "second", _("Second reception")
    THIRD = "third", _("Third reception")


NEXT_STAGE: dict[str, str] = {Stage.EMERGENCY: Stage.FIRST, Stage.FIRST: Stage.SECOND, Stage.SECOND: Stage.THIRD}

# The structure types that host each stage, declared once (admission.py reads it). Men have no
# emergency structure of their own: their reception structures and the dormitory take emergencies.
# The third stage is the autonomy flats' alone.
STAGE_TYPES: dict[str, frozenset[str]] = {
    Stage.EMERGENCY: frozenset(
        {StructureType.EMERGENCY_WOMEN, StructureType.EMERGENCY_PLACES, StructureType.MEN, StructureType.DORMITORY_MEN}
    ),
    Stage.FIRST: frozenset({StructureType.WOMEN, StructureType.MEN, StructureType.DORMITORY_MEN}),
    Stage.SECOND: frozenset({StructureType.WOMEN, StructureType.MEN}),
    Stage.THIRD: frozenset({StructureType.AUTONOMY}),
}


class ExitReason(models.TextChoices):
    NEXT_STAGE = "next_stage", _("Next stage")
    AUTONOMY = "autonomy", _("Autonomy")
    TRANSFER = "transfer", _("Transfer")
    ASSISTED_RETURN = "assisted_return", _("Assisted return")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    SAFETY = "safety", _("Removed for safety")
    CONTINUED = "continued", _("Continued in the next edition")
    OTHER = "other", _("Other")


class PlacementRequest(models.Model):
    """A request for a place, opened by a decision of the Ufficio Filtro: the waiting list."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting")
        PLACED = "placed", _("Placed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="placement_requests")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="placement_requests")
    decision = models.OneToOneField(
        "intake.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="placement_request"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    urgent = models.BooleanField(_("urgent"), default=False)
    gender = models.CharField(_("gender"), max_length=12, blank=True)
    avoid_area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area to avoid (where the person was exploited)"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(programme="programme")

    class Meta:
        ordering = ["-urgent", "created_at"]
        verbose_name = _("request for a place")
        verbose_name_plural = _("requests for a place")
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=[s.value for s in Stage]), name="request_stage_valid"),
            models.UniqueConstraint(fields=["person"], condition=Q(status="open"), name="one_open_request_per_person"),
        ]


class CapacityChange(models.Model):
    """From ``date`` on, the structure has ``beds`` beds (0: closed for that period)."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="capacity_changes")
    date = models.DateField(_("from"))
    beds = models.PositiveSmallIntegerField(_("beds"))

    objects = ScopedManager(organisation="structure__organisation", programme="structure__programmes")

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["structure", "date"], name="one_capacity_change_per_day")]


class Bed(models.Model):
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="bed_set")
    label = models.CharField(_("bed"), max_length=20)
    in_use = models.BooleanField(_("in use"), default=True)
    # Kept free for emergencies: offered only to urgent requests.
    reserved = models.BooleanField(_("reserved for emergencies"), default=False)

    objects = ScopedManager(organisation="structure__organisation", programme="structure__programmes")

    class Meta:
        ordering = ["structure", "id"]
        constraints = [models.UniqueConstraint(fields=["structure", "label"], name="bed_label_once_per_structure")]

    def __str__(self) -> str:
        return f"{self.structure.code}/{self.label}"


class Placement(models.Model):
    """A stay of one person in one bed at one stage. ``end`` empty: she is there now.

    The database holds the invariants: a bed has at most one active placement and a person at most
    one; a structure never holds more people than it has beds because every placement takes a bed.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="placements")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="placements")
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="placements")
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="placements")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    start = models.DateField(_("start"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    exit_reason = models.CharField(_("exit reason"), max_length=20, choices=ExitReason.choices, blank=True)
    previous = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="next")
    request = models.ForeignKey(
        PlacementRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="placements"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(programme="programme")

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        indexes = [
            models.Index(fields=["structure", "start", "end"], name="placement_occupancy"),
            # The board reads current stays only: this index does not grow with the history.
            models.Index(fields=["structure", "planned_end"], condition=Q(end__isnull=True), name="placement_active"),
            # The funder summary's people hosted in a period, from the index alone (bench/summary_scale.py).
            models.Index(fields=["programme", "start", "end", "person"], name="placement_figures"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["bed"], condition=Q(end__isnull=True), name="one_active_placement_per_bed"),
            models.UniqueConstraint(
                fields=["person"], condition=Q(end__isnull=True), name="one_active_placement_per_person"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="placement_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | ~Q(exit_reason=""), name="ended_placement_has_reason"
            ),
            models.CheckConstraint(condition=Q(stage__in=[s.value for s in Stage]), name="placement_stage_valid"),
        ]


class StageDuration(models.Model):
    """How long a stage is planned to last in a programme (alerts when a stay goes past it)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="stage_durations")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    days = models.PositiveSmallIntegerField(_("days"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "stage"], name="one_duration_per_stage")]


DEFAULT_STAGE_DAYS = {Stage.EMERGENCY: 30, Stage.FIRST: 120, Stage.SECOND: 240, Stage.THIRD: 365}


class DiaryEntry(models.Model):
    """Daily notes and events of the educators, visible to the person's case team."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        EVENT = "event", _("Event")

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="diary")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices, default=Kind.NOTE)
    text = EncryptedTextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(programme="placement__programme")

    class Meta:
        ordering = ["-date", "-id"]


class NightEntry(models.Model):
    """A person taken in at night by the on-call operator of an emergency structure, before any decision.

    The least data that protects her; the Ufficio Filtro regularises it (person, consent, screening, decision)
    by ``regularise_by``, and the stay it opened stays her first placement.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="night_entries")
    placement = models.OneToOneField(Placement, on_delete=models.PROTECT, related_name="night_entry")
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices)
    referred_by = models.CharField(_("who referred her"), max_length=30, choices=SourceType.choices)
    referring_body = models.CharField(_("referring body or person"), max_length=200, blank=True)
    arrived_at = models.DateTimeField(_("time of arrival"))
    needs = EncryptedTextField(_("urgent needs"), max_length=1000, blank=True)
    regularise_by = models.DateTimeField(_("to regularise by"))
    regularised_at = models.DateTimeField(_("regularised on"), null=True, blank=True)
    regularised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(programme="programme")

    class Meta:
        ordering = ["regularise_by", "id"]
        verbose_name = _("night emergency entry")
        verbose_name_plural = _("night emergency entries")
        indexes = [
            models.Index(
                fields=["programme", "regularise_by"], condition=Q(regularised_at__isnull=True), name="night_entry_open"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(regularised_at__isnull=True, regularised_by__isnull=True)
                | Q(regularised_at__isnull=False, regularised_by__isnull=False),
                name="night_entry_regularised_by_someone",
            ),
            models.CheckConstraint(
                condition=Q(regularise_by__gt=models.F("arrived_at")), name="night_entry_deadline_after_arrival"
            ),
        ]

    @property
    def overdue(self) -> bool:
        """Still to regularise after its deadline (the queue and her record show it in red)."""
        return self.regularised_at is None and self.regularise_by < timezone.now()
