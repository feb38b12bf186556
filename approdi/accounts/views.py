from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.forms import add_errors
from approdi.core.permissions import allow_unverified, require_perm
from approdi.core.redirects import safe_next
from approdi.network.closing import lead_approver_missing

from . import notifications, ratelimit, selectors, services
from .forms import CodeForm, InviteForm, NoticeEmailForm, RoleForm, SignInForm, TokenForm
from .middleware import SESSION_MEMBERSHIP_KEY
from .models import Membership
from .signals import organisation_of

ENROLMENT_SESSION_KEY = "approdi_totp_enrolment"


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.APPRODI_OIDC_ENABLED:
            context["sso_label"] = settings.APPRODI_OIDC_LABEL
            context["sso_url"] = f"{reverse('accounts:oidc_start')}?{urlencode({'next': safe_next(self.request, '')})}"
        return context

    def get_success_url(self):
        query = urlencode({"next": safe_next(self.request, reverse("core:home"))})
        return f"{reverse('accounts:two_factor')}?{query}"


def locked_out(request, credentials=None, *args, **kwargs):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


@allow_unverified
@login_required
def two_factor(request):
    """Second step of sign-in: a code from the authenticator, or enrolment if there is none yet."""
    user = request.user
    next_url = safe_next(request, reverse("core:home"))
    if user.is_verified():
        return redirect(next_url)
    if not services.has_two_factor(user):
        return enrol_two_factor(request, next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"].strip())
        if device is not None:
            otp_login(request, device)
            # A new session key once both factors are in: a key seen before sign-in opens nothing.
            request.session.cycle_key()
            record(actor=user, action=Action.SIGN_IN, organisation_id=organisation_of(user))
            return redirect(next_url)
        record(
            action=Action.SIGN_IN_FAILED,
            username=user.username,
            reason="second factor",
            organisation_id=organisation_of(user),
        )
        form.add_error("code", _("The code is not valid, or it was used already. Wait a few seconds and try again."))
    return render(request, "accounts/two_factor.html", {"form": form, "next": next_url})


def enrol_two_factor(request, next_url):
    user = request.user
    device = TOTPDevice.objects.filter(
        user=user, confirmed=False, pk=request.session.get(ENROLMENT_SESSION_KEY)
    ).first()
    if device is None:
        device = services.start_totp_enrolment(user=user)
        request.session[ENROLMENT_SESSION_KEY] = device.pk
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_totp_enrolment(user=user, device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            otp_login(request, device)
            request.session.cycle_key()
            record(actor=user, action=Action.SIGN_IN, organisation_id=organisation_of(user))
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title=_("QR code to scan with your authenticator app")
    )
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/enrol.html", {"form": form, "qr_svg": qr_svg, "secret": secret, "next": next_url})


@allow_unverified
@require_POST
def sign_out(request):
    logout(request)
    return redirect("accounts:login")


@login_required
@require_POST
def sign_out_everywhere(request):
    services.sign_out_everywhere(user=request.user)
    logout(request)
    messages.success(request, _("You have been signed out on every device."))
    return redirect("accounts:login")


@login_required
@require_POST
def switch_membership(request):
    try:
        membership_id = int(request.POST.get("membership", ""))
    except ValueError:
        membership_id = None
    membership = get_object_or_404(Membership.objects.acting().filter(user=request.user), pk=membership_id)
    request.session[SESSION_MEMBERSHIP_KEY] = membership.pk
    return HttpResponseRedirect(reverse("core:home"))


@login_required
def my_account(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.issue_token(
            user=request.user, days=form.cleaned_data["days"], name=form.cleaned_data["name"]
        )
        form = TokenForm()
    tokens = request.user.api_tokens.all()
    return render(
        request,
        "accounts/my_account.html",
        {"form": form, "tokens": tokens, "new_token": new_token, "notice_form": _notice_form(request.user)},
    )


def _notice_form(user, data=None) -> NoticeEmailForm | None:
    kinds = notifications.kinds_for(user)
    if not kinds:
        return None
    chosen = [kind.code for kind in kinds if notifications.wants_email(user, kind.code)]
    return NoticeEmailForm(data, kinds=kinds, initial={"kinds": chosen})


@login_required
@require_POST
def notice_emails(request):
    """Her choice of the notices she is told of by e-mail (My account)."""
    form = _notice_form(request.user, request.POST)
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        notifications.set_email_kinds(actor=request.user, chosen=form.cleaned_data["kinds"])
        messages.success(request, _("Your choice of e-mails has been saved."))
        return redirect(reverse("accounts:my_account") + "#notices-title")
    tokens = request.user.api_tokens.all()
    return render(
        request,
        "accounts/my_account.html",
        {"form": TokenForm(), "tokens": tokens, "new_token": None, "notice_form": form},
        status=400,
    )


@login_required
@require_POST
def notice_read(request, pk: int):
    """Marks one of her notices read; another's answers 404."""
    notifications.mark_read(actor=request.user, pk=pk)
    return redirect(reverse("cases:my_work") + "#needs-you")


@login_required
@require_POST
def revoke_token(request, pk: int):
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    services.revoke_token(actor=request.user, token=token)
    messages.success(request, _("The token has been revoked."))
    return redirect("accounts:my_account")


def _require_user_manager(request) -> None:
    if not request.user.has_perm("accounts.manage_users"):
        record(
            actor=request.user, action=Action.PERMISSION_DENIED, object_type="accounts.user", reason="user management"
        )
        raise PermissionDenied


@login_required
def users(request):
    _require_user_manager(request)
    programmes = services.grantable_programmes(actor=request.user)
    form = InviteForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, membership = services.invite_user(
                actor=request.user,
                username=data["username"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                organisation=request.membership.organisation,
                programme=data["programme"],
                role=data["role"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            services.send_invitation(user=user, base_url=request.build_absolute_uri("/"))
            messages.success(request, _("%(username)s has been invited by e-mail.") % {"username": user.username})
            if membership.is_pending:
                messages.info(request, _("Her role acts once a coordinator of the lead entity approves it."))
            return redirect("accounts:users")
    members = selectors.members_of_organisation(actor=request.user)
    programme = request.membership.programme
    return render(
        request,
        "accounts/users.html",
        {"form": form, "members": members, "programme": programme, "no_approver": lead_approver_missing(programme)},
    )


@login_required
def add_role(request, pk: int):
    """Another role for a person who has an account already: a separate, audited grant."""
    _require_user_manager(request)
    person = get_object_or_404(selectors.members_of_organisation(actor=request.user).exclude(pk=request.user.pk), pk=pk)
    form = RoleForm(request.POST or None, programmes=services.grantable_programmes(actor=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.add_membership(
                actor=request.user,
                user=person,
                organisation=request.membership.organisation,
                programme=form.cleaned_data["programme"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if membership.is_pending:
                messages.success(request, _("The role waits for the approval of a coordinator of the lead entity."))
            else:
                messages.success(request, _("The role has been added."))
            return redirect("accounts:users")
    return render(request, "accounts/add_role.html", {"form": form, "person": person})


@login_required
def grants(request):
    """Roles that see people's data, waiting for a second person."""
    require_perm(request, "accounts.approve_grants")
    return render(request, "accounts/grants.html", {"grants": selectors.pending_grants(actor=request.user)})


@login_required
@require_POST
def decide_grant(request, pk: int, decision: str):
    require_perm(request, "accounts.approve_grants")
    membership = get_object_or_404(selectors.pending_grants(actor=request.user), pk=pk)
    if not request.user.has_perm("accounts.approve_grants", membership):
        record(actor=request.user, action=Action.PERMISSION_DENIED, obj=membership, reason="own grant or own role")
        raise PermissionDenied
    if decision == "approve":
        services.approve_grant(actor=request.user, membership=membership)
        messages.success(request, _("The role of %(username)s acts from now on.") % {"username": membership.user})
    else:
        services.reject_grant(actor=request.user, membership=membership)
        messages.success(request, _("The role of %(username)s has been refused.") % {"username": membership.user})
    return redirect("accounts:grants")


@login_required
@require_POST
def deactivate(request, pk: int):
    user = get_object_or_404(selectors.members_of_organisation(actor=request.user), pk=pk)
    services.deactivate_user(actor=request.user, user=user)
    messages.success(request, _("%(username)s can no longer sign in.") % {"username": user.username})
    return redirect("accounts:users")


class PasswordResetView(auth_views.PasswordResetView):
    """Sends the link to set a password, a few times an hour at most per address typed and per client address:
    the limit does not tell whether an account has that address."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        per_email = ratelimit.exceeded(
            "password-reset-email", form.cleaned_data["email"], limit=settings.APPRODI_PASSWORD_RESET_LIMIT
        )
        per_ip = ratelimit.exceeded(
            "password-reset-ip",
            self.request.META.get("REMOTE_ADDR") or "",
            limit=settings.APPRODI_PASSWORD_RESET_IP_LIMIT,
        )
        if per_email or per_ip:
            form.add_error(
                None,
                _("Too many requests for a new password. Try again in an hour, or ask your administrator."),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been set. You can sign in now."))
        return super().form_valid(form)
