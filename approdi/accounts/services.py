"""Account writes: each one checks permission, validates, audits, and runs in one transaction."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.permissions import ensure
from approdi.network.models import Organisation, Programme
from approdi.network.services import ensure_partners

from .actor import Actor
from .models import ApiToken, Membership, User
from .roles import ROLES_GRANTED_BY_TWO, Role

RECOVERY_CODE_COUNT = 10


def _ensure_may_grant(*, actor: Actor | None, organisation: Organisation, programme: Programme) -> None:
    """An administrator grants roles in her own organisation, in programmes where she is its administrator.

    ``actor`` None is the operator's command line, which runs with the server's access already.
    """
    if actor is None:
        return
    if not actor.has_perm("accounts.manage_users") or actor.active_membership.organisation_id != organisation.pk:
        raise PermissionDenied
    if not grantable_programmes(actor=actor).filter(pk=programme.pk).exists():
        raise ValidationError(
            {"programme": _("You can grant roles only in a programme where you are this organisation's administrator.")}
        )


def grantable_programmes(*, actor: Actor):
    """The programmes in which the actor is the administrator of her acting organisation."""
    return (
        Programme.objects.filter(
            memberships__in=Membership.objects.acting().filter(
                user=actor, role=Role.ADMIN, organisation_id=actor.active_membership.organisation_id
            )
        )
        .distinct()
        .order_by("-start")
    )


def _check_grant(*, user: User | None, organisation: Organisation, programme: Programme, role: str) -> None:
    """What no grant may break, whoever makes it (page or command line)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role: %(role)s.") % {"role": role}})
    if organisation.is_enforcement:
        raise ValidationError(
            {
                "organisation": _(
                    "%(organisation)s is a law-enforcement or immigration body: it holds no account on Approdi, "
                    "so that nothing about the people the network helps reaches it."
                )
                % {"organisation": organisation.name}
            }
        )
    if role == Role.FILTRO and organisation.pk != programme.lead_organisation_id:
        raise ValidationError({"role": _("The Ufficio Filtro role exists only at the programme's lead entity.")})
    if user is not None and user.memberships.filter(organisation=organisation, programme=programme, role=role).exists():
        raise ValidationError({"role": _("This person already holds this role in this programme.")})
    # New memberships only: those a partner held before it left stay, to read what it filed.
    ensure_partners(programme, [organisation])


def _grant(
    *, actor: Actor | None, user: User, organisation: Organisation, programme: Programme, role: str
) -> Membership:
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("Nobody grants a role to herself: ask another administrator."))
    two_people = actor is not None and role in ROLES_GRANTED_BY_TWO
    membership = Membership(
        user=user,
        organisation=organisation,
        programme=programme,
        role=role,
        granted_by=actor,
        status=Membership.Status.PENDING if two_people else Membership.Status.ACTIVE,
    )
    membership.full_clean()
    membership.save()
    record(
        actor=actor,
        action=Action.CREATE,
        obj=membership,
        fields=["user", "role", "status"],
        organisation_id=organisation.pk,
        reason="" if actor is not None else "command line",
    )
    return membership


@transaction.atomic
def invite_user(
    *,
    actor: Actor | None,
    username: str,
    organisation: Organisation,
    programme: Programme,
    role: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> tuple[User, Membership]:
    """A new account and its first membership. An existing account is never touched: its username or
    e-mail is refused, and a role for an existing person is ``add_membership``."""
    _ensure_may_grant(actor=actor, organisation=organisation, programme=programme)
    _check_grant(user=None, organisation=organisation, programme=programme, role=role)
    errors = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [
            _("This username belongs to someone already. To give her another role, use “Add a role” beside her name.")
        ]
    if email and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("An account with this e-mail address exists already.")]
    if errors:
        raise ValidationError(errors)
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    record(
        actor=actor,
        action=Action.CREATE,
        obj=user,
        fields=["username", "email"],
        organisation_id=organisation.pk,
        reason="" if actor is not None else "command line",
    )
    return user, _grant(actor=actor, user=user, organisation=organisation, programme=programme, role=role)


@transaction.atomic
def add_membership(
    *, actor: Actor | None, user: User, organisation: Organisation, programme: Programme, role: str
) -> Membership:
    """Another role for an existing person; her name and e-mail stay as they are."""
    _ensure_may_grant(actor=actor, organisation=organisation, programme=programme)
    _check_grant(user=user, organisation=organisation, programme=programme, role=role)
    return _grant(actor=actor, user=user, organisation=organisation, programme=programme, role=role)


