"""What an import remembers of the files it imported (approdi/network/imports.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class ImportedFile(models.Model):
    """A file imported into a programme, by its SHA-256: importing the same file again would count every row twice."""

    programme = models.ForeignKey("network.Programme", on_delete=models.CASCADE, related_name="imported_files")
    kind = models.CharField(_("kind"), max_length=20)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    rows = models.PositiveIntegerField(_("rows"))
    # A deliberate second import of a file already imported (``--force``, or the page's checkbox).
    forced = models.BooleanField(_("imported again on purpose"), default=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(programme="programme")

    class Meta:
        verbose_name = _("imported file")
        verbose_name_plural = _("imported files")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind", "sha256"],
                condition=Q(forced=False),
                name="file_imported_once_unless_forced",
                violation_error_message=_("This file has been imported into this programme already."),
            ),
            models.CheckConstraint(condition=~Q(kind="") & ~Q(sha256=""), name="imported_file_kind_and_hash"),
        ]
