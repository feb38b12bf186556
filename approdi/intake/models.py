"""The Ufficio Filtro: screening with the ILO/EC indicators, assessments, decisions, case conferences.

The people they are about, and their consent, live in ``approdi.people``.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from approdi.core.crypto import EncryptedTextField
from approdi.governance.models import OwedAction
from approdi.network.models import Organisation
from approdi.outreach.codes import Exploitation
from approdi.outreach.models import Referral
from approdi.people.codes import DecisionKind
from approdi.people.models import Person

from .rule import DIMENSIONS


class IndicatorList(models.Model):
    """One published version of one ILO/EC list. Screenings keep the version they used."""

    class Code(models.TextChoices):
        ADULT_LABOUR = "adult_labour", _("Adults, labour exploitation")
        ADULT_SEXUAL = "adult_sexual", _("Adults, sexual exploitation")
        CHILD_LABOUR = "child_labour", _("Children, labour exploitation")
        CHILD_SEXUAL = "child_sexual", _("Children, sexual exploitation")

    code = models.CharField(_("list"), max_length=20, choices=Code.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    source = models.CharField(_("source"), max_length=200)
    is_current = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="indicator_list_version_once"),
            models.UniqueConstraint(fields=["code"], condition=Q(is_current=True), name="one_current_list_per_code"),
        ]

    @property
    def for_children(self) -> bool:
        return self.code.startswith("child")

    def __str__(self) -> str:
        return f"{self.get_code_display()} v{self.version}"


class Indicator(models.Model):
    indicator_list = models.ForeignKey(IndicatorList, on_delete=models.PROTECT, related_name="indicators")
    ref = models.CharField(max_length=12)
    dimension = models.CharField(max_length=40, choices=[(k, v) for k, v in DIMENSIONS.items()])
    strength = models.CharField(
        max_length=6, choices=[("strong", _("strong")), ("medium", _("medium")), ("weak", _("weak"))]
    )
    text_en = models.TextField()
    text_it = models.TextField()

    class Meta:
        ordering = ["indicator_list", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_list", "ref"], name="indicator_ref_once_per_list"),
            models.CheckConstraint(
                condition=Q(strength__in=["strong", "medium", "weak"]), name="indicator_strength_valid"
            ),
            models.CheckConstraint(condition=Q(dimension__in=list(DIMENSIONS)), name="indicator_dimension_valid"),
        ]

    def text(self, language: str) -> str:
        return self.text_it if language.startswith("it") else self.text_en


class Screening(models.Model):
    """A screening with one version of a list: the rule's result and, beside it, the operator's own."""

    class Conclusion(models.TextChoices):
        PRESUMED_VICTIM = "presumed_victim", _("Presumed victim of trafficking")
        NOT_VICTIM = "not_victim", _("Not a victim of trafficking")
        UNCLEAR = "unclear", _("Unclear: more information is needed")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="screenings")
    referral = models.ForeignKey(Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="screenings")
    indicator_list = models.ForeignKey(IndicatorList, on_delete=models.PROTECT, related_name="+")
    indicators = models.ManyToManyField(Indicator, related_name="+", blank=True)
    dimensions = models.JSONField(default=dict)
    rule_presumed_victim = models.BooleanField(_("presumed victim according to the rule"))
    explanation = EncryptedTextField(_("explanation"))
    conclusion = models.CharField(_("operator's conclusion"), max_length=20, choices=Conclusion.choices)
    notes = EncryptedTextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(programme="person__programme")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")


class Vulnerability(models.TextChoices):
    PSYCHOLOGICAL_FRAGILITY = "psychological_fragility", _("Psychological fragility")
    PSYCHIATRIC_DISTRESS = "psychiatric_distress", _("Psychiatric distress")
    ILLITERACY = "illiteracy", _("Illiteracy")
    NO_SUPPORT_NETWORK = "no_support_network", _("No support network")
    PREGNANCY = "pregnancy", _("Pregnancy")
    CHILDREN = "children", _("Children in her or his care")
    HEALTH = "health", _("Health conditions")
    MINOR = "minor", _("Minor")
    DEBTS = "debts", _("Debts")
    THREATS_TO_FAMILY = "threats_to_family", _("Threats to the family")


class Assessment(models.Model):
    """Real vulnerability and the residence-permit paths that apply, with what is still missing."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assessments")
    vulnerabilities = models.JSONField(_("vulnerabilities"), default=list, blank=True)
    exploitation = models.CharField(_("exploitation"), max_length=20, choices=Exploitation.choices, blank=True)
    complaint_filed = models.BooleanField(_("a complaint has been filed"), default=False)
    cooperates_with_justice = models.BooleanField(_("the person cooperates with the judicial authority"), default=False)
    asylum_claim = models.BooleanField(_("an asylum claim is pending or intended"), default=False)
    permit_paths = models.JSONField(_("permit paths"), default=list, blank=True)
    missing = models.JSONField(_("what is missing"), default=list, blank=True)
    wishes = EncryptedTextField(_("the person's own will"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(programme="person__programme")

    class Meta:
        ordering = ["-created_at"]


class Decision(models.Model):
    Kind = DecisionKind

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="decisions")
    referral = models.ForeignKey(Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions")
    kind = models.CharField(_("decision"), max_length=20, choices=Kind.choices)
    reason = EncryptedTextField(_("reason"))
    stage = models.CharField(
        _("stage"),
        max_length=10,
        blank=True,
        choices=[
            ("emergency", _("Emergency")),
            ("first", _("First reception")),
            ("second", _("Second reception")),
            ("third", _("Third reception")),
        ],
    )
    urgent = models.BooleanField(_("urgent"), default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(programme="person__programme")

    class Meta:
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="residential") | ~Q(stage=""), name="residential_decision_has_stage"
            ),
        ]


