"""A path that leaves the project: a transfer to another project of the national network.

Not the ``Transfer`` of a case between organisations of this programme (the case moves and stays open): here
the person goes to a project this programme does not run, named in the directory. This programme's case closes
with outcome ``transfer`` only when she arrived (``services.case.close_case``), and a month later her case
manager asks how she is (My work).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from approdi.core.crypto import EncryptedTextField
from approdi.directory.models import BodyType

from .case import Case

# The follow-up a month after her arrival.
FOLLOW_UP_AFTER = timedelta(days=30)
# Directory bodies that can receive a person: projects of the network and the bodies that run one.
RECEIVING_TYPES = (BodyType.NETWORK, BodyType.NGO, BodyType.RECEPTION, BodyType.OTHER)


class ExternalTransfer(models.Model):
    class Answer(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="external_transfers")
    body = models.ForeignKey(
        "directory.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving project")
    )
    sent_on = models.DateField(_("date sent"))
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices, default=Answer.PENDING)
    answered_on = models.DateField(_("date of the answer"), null=True, blank=True)
    arrived_on = models.DateField(_("date of arrival"), null=True, blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    followed_up_on = models.DateField(_("date of the follow-up"), null=True, blank=True)
    follow_up = EncryptedTextField(_("follow-up"), max_length=2000, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(programme="case__programme")

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("transfer to another project")
        verbose_name_plural = _("transfers to another project")
        constraints = [
            # One transfer under way (waiting, or accepted and she has not arrived) per case.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(answer="pending") | Q(answer="accepted", arrived_on__isnull=True),
                name="one_external_transfer_under_way",
                violation_error_message=_("A transfer of this person to another project is under way already."),
            ),
            models.CheckConstraint(
                condition=(Q(answer="pending") & Q(answered_on__isnull=True))
                | (~Q(answer="pending") & Q(answered_on__gte=F("sent_on"))),
                name="external_transfer_answered_after_sent",
                violation_error_message=_("The answer comes after the transfer was sent."),
            ),
            models.CheckConstraint(
                condition=Q(arrived_on__isnull=True) | (Q(answer="accepted") & Q(arrived_on__gte=F("answered_on"))),
                name="external_transfer_arrives_when_accepted",
                violation_error_message=_("She arrives only after the receiving project accepted her."),
            ),
            models.CheckConstraint(
                condition=(Q(arrived_on__isnull=True) & Q(follow_up_due__isnull=True))
                | (Q(arrived_on__isnull=False) & Q(follow_up_due__isnull=False)),
                name="external_transfer_follow_up_after_arrival",
            ),
            models.CheckConstraint(
                condition=Q(followed_up_on__isnull=True) | Q(followed_up_on__gte=F("arrived_on")),
                name="external_transfer_followed_up_after_arrival",
                violation_error_message=_("The follow-up comes after her arrival."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.body)

    @property
    def under_way(self) -> bool:
        return self.answer == self.Answer.PENDING or (self.answer == self.Answer.ACCEPTED and self.arrived_on is None)


# The reintegration follow-up, after her arrival in her country is confirmed.
REINTEGRATION_AFTER = timedelta(days=90)
# A return waiting for IOM, or accepted and she has not left, and not withdrawn.
RETURN_UNDER_WAY = Q(withdrawn_on__isnull=True) & (Q(answer="pending") | Q(answer="accepted", departed_on__isnull=True))
# Directory bodies that run an assisted voluntary return: IOM first, or whoever acts for it.
RETURN_TYPES = (BodyType.IOM, BodyType.NGO, BodyType.OTHER)


class AssistedReturn(models.Model):
    """An assisted voluntary return (with IOM), followed through its steps, each with its date: the request to
    IOM, IOM's answer (and its reference), the travel documents, the planned departure, the departure (which
    closes this programme's case with outcome ``assisted_return``, never before), her arrival confirmed, and the
    reintegration follow-up. She may change her mind at any time before she leaves (``withdrawn_on``)."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("Waiting for IOM's answer")
        ACCEPTED = "accepted", _("Accepted by IOM")
        REFUSED = "refused", _("Refused by IOM")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assisted_returns")
    body = models.ForeignKey("directory.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("IOM office"))
    requested_on = models.DateField(_("date of the request to IOM"))
    notes = EncryptedTextField(_("documents needed and notes"), max_length=2000, blank=True)
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices, default=Answer.PENDING)
    answered_on = models.DateField(_("date of IOM's answer"), null=True, blank=True)
    reference = EncryptedTextField(_("IOM reference"), max_length=100, blank=True)
    documents_on = models.DateField(_("travel documents ready on"), null=True, blank=True)
    departure_planned = models.DateField(_("planned departure"), null=True, blank=True)
    departed_on = models.DateField(_("departure confirmed on"), null=True, blank=True)
    arrived_on = models.DateField(_("arrival confirmed on"), null=True, blank=True)
    reintegration_due = models.DateField(_("reintegration follow-up due"), null=True, blank=True)
    reintegration_on = models.DateField(_("date of the reintegration follow-up"), null=True, blank=True)
    reintegration = EncryptedTextField(_("reintegration follow-up"), max_length=2000, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(programme="case__programme")

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name = _("assisted voluntary return")
        verbose_name_plural = _("assisted voluntary returns")
        constraints = [
            # One return under way (waiting, or accepted and she has not left) per case.
            models.UniqueConstraint(
                fields=["case"],
                condition=RETURN_UNDER_WAY,
                name="one_assisted_return_under_way",
                violation_error_message=_("An assisted voluntary return of this person is under way already."),
            ),
            models.CheckConstraint(
                condition=(Q(answer="pending") & Q(answered_on__isnull=True))
                | (~Q(answer="pending") & Q(answered_on__gte=F("requested_on"))),
                name="assisted_return_answered_after_request",
                violation_error_message=_("IOM's answer comes after the request."),
            ),
            models.CheckConstraint(
                condition=Q(documents_on__isnull=True) | (Q(answer="accepted") & Q(documents_on__gte=F("answered_on"))),
                name="assisted_return_documents_when_accepted",
                violation_error_message=_("The travel documents come after IOM accepted the return."),
            ),
            models.CheckConstraint(
                condition=Q(departed_on__isnull=True)
                | (Q(documents_on__isnull=False) & Q(departed_on__gte=F("documents_on"))),
                name="assisted_return_departs_with_documents",
                violation_error_message=_("She leaves only once her travel documents are ready."),
            ),
            models.CheckConstraint(
                condition=Q(arrived_on__isnull=True) | Q(arrived_on__gte=F("departed_on")),
                name="assisted_return_arrives_after_departure",
                violation_error_message=_("Her arrival is confirmed after her departure."),
            ),
            models.CheckConstraint(
                condition=Q(reintegration_on__isnull=True) | Q(reintegration_on__gte=F("arrived_on")),
                name="assisted_return_reintegration_after_arrival",
                violation_error_message=_("The reintegration follow-up comes after her arrival."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(departed_on__isnull=True),
                name="assisted_return_withdrawn_before_departure",
                violation_error_message=_("A return cannot be withdrawn after her departure."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.body)

    @property
    def under_way(self) -> bool:
        if self.withdrawn_on is not None:
            return False
        return self.answer == self.Answer.PENDING or (self.answer == self.Answer.ACCEPTED and self.departed_on is None)

    @property
    def step(self) -> str:
        """The next step of a return under way, or after her departure: what the case page offers."""
        if self.withdrawn_on is not None or self.answer == self.Answer.REFUSED:
            return ""
        if self.answer == self.Answer.PENDING:
            return "answer"
        if self.documents_on is None:
            return "documents"
        if self.departed_on is None:
            return "departed"
        if self.arrived_on is None:
            return "arrived"
        if self.reintegration_on is None:
            return "reintegration"
        return ""


class Continuation(models.Model):
    """Her open case of an edition that ended, continued in the next edition of the same project: the case of
    the ended edition closes on its last day (outcome ``continued``), a new case opens in the next edition the day
    after (or on its first day), and each edition's figures count her for her own period in it."""

    from_case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="continued_in")
    to_case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="continued_from")
    day = models.DateField(_("first day in the next edition"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Read from the next edition, where it was made (the ended edition's page reads it through its case).
    objects = ScopedManager(programme="to_case__programme")

    class Meta:
        verbose_name = _("continuation in the next edition")
        verbose_name_plural = _("continuations in the next edition")
        constraints = [
            models.CheckConstraint(condition=~Q(from_case=F("to_case")), name="continuation_to_another_case"),
        ]

    def __str__(self) -> str:
        return f"{self.from_case_id} → {self.to_case_id}"
