"""Pages of the funder reports: list, prepare, preview, approve, discard, download."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from approdi.core.forms import add_errors
from approdi.core.period import PeriodForm
from approdi.core.permissions import require_perm
from approdi.reports.common.downloads import download
from approdi.reports.models import REPORT_FORMATS

from . import approval, exports


class ApproveForm(forms.Form):
    """What a second coordinator signs: the figures she saw (their hash) and an explicit, never preselected, yes."""

    figures_hash = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=gettext_lazy("I have checked the figures above and approve them as the report to the funder."),
        error_messages={"required": gettext_lazy("Tick the box to confirm that you approve these figures.")},
    )


@login_required
def funder_list(request):
    require_perm(request, "reports.view_funder_reports")
    reports = approval.funder_reports(actor=request.user)
    return render(request, "reports/approval_list.html", {"reports": reports})


@login_required
def funder_prepare(request):
    require_perm(request, "reports.prepare_report")
    programme = request.membership.programme
    # The programme so far: a report is of days that have happened.
    today = timezone.localdate()
    form = PeriodForm(request.POST or None, initial={"start": programme.start, "end": min(programme.end, today)})
    if request.method == "POST" and form.is_valid():
        try:
            report = approval.prepare(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Draft prepared: check the figures, then ask a second coordinator to approve it.")
            )
            return redirect("reports:funder_detail", pk=report.pk)
    return render(request, "reports/approval_prepare.html", {"form": form, "programme": programme})


@login_required
def funder_detail(request, pk: int):
    require_perm(request, "reports.view_funder_reports")
    report = approval.funder_report(actor=request.user, pk=pk)
    return render(
        request,
        "reports/approval_detail.html",
        {
            "report": report,
            "sections": exports.rows(report.figures),
            "capacity": exports.capacity_rows(report.figures),
            "training_line": exports.training_line(report.figures),
            "may_approve": report.is_draft and request.user.has_perm("reports.approve_report", report),
            "may_prepare": report.is_draft and request.user.has_perm("reports.prepare_report"),
            "formats": REPORT_FORMATS,
            "differences": approval.live_differences(actor=request.user, report=report),
            "approve_form": ApproveForm(initial={"figures_hash": report.figures_hash}),
        },
    )


def _step(request, step, success: str, **arguments) -> bool:
    """One step of a draft's life by the acting user: a conflict or the success becomes the page's message."""
    try:
        step(actor=request.user, **arguments)
    except approval.ReportConflict as conflict:
        messages.error(request, conflict.message)
        return False
    messages.success(request, success)
    return True


@login_required
@require_POST
def funder_approve(request, pk: int):
    require_perm(request, "reports.approve_report")
    report = approval.funder_report(actor=request.user, pk=pk)
    require_perm(request, "reports.approve_report", report)  # the preparer, unless self-approval is allowed
    form = ApproveForm(request.POST)
    if report.is_draft and not form.is_valid():  # a report no longer a draft is answered by the service
        for problems in form.errors.values():
            messages.error(request, " ".join(str(problem) for problem in problems))
        return redirect("reports:funder_detail", pk=report.pk)
    _step(
        request,
        approval.approve,
        _("Report approved. Its files are kept exactly as they are now."),
        report=report,
        figures_hash=request.POST.get("figures_hash", ""),
    )
    return redirect("reports:funder_detail", pk=report.pk)


@login_required
@require_POST
def funder_refresh(request, pk: int):
    require_perm(request, "reports.prepare_report")
    report = approval.funder_report(actor=request.user, pk=pk)
    _step(request, approval.reprepare, _("Figures computed again from today's data."), report=report)
    return redirect("reports:funder_detail", pk=report.pk)


@login_required
@require_POST
def funder_discard(request, pk: int):
    require_perm(request, "reports.prepare_report")
    report = approval.funder_report(actor=request.user, pk=pk)
    if _step(request, approval.discard, _("Draft discarded."), report=report):
        return redirect("reports:funder_list")
    return redirect("reports:funder_detail", pk=report.pk)


@login_required
def funder_file(request, pk: int, fmt: str):
    require_perm(request, "reports.view_funder_reports")
    report = approval.funder_report(actor=request.user, pk=pk)
    if fmt not in REPORT_FORMATS:
        raise Http404
    content = approval.report_file(actor=request.user, report=report, fmt=fmt)
    return download(content, fmt, approval.filename(report, fmt))