class CaseConference(models.Model):
    """A multi-agency case conference (équipe multiagenzia) on one person's path."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="conferences")
    date = models.DateField(_("date"))
    organisations = models.ManyToManyField(Organisation, related_name="+", verbose_name=_("organisations taking part"))
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("participants with an account")
    )
    other_participants = EncryptedTextField(
        _("other participants"), blank=True, help_text=_("Names and bodies of people without an account, one per line.")
    )
    # Scheduled ahead, a conference has its time and place (the invitation's start and end, in the programme's
    # zone); recorded after the fact, its date alone. Its decisions are written once it has taken place
    # (``intake.services``): blank before, required after.
    start_time = models.TimeField(_("starts at"), null=True, blank=True)
    duration = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    place = models.CharField(_("place or link"), max_length=300, blank=True)
    decisions = EncryptedTextField(_("decisions"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(programme="person__programme")

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__isnull=True, duration__isnull=True)
                | Q(start_time__isnull=False, duration__gte=15, duration__lte=720),
                name="conference_time_and_duration",
            )
        ]

    @property
    def starts_at(self) -> datetime | None:
        """The aware start in the programme's wall-clock time, when the conference has a time."""
        if self.start_time is None:
            return None
        return timezone.make_aware(datetime.combine(self.date, self.start_time), timezone.get_current_timezone())

    @property
    def ends_at(self) -> datetime | None:
        start = self.starts_at
        return start + timedelta(minutes=self.duration or 0) if start is not None else None

    def has_begun(self) -> bool:
        """Whether it has taken place (its start, or its day, is not in the future): decisions may be written."""
        start = self.starts_at
        return start <= timezone.now() if start is not None else self.date <= timezone.localdate()


class FollowUpAction(OwedAction):
    """What a case conference gave a user of her case team to do, by a date: the meeting engine's action
    (``governance.models.OwedAction``), its description encrypted (it may speak of her)."""

    conference = models.ForeignKey(CaseConference, on_delete=models.CASCADE, related_name="actions")
    description = EncryptedTextField(_("action"), max_length=300)

    objects = ScopedManager(programme="conference__person__programme")

    class Meta:
        ordering = ["due", "id"]
        constraints = [
            models.CheckConstraint(condition=OwedAction.DONE_ON_WHEN_DONE, name="conference_action_done_on_when_done")
        ]
        # Her open actions, for My work (``intake.selectors.my_conference_actions``).
        indexes = [models.Index(fields=["owner", "due"], condition=Q(status="open"), name="open_conference_action")]


class ErasureRequest(models.Model):
    """A person's request of erasure (GDPR art. 17), recorded by the DPO and carried out only when a lead
    coordinator, a second person, approves it (``approdi/intake/erasure.py``).

    ``anonymise`` removes her identity and its blind indexes and keeps her code and records, so the figures
    reported stay the same; ``erase`` deletes her entirely, allowed only where no record the law or the funder
    keeps (a case, a placement, an entry in the programme, a document) speaks of her. The row keeps her code
    (a pseudonym) to prove the request was answered, never what was erased.
    """

    class Kind(models.TextChoices):
        ANONYMISE = "anonymise", _("Anonymise (her records and the figures stay, her identity goes)")
        ERASE = "erase", _("Erase entirely (only where no retention obligation applies)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a lead coordinator's approval")
        DONE = "done", _("Approved and carried out")
        REJECTED = "rejected", _("Rejected")

    REASON_MAX_LENGTH = 500

    programme = models.ForeignKey("network.Programme", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    person_code = models.CharField(_("person code"), max_length=20)
    kind = models.CharField(_("what to do"), max_length=10, choices=Kind.choices)
    received_on = models.DateField(_("request received on"))
    reason = models.CharField(_("note of the DPO"), max_length=REASON_MAX_LENGTH, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(programme="programme")

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            # The second person: whom recorded the request never decides it.
            models.CheckConstraint(
                condition=~Q(decided_by=models.F("requested_by")), name="erasure_decided_by_a_second_person"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_by__isnull=True)
                | (~Q(status="pending") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="erasure_decided_when_not_pending",
            ),
        ]