@transaction.atomic
def approve_grant(*, actor: Actor, membership: Membership) -> Membership:
    """A second person lets a pending role act."""
    ensure(actor, "accounts.approve_grants", membership)
    membership.status = Membership.Status.ACTIVE
    membership.approved_by = actor
    membership.approved_at = timezone.now()
    membership.full_clean()
    membership.save(update_fields=["status", "approved_by", "approved_at"])
    record(
        actor=actor,
        action=Action.CHANGE,
        obj=membership,
        fields=["status", "approved_by"],
        organisation_id=membership.organisation_id,
        reason="grant approved",
    )
    return membership


@transaction.atomic
def reject_grant(*, actor: Actor, membership: Membership) -> None:
    """A second person refuses a pending role: it is removed, and the refusal stays in the audit log."""
    ensure(actor, "accounts.approve_grants", membership)
    record(
        actor=actor,
        action=Action.DELETE,
        obj=membership,
        fields=["role"],
        organisation_id=membership.organisation_id,
        reason="grant rejected",
    )
    membership.delete()


def invitation_link(*, user: User, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("accounts:password_reset_confirm", args=[uid, token])


def send_invitation(*, user: User, base_url: str) -> str:
    link = invitation_link(user=user, base_url=base_url)
    if user.email:
        send_mail(
            _("Your Approdi account"),
            _("An account has been created for you on Approdi. Choose your password here: %(link)s") % {"link": link},
            None,
            [user.email],
        )
    return link


@transaction.atomic
def deactivate_user(*, actor: Actor, user: User) -> None:
    if (
        not actor.has_perm("accounts.manage_users")
        or not user.memberships.filter(organisation_id=actor.active_membership.organisation_id).exists()
    ):
        raise PermissionDenied
    user.is_active = False
    user.session_epoch += 1
    user.save(update_fields=["is_active", "session_epoch"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record(actor=actor, action=Action.CHANGE, obj=user, fields=["is_active"])


@transaction.atomic
def issue_token(*, user: User, days: int | None = None, name: str = "") -> tuple[ApiToken, str]:
    days = settings.APPRODI_TOKEN_DAYS if days is None else days
    if not 1 <= days <= 366:
        raise ValidationError({"days": _("A token lives between 1 and 366 days.")})
    raw = ApiToken.new_raw_key()
    token = ApiToken(
        user=user,
        name=name,
        key_hash=ApiToken.hash(raw),
        hint=raw[: len(ApiToken.PREFIX) + 4],
        expires_at=timezone.now() + timedelta(days=days),
    )
    token.save()
    record(actor=user, action=Action.CREATE, obj=token, fields=["name", "expires_at"], organisation_id=_first_org(user))
    return token, raw


@transaction.atomic
def revoke_token(*, actor: Actor, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        raise PermissionDenied
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor=actor, action=Action.CHANGE, obj=token, fields=["revoked_at"])


@transaction.atomic
def sign_out_everywhere(*, user: User) -> None:
    """Invalidates every session of the user, on every device, at once."""
    User.objects.filter(pk=user.pk).update(session_epoch=user.session_epoch + 1)
    user.session_epoch += 1
    record(actor=user, action=Action.SIGN_OUT, object_type="accounts.user", object_id=user.pk, reason="all sessions")


def _first_org(user: User) -> int | None:
    membership = user.memberships.order_by("id").first()
    return membership.organisation_id if membership else None


@transaction.atomic
def start_totp_enrolment(*, user: User) -> TOTPDevice:
    """A fresh, unconfirmed authenticator; replaced if the user starts again."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def confirm_totp_enrolment(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirms the authenticator with a code it shows and returns new recovery codes (shown once)."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(code.strip()):
        raise ValidationError({"code": _("The code is not valid. Check the time on your phone and try again.")})
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = replace_recovery_codes(user=user)
    record(
        actor=user,
        action=Action.CHANGE,
        object_type="accounts.user",
        object_id=user.pk,
        fields=["two_factor"],
        organisation_id=_first_org(user),
    )
    return codes


def replace_recovery_codes(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [f"{secrets.randbelow(10**10):010d}" for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def has_two_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
