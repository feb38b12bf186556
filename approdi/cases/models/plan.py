"""The individual plan (progetto educativo individualizzato): goals, actions, reviews, appointments.

Goals are never deleted: a review records each goal's status and progress at that date, so the
plan's history is the sequence of its reviews.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from approdi.core.crypto import EncryptedTextField

from .case import Case


class Domain(models.TextChoices):
    LEGAL = "legal", _("Legal")
    HEALTH = "health", _("Health")
    LANGUAGE = "language", _("Language")
    TRAINING = "training", _("Training")
    WORK = "work", _("Work")
    HOUSING = "housing", _("Housing")
    RELATIONSHIPS = "relationships", _("Relationships")


class GoalStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class Goal(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("domain"), max_length=15, choices=Domain.choices)
    description = EncryptedTextField(_("goal"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(programme="case__programme")

    class Meta:
        ordering = ["domain", "id"]


class PlanAction(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    description = EncryptedTextField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_actions", verbose_name=_("owner")
    )
    due = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(programme="goal__case__programme")

    class Meta:
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["owner", "due"], condition=Q(done_on__isnull=True), name="open_action_due")]


class Review(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    date = models.DateField(_("date"))
    summary = EncryptedTextField(_("summary"))
    next_review = models.DateField(_("next review"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(programme="case__programme")

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review__isnull=True) | Q(next_review__gt=models.F("date")),
                name="next_review_after_review",
                violation_error_message=_("The next review comes after this one."),
            )
        ]


class GoalProgress(models.Model):
    """A goal as it stood at a review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="progress")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(_("status"), max_length=10, choices=GoalStatus.choices)
    note = EncryptedTextField(_("progress"), max_length=500, blank=True)

    objects = ScopedManager(programme="review__case__programme")

    class Meta:
        ordering = ["goal__domain", "goal_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "goal"],
                name="one_progress_per_goal_and_review",
                violation_error_message=_("A review records each goal once."),
            )
        ]


class Appointment(models.Model):
    """An interview, accompaniment or meeting on a case, with the operator who goes."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appointments")
    starts_at = models.DateTimeField(_("when"))
    title = EncryptedTextField(_("what"), max_length=200)
    place = EncryptedTextField(_("where"), max_length=200, blank=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("operator")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(programme="case__programme")

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["operator", "starts_at"], name="appointment_operator_day")]
