"""The case (presa in carico): who leads it, who is on its team, how it moves and ends."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from approdi.core.crypto import EncryptedTextField
from approdi.network.models import Organisation, Programme


class Outcome(models.TextChoices):
    AUTONOMY = "autonomy", _("Autonomy reached")
    TRANSFERRED = "transfer", _("Transferred")
    ASSISTED_RETURN = "assisted_return", _("Assisted voluntary return")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    CONTINUED = "continued", _("Continued in the next edition")
    OTHER = "other", _("Other")


class Case(models.Model):
    class Type(models.TextChoices):
        RESIDENTIAL = "residential", _("Residential")
        TERRITORIAL = "territorial", _("Territorial")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cases")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
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
    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    decision = models.OneToOneField(
        "intake.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="case"
    )

    objects = ScopedManager(programme="programme")

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        # The case list's order (``selectors.case_list``): a page is read in index order, no sort of the programme.
        indexes = [models.Index(fields=["programme", "status", "-start", "-id"], name="case_list")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="case_ends_after_start",
                violation_error_message=_("A case cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["person", "programme"],
                condition=Q(status="active"),
                name="one_active_case",
                violation_error_message=_("The person already has an active case in this programme."),
            ),
            # A closed case has its end and its outcome; an open one has neither.
            models.CheckConstraint(
                condition=(Q(status="closed") & Q(end__isnull=False) & ~Q(outcome=""))
                | (~Q(status="closed") & Q(end__isnull=True) & Q(outcome="")),
                name="case_closed_with_end_and_outcome",
                violation_error_message=_("A closed case needs its end date and outcome; an open one has neither."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.code} · {self.get_type_display()}"

    def seat_of(self, user) -> str | None:
        """The user's role on the team, or None. The team is read once per case object (or prefetched)."""
        seats = getattr(self, "_approdi_seats", None)
        if seats is None:
            seats = dict(self.members.filter(removed_at__isnull=True).values_list("user_id", "role"))
            self._approdi_seats = seats
        return seats.get(user.pk)

    def emergency_access_of(self, user):
        """The user's break-glass grant in force on the case (``BreakGlass``), or None; read once per case object."""
        grants = getattr(self, "_approdi_glass", None)
        if grants is None:
            grants = {}
            for grant in self.break_glass.active().order_by("ends_at"):
                grants[grant.user_id] = grant
            self._approdi_glass = grants
        return grants.get(user.pk)


class TeamRole(models.TextChoices):
    CASE_MANAGER = "case_manager", _("Case manager")
    CASE_WORKER = "case_worker", _("Case worker")
    EDUCATOR = "educator", _("Shelter educator")
    LEGAL = "legal", _("Legal advisor")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    HEALTH = "health", _("Health worker")
    MEDIATOR = "mediator", _("Linguistic-cultural mediator")


class TeamMember(models.Model):
    """A named user on a case team. Users of another organisation join only with the person's consent.

    Leaving the team (or a revoked share) keeps the row with ``removed_at``: who had access, and when.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role on the team"), max_length=15, choices=TeamRole.choices)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(programme="case__programme")

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(removed_at__isnull=True),
                name="one_active_seat_per_user",
                violation_error_message=_("This person is on the team already."),
            ),
        ]


class Transfer(models.Model):
    """A transfer to a named user of another organisation (as Primero does): it moves the case on acceptance."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        REVOKED = "revoked", _("Revoked")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="incoming_transfers", verbose_name=_("to")
    )
    reason = EncryptedTextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    answer = EncryptedTextField(_("answer"), blank=True)

    objects = ScopedManager(programme="case__programme")

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="pending"),
                name="one_pending_transfer",
                violation_error_message=_("A transfer of this case is waiting for an answer already."),
            ),
            models.CheckConstraint(
                condition=~Q(from_organisation=models.F("to_organisation")),
                name="transfer_changes_organisation",
                violation_error_message=_("A transfer goes to another organisation."),
            ),
        ]


# Legal, psychological and health records (notes, documents) are read only by their author's role on the team.
SPECIAL_STAY_WITH_THE_ROLE = Q(domain="general") | Q(confidentiality="role")


class Note(models.Model):
    """A case note. ``role`` notes (legal, psychological, health) are read only by the author's role on the team."""

    class Confidentiality(models.TextChoices):
        TEAM = "team", _("The whole case team")
        ROLE = "role", _("Only my role on the team")

    class Domain(models.TextChoices):
        GENERAL = "general", _("General")
        LEGAL = "legal", _("Legal")
        PSYCHOLOGICAL = "psychological", _("Psychological")
        HEALTH = "health", _("Health")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    date = models.DateField(_("date"))
    domain = models.CharField(_("domain"), max_length=15, choices=Domain.choices, default=Domain.GENERAL)
    confidentiality = models.CharField(
        _("who may read it"), max_length=4, choices=Confidentiality.choices, default=Confidentiality.TEAM
    )
    author_role = models.CharField(_("author's role on the team"), max_length=15, choices=TeamRole.choices)
    text = EncryptedTextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(programme="case__programme")

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            # Legal, psychological and health notes never go to the whole team.
            models.CheckConstraint(
                condition=SPECIAL_STAY_WITH_THE_ROLE,
                name="special_notes_stay_with_the_role",
                violation_error_message=_("Legal, psychological and health notes are read only by the author's role."),
            ),
        ]


def confidentiality_for(*, domain: str, chosen: str) -> str:
    """Who may read a note or a document: ``chosen``, except that legal, psychological and health records
    always stay with the author's role on the team (``SPECIAL_STAY_WITH_THE_ROLE``)."""
    if domain != Note.Domain.GENERAL:
        return Note.Confidentiality.ROLE
    return chosen
