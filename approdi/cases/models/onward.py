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
