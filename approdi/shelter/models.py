from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from approdi.core.crypto import EncryptedTextField
from approdi.network.models import Area, Organisation, Programme


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
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class Stage(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    FIRST = "first", _("First reception")
    SECOND = "second", _("Second reception")
    THIRD = "third", _("Third reception")


class PlacementRequest(models.Model):
    """A request for a place, opened by a decision of the Ufficio Filtro: the waiting list."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting")
        PLACED = "placed", _("Placed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="placement_requests")
    person = models.ForeignKey("intake.Person", on_delete=models.PROTECT, related_name="placement_requests")
    decision = models.OneToOneField("intake.Decision", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="placement_request")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    urgent = models.BooleanField(_("urgent"), default=False)
    gender = models.CharField(_("gender"), max_length=12, blank=True)
    avoid_area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("area to avoid (where the person was exploited)"))
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
