import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_scopes import ScopedManager

from approdi.network.models import Organisation, Programme

from .roles import ROLES_GRANTED_BY_TWO, Role


class User(AbstractUser):
    """A member of staff. Accounts are created by invitation only."""

    # Bumped by "sign out everywhere": every session signed with the old value becomes invalid.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    # The kinds of notice she is told of by e-mail, by code: {"assigned": true, ...}; a kind not named takes its
    # default (``notifications.Kind.email_default``). Read with the user, so the header costs no query for it.
    email_notices = models.JSONField(_("e-mail notices"), default=dict, blank=True, editable=False)

    # Not fields. The membership the request acts under, set on the signed-in user by accounts/middleware.py,
    # api/auth.py and reports/jobs.py, read by services through ``Actor`` (accounts/actor.py). It is None when
    # the user holds no membership that acts; then no permission rule passes (accounts/rules.py reads it with
    # getattr), so services, which check permission first, may take it as set: hence not ``| None`` here.
    active_membership: "Membership"
    _approdi_memberships: "list[Membership]"  # accounts/scoping.py: memberships_of, read once per request
    _approdi_notice_counts: "dict[str, int]"  # accounts/notifications.py: counts, read once per request

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_session_auth_hash(self) -> str:
        return salted_hmac(
            "approdi.accounts.User.session", f"{self.password}:{self.session_epoch}", algorithm="sha256"
        ).hexdigest()


class MembershipQuerySet(models.QuerySet):
    def acting(self):
        """Memberships that act: approved, and never at a law-enforcement body (DESIGN.md §5)."""
        return self.filter(status=Membership.Status.ACTIVE).exclude(organisation__type=Organisation.Type.ENFORCEMENT)

    def pending(self):
        return self.filter(status=Membership.Status.PENDING)


class Membership(models.Model):
    """A user's role in one programme, held for one organisation.

    A role that sees people's data, granted by a person, acts only once a second person approves it
    (``ROLES_GRANTED_BY_TWO``); until then it is pending and gives no scope and no programme to act in.
    ``granted_by`` empty means the operator's command line (``add_user``) or the demo data.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        ACTIVE = "active", _("active")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("granted by")
    )
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["programme__code", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "programme", "role"], name="membership_unique"),
            models.CheckConstraint(condition=Q(role__in=[r.value for r in Role]), name="membership_role_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "active"]),
                name="membership_status_valid",
                violation_error_message=_("Unknown membership status."),
            ),
            models.CheckConstraint(
                condition=~Q(granted_by=models.F("user")),
                name="membership_not_granted_to_oneself",
                violation_error_message=_("Nobody grants a role to herself."),
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | (~Q(approved_by=models.F("granted_by")) & ~Q(approved_by=models.F("user"))),
                name="membership_approved_by_a_second_person",
                violation_error_message=_("A grant is approved by someone other than who granted or received it."),
            ),
            models.CheckConstraint(
                condition=~Q(status="pending", approved_by__isnull=False),
                name="membership_pending_has_no_approver",
                violation_error_message=_("A grant waiting for approval has no approver yet."),
            ),
            models.CheckConstraint(
                condition=~Q(
                    status="active",
                    role__in=sorted(ROLES_GRANTED_BY_TWO),
                    granted_by__isnull=False,
                    approved_by__isnull=True,
                ),
                name="membership_four_eyes",
                violation_error_message=_("A role that sees people's data acts only once a second person approves it."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} · {self.organisation.code} · {self.get_role_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class Notification(models.Model):
    """An event that happened to one user and waits until she has seen it: a case assigned to her, a transfer
    proposed to her (``notifications.py`` says why these are stored and the other kinds are derived). It names the
    person by her code only and links to where the work is."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("A case assigned to you")
        PROPOSED = "proposed", _("A transfer proposed to you")
        RETURN_STEP = "return_step", _("A voluntary return to prepare")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("person code"), max_length=40)
    path = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = ScopedManager(programme="programme")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "programme"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["assigned", "proposed", "return_step"]), name="notification_kind_valid"
            ),
        ]


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    PREFIX = "apd_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="token_expires_after_creation"
            )
        ]

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    @classmethod
    def new_raw_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def __str__(self) -> str:
        return f"{self.hint}…"


class ProviderIdentity(Device):
    """A user's account at the identity provider (OpenID Connect): its issuer and stable subject.

    Linked at her first provider sign-in (accounts/sso.py), after which only this subject signs her in. It is
    also a django-otp device, so a session whose provider asserted a second factor (acr/amr) counts as
    verified through it; it verifies no code typed by hand.
    """

    issuer = models.CharField(_("identity provider"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    linked_at = models.DateTimeField(_("linked"), auto_now_add=True)

    class Meta:
        verbose_name = _("identity at the provider")
        verbose_name_plural = _("identities at the provider")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="provider_identity_subject_unique"),
            models.UniqueConstraint(fields=["issuer", "user"], name="provider_identity_one_per_user"),
        ]

    def verify_token(self, token) -> bool:
        return False
