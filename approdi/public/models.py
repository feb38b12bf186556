"""The public site's content: its texts in every language, and the desks of public offices it lists.

Nothing here is about a person: these are the pages anyone may read, without signing in.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from approdi.network.models import Organisation

from .languages import CODES, KEYS, MAX_TEXT, SOURCE


class PublicText(models.Model):
    """One text of the public pages in one language.

    ``revision`` counts its changes. A translation keeps the revision of the Italian it was checked against
    (``source_revision``): when the Italian changes after, the translation needs review.
    """

    language = models.CharField(_("language"), max_length=8, choices=[(c, c) for c in CODES])
    key = models.CharField(_("text"), max_length=30, choices=list(KEYS.items()))
    text = models.TextField(_("text"), validators=[MaxLengthValidator(MAX_TEXT)])
    revision = models.PositiveIntegerField(default=1)
    source_revision = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["language", "key"]
        verbose_name = _("public text")
        verbose_name_plural = _("public texts")
        constraints = [
            models.UniqueConstraint(fields=["language", "key"], name="public_text_once_per_language"),
            models.CheckConstraint(condition=Q(language__in=CODES), name="public_text_language_valid"),
            models.CheckConstraint(condition=Q(key__in=list(KEYS)), name="public_text_key_valid"),
            models.CheckConstraint(condition=~Q(text=""), name="public_text_not_empty"),
            # The Italian is the source; every translation names the Italian revision it was checked against.
            models.CheckConstraint(
                condition=Q(language=SOURCE, source_revision__isnull=True)
                | (~Q(language=SOURCE) & Q(source_revision__isnull=False)),
                name="public_text_translation_has_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} · {self.key}"


weekdays_validator = RegexValidator(r"^[0-6]{1,7}$", _("Days as digits from 0 (Monday) to 6 (Sunday)."))


class Desk(models.Model):
    """A desk of a public office where people may come: never a shelter (shelters' addresses are secret)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="public_desks", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    weekdays = models.CharField(_("open on"), max_length=7, validators=[weekdays_validator])
    opens = models.TimeField(_("opens at"))
    closes = models.TimeField(_("closes at"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("public desk")
        verbose_name_plural = _("public desks")
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="desk_closes_after_opening"),
            models.CheckConstraint(condition=Q(weekdays__regex=r"^[0-6]{1,7}$"), name="desk_weekdays_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def days_label(self) -> str:
        """The opening days in the active language: a run of three days or more as "Monday–Friday"."""
        days = sorted({int(d) for d in self.weekdays})
        runs: list[list[int]] = []
        for day in days:
            if runs and day == runs[-1][-1] + 1:
                runs[-1].append(day)
            else:
                runs.append([day])
        parts = []
        for run in runs:
            if len(run) >= 3:
                parts.append(f"{WEEKDAYS[run[0]]}–{WEEKDAYS[run[-1]]}")
            else:
                parts += [str(WEEKDAYS[d]) for d in run]
        return ", ".join(parts)
