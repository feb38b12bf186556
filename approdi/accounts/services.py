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
from approdi.network.models import Organisation, Programme
from approdi.network.services import ensure_partners

from .models import ApiToken, Membership, User
from .roles import Role

RECOVERY_CODE_COUNT = 10


@transaction.atomic
def add_user(
    *,
    actor: User | None,
    username: str,
    organisation: Organisation,
    programme: Programme,
    role: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> tuple[User, bool]:
    """Create or update a user and give them a membership. ``actor`` None means the command line."""
    if actor is not None and not actor.has_perm("accounts.manage_users"):
        raise PermissionDenied
    if actor is not None and actor.active_membership.organisation_id != organisation.pk:
        # An administrator invites people into their own organisation only.
        raise PermissionDenied
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role: %(role)s.") % {"role": role}})
    seat = Membership.objects.filter(user__username=username, organisation=organisation, programme=programme, role=role)
    if not seat.exists():
        # New memberships only: those a partner had before leaving stay, to read what it filed.
        ensure_partners(programme, [organisation])
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username)
        user.set_unusable_password()
    if email:
        user.email = email
    if first_name:
        user.first_name = first_name
    if last_name:
        user.last_name = last_name
    user.full_clean()
    user.save()
    membership, membership_created = Membership.objects.get_or_create(
        user=user, organisation=organisation, programme=programme, role=role
    )
    if created:
        record(
            actor=actor, action=Action.CREATE, obj=user, fields=["username", "email"], organisation_id=organisation.pk
        )
    if membership_created:
        record(actor=actor, action=Action.CREATE, obj=membership, fields=["role"], organisation_id=organisation.pk)
    return user, created


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
def deactivate_user(*, actor: User, user: User) -> None:
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
def revoke_token(*, actor: User, token: ApiToken) -> None:
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
