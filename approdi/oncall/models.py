"""The on-call roster: who answers the helpline's calls at night, on weekends and holidays."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from approdi.network.models import Organisation, Programme


class OnCallShift(models.Model):
    """One person on call for the programme from ``start`` to ``end`` (the lead entity plans them)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="on_call_shifts")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="on_call_shifts", verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="on_call_shifts", verbose_name=_("person")
    )
    phone = models.CharField(_("phone"), max_length=30)
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("to"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(programme="programme")

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("on-call shift")
        verbose_name_plural = _("on-call shifts")
        indexes = [models.Index(fields=["programme", "start", "end"], name="on_call_when")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="on_call_ends_after_start",
                violation_error_message=_("A shift ends after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start:%d/%m/%Y %H:%M}–{self.end:%d/%m/%Y %H:%M} · {self.user}"
