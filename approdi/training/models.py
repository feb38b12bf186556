"""Training, awareness and capacity building: the events the network organises, who took part, and how it went.

No person the network serves is here: participants are counted by organisation and role (never named), trainers
are professionals. Each programme keeps its own events, scoped like every tenant model. The bounds of every number
are declared once, here, and the service, the form and the database check them.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from approdi.directory.models import Body
from approdi.network.models import Area, Organisation, Programme

# Bounds (the service's and the form's messages name them).
MIN_HOURS, MAX_HOURS = Decimal("0.5"), Decimal("200")
MAX_PARTICIPANTS_PER_ROW = 1000  # people of one organisation and role at one event
MAX_ROWS_PER_EVENT = 100
MIN_SCORE, MAX_SCORE = Decimal("1"), Decimal("5")  # the questionnaire's scale, 1 (poor) to 5 (excellent)


class EventKind(models.TextChoices):
    CAS_TRAINING = "cas_training", _("Training for reception-centre (CAS) staff")
    AWARENESS = "awareness", _("Awareness in a territory")
    MUTUAL_TRAINING = "mutual_training", _("Mutual training between networks")
    CAPACITY_BUILDING = "capacity_building", _("Capacity building")


class Audience(models.TextChoices):
    RECEPTION_STAFF = "reception_staff", _("Reception-centre staff")
    NETWORK_OPERATORS = "network_operators", _("Operators of the network")
    ANTI_VIOLENCE = "anti_violence", _("Anti-violence network")
    PUBLIC_SERVICES = "public_services", _("Social and public services")
    HEALTH = "health", _("Health services")
    ENFORCEMENT = "enforcement", _("Law enforcement and labour inspectors")
    SCHOOLS = "schools", _("Schools and adult education")
    COMMUNITY = "community", _("Community and general public")
    MIXED = "mixed", _("Mixed audience")


class ParticipantRole(models.TextChoices):
    OPERATOR = "operator", _("Operator or educator")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    COORDINATOR = "coordinator", _("Coordinator or manager")
    LEGAL = "legal", _("Legal advisor")
    HEALTH = "health", _("Health worker")
    MEDIATOR = "mediator", _("Cultural mediator")
    OFFICER = "officer", _("Police officer or inspector")
    TEACHER = "teacher", _("Teacher")
    VOLUNTEER = "volunteer", _("Volunteer")
    CITIZEN = "citizen", _("Member of the public")
    OTHER = "other", _("Other")


class Event(models.Model):
    """A training, awareness or capacity-building event of the programme, organised by one of its organisations."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="training_events")
    kind = models.CharField(_("type"), max_length=30, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    agenda = models.TextField(_("programme of the event"), max_length=4000, blank=True)
    organiser = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="training_events", verbose_name=_("organised by")
    )
    date = models.DateField(_("date"))
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="training_events", verbose_name=_("area"), null=True, blank=True
    )
    audience = models.CharField(_("audience"), max_length=30, choices=Audience.choices)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    trainers = models.CharField(_("trainers"), max_length=500, blank=True)
    materials = models.TextField(_("materials"), max_length=2000, blank=True)
    respondents = models.PositiveIntegerField(_("questionnaires returned"), null=True, blank=True)
    mean_score = models.DecimalField(
        _("mean satisfaction score"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(programme="programme")

    class Meta:
        ordering = ["-date", "title", "id"]
        verbose_name = _("training or awareness event")
        verbose_name_plural = _("training and awareness events")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="training_event_has_title"),
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="training_event_kind_valid"),
            models.CheckConstraint(condition=Q(audience__in=Audience.values), name="training_event_audience_valid"),
            models.CheckConstraint(
                condition=Q(hours__gte=MIN_HOURS, hours__lte=MAX_HOURS), name="training_event_hours_bounded"
            ),
            models.CheckConstraint(
                condition=Q(mean_score__isnull=True) | Q(mean_score__gte=MIN_SCORE, mean_score__lte=MAX_SCORE),
                name="training_event_score_bounded",
            ),
            # A mean score needs the questionnaires it is the mean of, and the questionnaires their mean.
            models.CheckConstraint(
                condition=(Q(respondents__isnull=True) & Q(mean_score__isnull=True))
                | (Q(respondents__gte=1) & Q(mean_score__isnull=False))
                | Q(respondents=0, mean_score__isnull=True),
                name="training_event_score_has_respondents",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Participation(models.Model):
    """How many people of one organisation, in one role, took part in an event: a count, never a name.

    The organisation is a body of the directory or, when it is not there, its name as typed.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="training_participations",
        verbose_name=_("body of the directory"),
        null=True,
        blank=True,
    )
    organisation_name = models.CharField(_("organisation (not in the directory)"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=30, choices=ParticipantRole.choices)
    participants = models.PositiveIntegerField(_("participants"))

    objects = ScopedManager(programme="event__programme")

    class Meta:
        ordering = ["id"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(body__isnull=False) & Q(organisation_name=""))
                | (Q(body__isnull=True) & ~Q(organisation_name="")),
                name="participation_names_one_organisation",
            ),
            models.CheckConstraint(condition=Q(role__in=ParticipantRole.values), name="participation_role_valid"),
            models.CheckConstraint(
                condition=Q(participants__gte=1, participants__lte=MAX_PARTICIPANTS_PER_ROW),
                name="participation_count_bounded",
            ),
        ]

    @property
    def organisation_label(self) -> str:
        return self.body.name if self.body is not None else self.organisation_name


class EventMaterial(models.Model):
    """The event's material as one PDF (slides, handout, brochure), served by a permission-checked view only.

    Events hold nobody's personal data, so the file is not encrypted (as a protocol's document).
    """

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="material")
    filename = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(programme="event__programme")

    class Meta:
        verbose_name = _("material of an event")
        verbose_name_plural = _("materials of events")
