"""Break-glass: a user off a case's team opens it in an emergency, with a reason, for a few hours.

The grant is read by the one visibility rule (``selectors.cases_visible``) and by the case permissions
(``accounts.rules``: ``cases.read_in_emergency``); the DPO reviews every grant, and the DPO and the case
manager are told of it the next morning (``manage.py send_break_glass_notices``).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .case import Case

REASON_MIN_LENGTH = 10
REASON_MAX_LENGTH = 500
# The object type of the audit rows of emergency accesses refused: the DPO reviews the attempts beside the accesses.
REFUSED_OBJECT_TYPE = "cases.breakglass"


class BreakGlassQuerySet(models.QuerySet):
    def active(self, *, at=None):
        """The grants in force at ``at`` (now): started and not yet ended."""
        at = at or timezone.now()
        return self.filter(started_at__lte=at, ends_at__gt=at)


class BreakGlass(models.Model):
    """One emergency access: who opened which case, why, from when to when, and whether it was notified."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="break_glass", verbose_name=_("case"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20)
    reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH)
    started_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)

    objects = ScopedManager(
        programme="case__programme", _manager_class=models.Manager.from_queryset(BreakGlassQuerySet)
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        indexes = [models.Index(fields=["user", "ends_at"], name="break_glass_of_user")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("started_at")),
                name="break_glass_ends_after_start",
                violation_error_message=_("An emergency access ends after it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="break_glass_has_reason",
                violation_error_message=_("An emergency access needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.user_id} · {self.started_at:%d/%m/%Y %H:%M}"
