"""The DPO's answers to a person's requests: access and portability (one file), and erasure (with a lead
coordinator's approval)."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from approdi.core.forms import IsoDateInput, add_errors
from approdi.core.paginator import CappedPaginator
from approdi.core.permissions import require_perm
from approdi.network import retention

from . import access_file, erasure
from .models import ErasureRequest

EARLIEST = date(2000, 1, 1)


class AccessRequestForm(forms.Form):
    code = forms.CharField(
        label=_("Person code"),
        max_length=access_file.CODE_MAX_LENGTH,
        help_text=_("The code of the person who asks for her data."),
    )
    received_on = forms.DateField(label=_("Request received on"), widget=IsoDateInput())
    # No default: the DPO chooses what the person asked for.
    kind = forms.ChoiceField(
        label=_("File"),
        choices=[("pdf", _("PDF, to read")), ("json", _("JSON, to carry to another service (portability)"))],
        widget=forms.RadioSelect,
    )

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The request cannot be received in the future."))
        if day < EARLIEST or day < timezone.localdate() - timedelta(days=366 * 5):
            raise ValidationError(_("Give a date in the last five years."))
        return day


@login_required
def access_request(request):
    require_perm(request, "people.answer_access_request")
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            found = access_file.access_file(actor=request.user, code=data["code"], received_on=data["received_on"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            if data["kind"] == "json":
                response = HttpResponse(found.as_json(), content_type="application/json; charset=utf-8")
            else:
                response = HttpResponse(access_file.pdf(found), content_type="application/pdf")
            name = f"approdi-access-{found.person.code}-{timezone.localdate().isoformat()}.{data['kind']}"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    return render(request, "intake/access_request.html", {"form": form})


class ErasureRequestForm(forms.Form):
    code = forms.CharField(label=_("Person code"), max_length=access_file.CODE_MAX_LENGTH)
    received_on = forms.DateField(label=_("Request received on"), widget=IsoDateInput())
    # No default: anonymising or erasing is the DPO's choice for this person.
    kind = forms.ChoiceField(label=_("What to do"), choices=ErasureRequest.Kind.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Note of the DPO"),
        required=False,
        max_length=ErasureRequest.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Without the person's name: what she asked, and why this choice."),
    )

    clean_received_on = AccessRequestForm.clean_received_on


@login_required
def erasure_requests(request):
    """The requests of erasure: the DPO records one; a lead coordinator approves or rejects each."""
    require_perm(request, "intake.view_erasure_requests")
    may_request = request.user.has_perm("intake.request_erasure")
    form = ErasureRequestForm(request.POST or None) if may_request else None
    if request.method == "POST":
        require_perm(request, "intake.request_erasure")
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                erasure.request_erasure(
                    actor=request.user,
                    code=data["code"],
                    kind=data["kind"],
                    received_on=data["received_on"],
                    reason=data["reason"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Request recorded: a lead coordinator approves or rejects it."))
                return redirect("access:erasure_requests")
    page = CappedPaginator(erasure.erasure_requests(actor=request.user), 50).get_page(request.GET.get("page"))
    may_decide = request.user.has_perm("intake.decide_erasure")
    context = {"form": form, "page": page, "may_decide": may_decide}
    return render(request, "intake/erasure_requests.html", context)


@login_required
@require_POST
def erasure_decide(request, pk: int):
    require_perm(request, "intake.decide_erasure")
    found = erasure.erasure_requests(actor=request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    decision = request.POST.get("decision", "")
    if decision not in ("approve", "reject"):  # never a decision by default
        messages.error(request, _("Choose whether to approve or reject the request."))
        return redirect("access:erasure_requests")
    approve = decision == "approve"
    try:
        erasure.decide_erasure(actor=request.user, request=found, approve=approve)
    except PermissionDenied:
        messages.error(request, _("Whom recorded a request cannot decide it: another lead coordinator does."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Request approved and carried out.") if approve else _("Request rejected."))
    return redirect("access:erasure_requests")


class RetentionForm(forms.Form):
    """One field per kind of record: how many months the programme keeps it after its event, within the rule's
    bounds."""

    def __init__(self, *args, lines: list[retention.Line], **kwargs):
        super().__init__(*args, **kwargs)
        for line in lines:
            rule = line.rule
            bounds = {"minimum": rule.minimum, "maximum": rule.maximum}
            self.fields[line.kind] = forms.IntegerField(
                label=_("%(kind)s (months)") % {"kind": rule.label},
                min_value=rule.minimum,
                max_value=rule.maximum,
                initial=line.months,
                help_text=_("From %(minimum)s to %(maximum)s months; %(default)s by default. Counted from %(event)s.")
                % {**bounds, "default": rule.months, "event": rule.event},
                error_messages={
                    "min_value": _("At least %(minimum)s months.") % bounds,
                    "max_value": _("At most %(maximum)s months.") % bounds,
                    "invalid": _("Give a whole number of months."),
                    "required": _("Give a number of months."),
                },
            )


@login_required
def retention_schedule(request):
    """The programme's retention schedule: what is kept how long after its event, why, and what happens then; the
    lead entity's coordinators and DPO set the programme's own periods within each kind's bounds."""
    require_perm(request, "network.change_retention")
    programme = request.user.active_membership.programme
    lines = retention.schedule(programme)
    form = RetentionForm(request.POST or None, lines=lines)
    if request.method == "POST" and form.is_valid():
        try:
            retention.set_retention(actor=request.user, months=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Retention schedule saved."))
            return redirect("access:retention")
    return render(request, "intake/retention.html", {"form": form, "lines": lines, "programme": programme})
