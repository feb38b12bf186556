from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Action(models.TextChoices):
    VIEW = "view", _("View")
    CREATE = "create", _("Create")
    CHANGE = "change", _("Change")
    DELETE = "delete", _("Delete")
    EXPORT = "export", _("Export")
    SIGN_IN = "sign_in", _("Sign-in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    SIGN_OUT = "sign_out", _("Sign-out")
    PERMISSION_DENIED = "denied", _("Permission denied")
    BREAK_GLASS = "break_glass", _("Emergency access")


# Models that moved to another app keep the object type their entries were written under: the log is
# append-only, so a person's history must read (and be searched) the same before and after the move.
MOVED_MODELS = {
    "people.person": "intake.person",
    "people.personkey": "intake.personkey",
    "people.consent": "intake.consent",
    "people.programmerecord": "intake.programmerecord",
}


def object_type_of(obj: models.Model) -> str:
    """The ``object_type`` of an entry about ``obj``: its model's label, as it was first written."""
    label = obj._meta.label_lower
    return MOVED_MODELS.get(label, label)


class AuditEntry(models.Model):
    """One row per view, change, export or sign-in event. Append-only.

    Field values are never stored, only the names of the fields that changed. On PostgreSQL a
    trigger refuses UPDATE, DELETE and TRUNCATE (migration 0002).
    """

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    actor_username = models.CharField(_("user"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    programme = models.ForeignKey(
        "network.Programme", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        # What the application asks (the audit log's filters, a person's access file, the refused attempts):
        # equalities only, so no pattern index (PostgreSQL adds two per CharField with ``db_index``), and no index of
        # its own for the object type, the composite's prefix. Every entry written pays each index: an import of
        # 100,000 contacts writes 100,000 entries (docs/benchmarks.md, "Imports at scale").
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"]),
            models.Index(fields=["object_id"], name="audit_object_id"),
            models.Index(fields=["action"], name="audit_action"),
        ]
