"""The network's governance: its tables and working groups, their meetings, what each decided and who owes what.

A table's members are users of Approdi and referents of the directory (professionals, never a person the network
serves). Minutes name people served only by their code. Each programme keeps its own tables, scoped like every
tenant model.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from approdi.core.crypto import EncryptedTextField
from approdi.directory.models import Referent
from approdi.network.models import Programme


class TableKind(models.TextChoices):
    EMERSIONE = "emersione", _("Tavolo emersione")
    TECHNICAL = "technical", _("Tavolo tecnico di coordinamento")
    WORKING_GROUP = "working_group", _("Working group")
    OTHER = "other", _("Other table")


class Topic(models.TextChoices):
    LABOUR = "labour", _("Labour exploitation")
    RECEPTION = "reception", _("Reception")
    TRAINING = "training", _("Training")
    NETWORKS = "networks", _("Anti-trafficking and anti-violence networks")
    GENERAL = "general", _("Governance of the network")


class Recurrence(models.IntegerChoices):
    """Every N months, on the same weekday of the same week of the month (the second Tuesday, the last Friday)."""

    NONE = 0, _("No recurrence")
    MONTHLY = 1, _("About every month")
    BIMONTHLY = 2, _("Every two months")
    QUARTERLY = 3, _("Every three months")


class Table(models.Model):
    """A governance table or a working group of the programme: who sits at it, and when it meets."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="governance_tables")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=TableKind.choices)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, default=Topic.GENERAL)
    purpose = models.TextField(_("purpose"), max_length=2000, blank=True)
    convenor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="convened_tables", verbose_name=_("convenor")
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="governance_tables",
        blank=True,
        verbose_name=_("members with an account"),
    )
    referents = models.ManyToManyField(
        Referent, related_name="governance_tables", blank=True, verbose_name=_("members from the directory")
    )
    recurrence = models.PositiveSmallIntegerField(_("recurrence"), choices=Recurrence.choices, default=Recurrence.NONE)
    first_day = models.DateField(_("first meeting"))
    start_time = models.TimeField(_("starts at"))
    duration = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    place = models.CharField(_("place or link"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(programme="programme")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("table or working group")
        verbose_name_plural = _("tables and working groups")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="governance_table_name_unique",
                violation_error_message=_("The programme has a table with this name already."),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="governance_table_has_name"),
            models.CheckConstraint(condition=Q(kind__in=TableKind.values), name="governance_table_kind_valid"),
            models.CheckConstraint(condition=Q(topic__in=Topic.values), name="governance_table_topic_valid"),
            models.CheckConstraint(
                condition=Q(recurrence__in=Recurrence.values), name="governance_table_recurrence_valid"
            ),
            models.CheckConstraint(
                condition=Q(duration__gte=15, duration__lte=720), name="governance_table_duration_sensible"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    """One meeting of a table: when and where, its agenda; once held, who attended, the minutes, the decisions."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("meeting status", "Scheduled")
        HELD = "held", pgettext_lazy("meeting status", "Held")
        CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")

    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place or link"), max_length=300, blank=True)
    agenda = models.TextField(_("agenda"), max_length=4000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    present_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("present (users)")
    )
    present_referents = models.ManyToManyField(
        Referent, related_name="+", blank=True, verbose_name=_("present (directory)")
    )
    # Minutes and decisions may speak of a woman by her code: encrypted like a case conference's decisions.
    minutes = EncryptedTextField(
        _("minutes"),
        max_length=20000,
        blank=True,
        help_text=_("Name the people the network serves by their code only, never by name."),
    )
    decisions = EncryptedTextField(_("decisions"), max_length=8000, blank=True, help_text=_("One decision per line."))
    # The invitation's SEQUENCE (RFC 5545): a calendar replaces an invitation it holds by one with a higher number.
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(programme="table__programme")

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="governance_meeting_ends_after"),
            models.CheckConstraint(
                condition=Q(status__in=["scheduled", "held", "cancelled"]), name="governance_meeting_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["table", "starts_at"], name="governance_meeting_when")]

    def __str__(self) -> str:
        return f"{self.table.name} · {self.starts_at:%Y-%m-%d}"

    def decision_lines(self) -> list[str]:
        return [line.strip() for line in self.decisions.splitlines() if line.strip()]


class OwedAction(models.Model):
    """The meeting engine's action: something a meeting gave a user to do, by a date; only she marks it done
    (``governance.engine.complete``). A table's meeting (``MeetingAction``) and a case conference
    (``intake.FollowUpAction``) give theirs with it, and both reach their owner's My work the same way
    (``governance.engine.action_source``)."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("action status", "Open")
        DONE = "done", pgettext_lazy("action status", "Done")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="%(app_label)s_owed_actions",
        verbose_name=_("owner"),
    )
    due = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        abstract = True

    # Each concrete action keeps this rule as a named check constraint: done exactly when it has its day.
    DONE_ON_WHEN_DONE = Q(status="open", done_on__isnull=True) | Q(status="done", done_on__isnull=False)

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE


class MeetingAction(OwedAction):
    """Something a table's meeting gave a user to do, by a date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=300)

    objects = ScopedManager(programme="meeting__table__programme")

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("action of a meeting")
        verbose_name_plural = _("actions of meetings")
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="governance_action_has_description"),
            models.CheckConstraint(condition=OwedAction.DONE_ON_WHEN_DONE, name="governance_action_done_on_when_done"),
        ]
        # Her open actions, for My work (``governance.selectors.my_actions``).
        indexes = [models.Index(fields=["owner", "due"], condition=Q(status="open"), name="governance_open_action")]

    def __str__(self) -> str:
        return self.description


class CalendarFeed(models.Model):
    """A user's private calendar address: the meetings of her tables, read by her calendar application.

    Only the token's SHA-256 is kept; a new address revokes the old one, and she may revoke it at any time.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme"], condition=Q(revoked_at__isnull=True), name="one_live_calendar_feed"
            )
        ]
