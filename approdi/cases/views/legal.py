"""Legal support: permits (with renewals and conversions), the person's permit timeline, complaints,
criminal proceedings, asylum applications and their hearings. Kept to the legal seats of the team."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import deadlines, selectors
from ..forms.legal import HearingForm, MatterCloseForm, MatterForm, PermitForm, PermitIssueForm
from ..models import LegalMatter, Permit
from ..services import legal as legal_services
from ._common import LEGAL, READ_LEGAL, case_for_action, day, form_page, load_case, one, section, write


@login_required
def permit_apply(request, pk: int):
    case = case_for_action(request, pk, LEGAL)
    form = PermitForm(request.POST or None, initial={"application_date": timezone.localdate()})
    if (
        request.method == "POST"
        and form.is_valid()
        and write(form, legal_services.apply_for_permit, actor=request.user, case=case, **form.cleaned_data)
    ):
        messages.success(request, _("Permit application recorded."))
        return redirect(section(case, "legal"))
    return form_page(
        request, case, form, title=_("Apply for a permit"), submit=_("Record the application"), anchor="legal"
    )


@login_required
def permit_follow(request, pk: int, permit: int):
    """A renewal (same type) or a conversion (another type, e.g. work): a new application linked to the permit."""
    case = case_for_action(request, pk, LEGAL)
    previous = one(case.permits.all(), permit)
    initial = {"type": previous.type, "questura": previous.questura, "application_date": timezone.localdate()}
    form = PermitForm(request.POST or None, previous=previous, initial=initial)
    if request.method == "POST" and form.is_valid():
        created = write(
            form, legal_services.apply_for_permit, actor=request.user, case=case, previous=previous, **form.cleaned_data
        )
        if created:
            if created.change == Permit.Change.RENEWAL:
                messages.success(request, _("Renewal applied for."))
            else:
                messages.success(request, _("Conversion applied for."))
            return redirect(section(case, "legal"))
    return form_page(
        request,
        case,
        form,
        title=_("Renew or convert a permit"),
        intro=_("Permit: %(type)s, expiry %(expiry)s")
        % {
            "type": previous.get_type_display(),
            "expiry": day(previous.expiry) if previous.expiry else "—",
        },
        submit=_("Record the application"),
        anchor="legal",
    )


@login_required
def permit_issue(request, pk: int, permit: int):
    case = case_for_action(request, pk, LEGAL)
    found = one(case.permits.all(), permit)
    form = PermitIssueForm(request.POST or None, permit=found)
    if (
        request.method == "POST"
        and form.is_valid()
        and write(form, legal_services.issue_permit, actor=request.user, permit=found, **form.cleaned_data)
    ):
        messages.success(request, _("Permit issued."))
        return redirect(section(case, "legal"))
    return form_page(
        request,
        case,
        form,
        title=_("Permit issued"),
        intro=_("%(type)s, applied for on %(date)s at %(questura)s")
        % {
            "type": found.get_type_display(),
            "date": day(found.application_date),
            "questura": found.questura,
        },
        submit=_("Record the issue"),
        anchor="legal",
    )


@login_required
@require_POST
def permit_refuse(request, pk: int, permit: int):
    case = case_for_action(request, pk, LEGAL)
    found = one(case.permits.all(), permit)
    try:
        legal_services.refuse_permit(actor=request.user, permit=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Refusal recorded."))
    return redirect(section(case, "legal"))


@login_required
def permit_timeline(request, pk: int):
    """Every permit of the person in the cases the user sees, oldest first, with what followed what."""
    case = load_case(request, pk, READ_LEGAL)
    readable = selectors.legal_cases(selectors.cases_visible(actor=request.user), actor=request.user)
    permits = (
        Permit.objects.filter(case__in=readable, case__person_id=case.person_id)
        .select_related("previous")
        .order_by("application_date", "id")
    )
    context = {
        "case": case,
        "permits": permits,
        "watched_permits": set(deadlines.watched_permits(permits).values_list("pk", flat=True)),
        "back": section(case, "legal"),
    }
    return render(request, "cases/permit_timeline.html", context)


@login_required
def matter_open(request, pk: int):
    case = case_for_action(request, pk, LEGAL)
    form = MatterForm(request.POST or None, initial={"day": timezone.localdate()})
    if (
        request.method == "POST"
        and form.is_valid()
        and write(form, legal_services.open_matter, actor=request.user, case=case, **form.cleaned_data)
    ):
        messages.success(request, _("Recorded."))
        return redirect(section(case, "legal"))
    return form_page(
        request,
        case,
        form,
        title=_("Complaint, criminal proceeding or asylum application"),
        submit=_("Save"),
        anchor="legal",
    )


@login_required
def matter_close(request, pk: int, matter: int):
    case = case_for_action(request, pk, LEGAL)
    found = one(case.legal_matters.all(), matter)
    if found.status == LegalMatter.Status.CLOSED:
        messages.error(request, _("This matter is closed."))
        return redirect(section(case, "legal"))
    form = MatterCloseForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and write(form, legal_services.close_matter, actor=request.user, matter=found, **form.cleaned_data)
    ):
        messages.success(request, _("Closed with its outcome."))
        return redirect(section(case, "legal"))
    return form_page(
        request,
        case,
        form,
        title=_("Close: %(kind)s") % {"kind": found.get_kind_display()},
        intro=_("%(authority)s, since %(date)s") % {"authority": found.authority, "date": day(found.date)},
        submit=_("Close"),
        anchor="legal",
    )


HEARING_TITLES = {
    LegalMatter.Kind.ASYLUM: gettext_lazy("Interview at the Commissione Territoriale"),
    LegalMatter.Kind.CRIMINAL_PROCEEDING: gettext_lazy("Court hearing"),
}


@login_required
def hearing_add(request, pk: int, matter: int):
    case = case_for_action(request, pk, LEGAL)
    found = one(case.legal_matters.all(), matter)
    if found.status == LegalMatter.Status.CLOSED:
        messages.error(request, _("This matter is closed."))
        return redirect(section(case, "legal"))
    form = HearingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if write(
            form,
            legal_services.schedule_hearing,
            actor=request.user,
            matter=found,
            starts_at=form.starts_at(),
            place=data["place"],
            note=data["note"],
        ):
            messages.success(request, _("Hearing scheduled: alerts come 30, 14 and 7 days before."))
            return redirect(section(case, "legal"))
    return form_page(
        request,
        case,
        form,
        title=HEARING_TITLES.get(found.kind, _("Hearing")),
        intro=_("%(kind)s, %(authority)s") % {"kind": found.get_kind_display(), "authority": found.authority},
        submit=_("Schedule"),
        anchor="legal",
    )
