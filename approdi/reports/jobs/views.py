"""Pages of the background exports: ask for one, watch its progress (htmx, every 2 s), download it."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from approdi.core.forms import add_errors
from approdi.core.permissions import require_perm
from approdi.outreach.forms import DateInput

from . import services as jobs

FORMATS = [("xlsx", "XLSX"), ("csv", "CSV"), ("pdf", "PDF")]


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Export"), widget=forms.RadioSelect)
    fmt = forms.ChoiceField(label=_("Format"), choices=FORMATS, widget=forms.RadioSelect, initial="xlsx")
    start = forms.DateField(
        label=_("From"), required=False, widget=DateInput(), help_text=_("Required for the funder summary.")
    )
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(key, kind.label) for key, kind in kinds]
        if kinds:
            self.fields["kind"].initial = kinds[0][0]


def _form(request, data=None) -> ExportForm:
    programme = request.membership.programme
    return ExportForm(
        data, kinds=jobs.kinds_for(request.user), initial={"start": programme.start, "end": programme.end}
    )


@login_required
def job_list(request):
    require_perm(request, "reports.export_in_background")
    own = jobs.my_jobs(actor=request.user)[:50]
    return render(request, "reports/job_list.html", {"jobs": own, "form": _form(request)})


@login_required
@require_POST
def job_create(request):
    require_perm(request, "reports.export_in_background")
    form = _form(request, request.POST)
    if form.is_valid():
        try:
            job = jobs.request_export(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("reports:job_detail", pk=job.pk)
    own = jobs.my_jobs(actor=request.user)[:50]
    return render(request, "reports/job_list.html", {"jobs": own, "form": form})


@login_required
def job_detail(request, pk: int):
    require_perm(request, "reports.export_in_background")
    job = jobs.my_job(actor=request.user, pk=pk)
    context = {"job": job, "expired": jobs.is_expired(job)}
    if request.htmx:
        return render(request, "reports/job_progress.html", context)
    return render(request, "reports/job_detail.html", context)


@login_required
def job_download(request, pk: int):
    require_perm(request, "reports.export_in_background")
    job = jobs.my_job(actor=request.user, pk=pk)
    require_perm(request, jobs.KINDS[job.kind].perm)
    try:
        content, content_type, filename = jobs.job_file(actor=request.user, job=job)
    except jobs.DownloadExpired:
        return render(request, "reports/job_detail.html", {"job": job, "expired": True}, status=410)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
