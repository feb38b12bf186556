"""Ufficio Filtro pages: queue, person record, screening, assessment, decision, records."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approdi.cases import selectors as case_selectors
from approdi.cases.forms.document import DocumentForm
from approdi.cases.views.document import keep, kept_message
from approdi.core.forms import add_errors
from approdi.core.paginator import CappedPaginator
from approdi.core.permissions import require_perm
from approdi.oncall.selectors import on_call_for_call
from approdi.outreach import selectors as outreach_selectors
from approdi.outreach.codes import SourceType
from approdi.outreach.models import Referral
from approdi.people.flag_forms import flag_panel
from approdi.people.flags import with_flags
from approdi.people.models import Person
from approdi.people.services import has_consent
from approdi.shelter.night import night_stay, open_entries

from . import exports, records, selectors, services
from .forms import AssessmentForm, ConferenceForm, ConsentForm, DecisionForm, ExitForm, PersonForm, ScreeningForm
from .models import IndicatorList, Vulnerability
from .permits import permit_options
from .rule import DIMENSIONS


def _referral(request, pk) -> Referral:
    referral, _with_identity = outreach_selectors.referral_detail(actor=request.user, pk=pk)
    return referral


NIGHT_ENTRIES_SHOWN = 50


@login_required
def queue(request):
    require_perm(request, "intake.work_queue")
    status = request.GET.get("status", "")
    order = request.GET.get("order", "waiting")
    mine = request.GET.get("mine") == "1"
    rows = selectors.queue(
        actor=request.user,
        status=status if status in Referral.Status.values else "",
        source_type=request.GET.get("source", ""),
        order=order,
        assignee_id=request.user.pk if mine else None,
    )
    page = CappedPaginator(rows, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for referral in page:
        referral.days_waiting = selectors.days_waiting(referral, today)
    night_entries = list(open_entries(programme=request.membership.programme)[:NIGHT_ENTRIES_SHOWN])
    with_flags(entry.placement.person for entry in night_entries)
    return render(
        request,
        "intake/queue.html",
        {
            "night_entries": night_entries,
            "page": page,
            "status": status,
            "order": order,
            "mine": mine,
            "statuses": Referral.Status.choices,
            "sources": SourceType.choices,
            "source": request.GET.get("source", ""),
        },
    )


@login_required
def referral_workspace(request, pk: int):
    require_perm(request, "intake.work_queue")
    referral = _referral(request, pk)
    candidates = selectors.duplicates(
        actor=request.user,
        code=referral.person_code,
        given_name=referral.given_name,
        family_name=referral.family_name,
        birth_date=referral.birth_date,
    )
    on_call = None
    if referral.source_type == SourceType.HELPLINE:
        on_call = on_call_for_call(programme=referral.programme, day=referral.date, recorded_at=referral.created_at)
    context = {"referral": referral, "candidates": candidates, "on_call": on_call}
    return render(request, "intake/referral.html", context)


@login_required
@require_POST
def referral_attach(request, pk: int):
    require_perm(request, "intake.work_queue")
    referral = _referral(request, pk)
    person = _person(request, request.POST.get("person"))
    services.attach_referral(actor=request.user, referral=referral, person=person)
    messages.success(request, _("The referral is now attached to %(code)s.") % {"code": person.code})
    return redirect("intake:person", pk=person.pk)


@login_required
@require_POST
def referral_take(request, pk: int):
    require_perm(request, "intake.work_queue")
    referral = _referral(request, pk)
    services.assign_referral(actor=request.user, referral=referral, assignee=request.user)
    return redirect("intake:referral", pk=referral.pk)


def _person(request, pk) -> Person:
    try:
        return selectors.person_record(actor=request.user, pk=int(pk))
    except (TypeError, ValueError):
        raise Http404 from None


@login_required
def person_create(request):
    require_perm(request, "intake.work_queue")
    referral = _referral(request, request.GET["referral"]) if request.GET.get("referral", "").isdigit() else None
    initial = {}
    if referral is not None:
        initial = {
            name: getattr(referral, name) for name in ("given_name", "family_name", "birth_date", "phone", "gender")
        }
        initial.update(nationality=str(referral.nationality or ""), code=referral.person_code)
    form = PersonForm(request.POST or None, initial=initial)
    candidates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            candidates = selectors.duplicates(
                actor=request.user,
                code=data["code"],
                given_name=data["given_name"],
                family_name=data["family_name"],
                birth_date=data["birth_date"],
                aliases=data["aliases"],
            )
            if candidates and "confirm" not in request.POST:
                form.add_error(None, _("Possible duplicates found: check them, or confirm this is a new person."))
            else:
                person = services.register_person(actor=request.user, referral=referral, **data)
                return redirect("intake:person", pk=person.pk)
        except ValidationError as error:  # a code of punctuation only, or a rule of the person record
            add_errors(form, error)
    return render(request, "intake/person_form.html", {"form": form, "referral": referral, "candidates": candidates})


@login_required
def person_list(request):
    require_perm(request, "intake.work_queue")
    page = CappedPaginator(selectors.people(actor=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "intake/person_list.html", {"page": page})


@login_required
def person_detail(request, pk: int):
    require_perm(request, "intake.work_queue")
    person = _person(request, pk)
    latest_consent: OrderedDict[str, Any] = OrderedDict()
    for consent in person.consents.all():
        latest_consent.setdefault(consent.purpose, consent)
    with_flags([person])
    return render(
        request,
        "intake/person.html",
        flag_panel(request.user, person, back=request.get_full_path())
        | {
            "person": person,
            "consents": latest_consent,
            "consent_form": ConsentForm(initial={"day": timezone.localdate()}, auto_id="consent_%s"),
            "lists": IndicatorList.objects.filter(is_current=True).order_by("code"),
            "exit_form": ExitForm(initial={"day": timezone.localdate()}, auto_id="exit_%s"),
            "vulnerabilities": _vulnerability_labels(person),
            "permit_options": _permit_options(person),
            "night": night_stay(person),
            **_person_documents(request, person),
        },
    )


@login_required
def document_add(request, pk: int):
    """A document of the person's record (general: the Ufficio Filtro reads it); a case keeps its own."""
    require_perm(request, "intake.work_queue")
    require_perm(request, "cases.person_documents")
    person = _person(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None, with_roles=False, auto_id="document_%s")
    if request.method == "POST":
        document = keep(request, form, person=person)
        if document is not None:
            messages.success(request, kept_message(document))
            return redirect(f"{reverse('intake:person', kwargs={'pk': person.pk})}#documents")
    context = {
        "person": person,
        "form": form,
        "back": f"{reverse('intake:person', kwargs={'pk': person.pk})}#documents",
        "person_record": True,
    }
    return render(request, "cases/document_form.html", context, status=400 if form.errors else 200)


def _person_documents(request, person: Person) -> dict[str, Any]:
    documents = list(case_selectors.person_documents(actor=request.user, person=person))
    removable = {d.pk for d in documents if request.user.has_perm("cases.remove_document", d)}
    return {"documents": documents, "removable_documents": removable}


def _vulnerability_labels(person: Person) -> list[str]:
    assessment = person.assessments.first()
    labels = dict(Vulnerability.choices)
    return [str(labels.get(code, code)) for code in (assessment.vulnerabilities if assessment else [])]


def _permit_options(person: Person):
    assessment = person.assessments.first()
    if assessment is None:
        return []
    screening = person.screenings.first()
    return permit_options(
        exploitation=assessment.exploitation,
        complaint_filed=assessment.complaint_filed,
        cooperates=assessment.cooperates_with_justice,
        asylum_claim=assessment.asylum_claim,
        presumed_victim=bool(screening and screening.conclusion == "presumed_victim"),
    )


@login_required
def person_edit(request, pk: int):
    require_perm(request, "intake.work_queue")
    person = _person(request, pk)
    fields = [f for f in PersonForm.base_fields if f != "code"]
    form = PersonForm(request.POST or None, initial={f: getattr(person, f) for f in fields})
    form.fields.pop("code")
    if request.method == "POST" and form.is_valid():
        try:
            services.update_identity(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("intake:person", pk=person.pk)
    return render(request, "intake/person_form.html", {"form": form, "person": person})


@login_required
@require_POST
def consent(request, pk: int):
    require_perm(request, "intake.work_queue")
    person = _person(request, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.record_consent(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Consent recorded."))
    if form.errors:
        problems = " ".join(str(message) for messages_ in form.errors.values() for message in messages_)
        messages.error(request, _("The consent was not recorded: check the fields.") + " " + problems)
    return redirect("intake:person", pk=person.pk)


def _grouped(indicator_list, selected=()):
    language = get_language() or "it"
    groups = OrderedDict((d, {"label": label, "items": []}) for d, label in DIMENSIONS.items())
    for indicator in indicator_list.indicators.all():
        groups[indicator.dimension]["items"].append(
            {
                "ref": indicator.ref,
                "strength": indicator.strength,
                "label": indicator.get_strength_display(),
                "text": indicator.text(language),
                "checked": indicator.ref in selected,
            }
        )
    return [g | {"code": d} for d, g in groups.items() if g["items"]]


@login_required
def screening_create(request, pk: int):
    require_perm(request, "intake.work_queue")
    person = _person(request, pk)
    default = "child_sexual" if person.is_minor else "adult_sexual"
    indicator_list = selectors.indicator_list(code=request.GET.get("list", default))
    refs = request.POST.getlist("indicators")
    form = ScreeningForm(request.POST or None)
    evaluation = None
    if refs:
        try:
            evaluation, _chosen = services.evaluate_refs(indicator_list, refs, language=get_language() or "it")
        except ValidationError:
            evaluation = None
    if request.method == "POST" and request.htmx and "evaluate" in request.POST:
        return render(request, "intake/_evaluation.html", {"evaluation": evaluation})
    if request.method == "POST" and form.is_valid():
        referral = person.referrals.exclude(status=Referral.Status.CLOSED).first()
        try:
            screening = services.screen(
                actor=request.user,
                person=person,
                list_code=indicator_list.code,
                refs=refs,
                referral=referral,
                language=get_language() or "it",
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("intake:screening", pk=screening.pk)
    return render(
        request,
        "intake/screening_form.html",
        {
            "person": person,
            "indicator_list": indicator_list,
            "groups": _grouped(indicator_list, set(refs)),
            "form": form,
            "evaluation": evaluation,
            "lists": IndicatorList.objects.filter(is_current=True).order_by("code"),
        },
    )


@login_required
def screening_detail(request, pk: int):
    require_perm(request, "intake.work_queue")
    screening = selectors.screening(actor=request.user, pk=pk)
    language = get_language() or "it"
    chosen = [
        {
            "ref": i.ref,
            "dimension": DIMENSIONS[i.dimension],
            "strength": i.get_strength_display(),
            "text": i.text(language),
        }
        for i in screening.indicators.order_by("dimension", "ref")
    ]
    return render(
        request,
        "intake/screening.html",
        {
            "screening": screening,
            "explanation": selectors.explanation_in(screening, language=language),
            "chosen": chosen,
            "dimensions": [(DIMENSIONS[d], v) for d, v in screening.dimensions.items()],
        },
    )


@login_required
def assessment_create(request, pk: int):
    require_perm(request, "intake.work_queue")
    person = _person(request, pk)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.assess(actor=request.user, person=person, **form.cleaned_data)
        return redirect("intake:person", pk=person.pk)
    return render(request, "intake/assessment_form.html", {"person": person, "form": form})


@login_required
def decision_create(request, pk: int):
    require_perm(request, "intake.work_queue")
    person = _person(request, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        referral = person.referrals.exclude(status__in=[Referral.Status.CLOSED, Referral.Status.DECIDED]).first()
        try:
            services.decide(actor=request.user, person=person, referral=referral, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("intake:person", pk=person.pk)
    return render(request, "intake/decision_form.html", {"person": person, "form": form})


@login_required
def record_sheet(request, pk: int, kind: str):
    """Entry, exit and national-network records: a printable page, a PDF, and JSON for the national one."""
    require_perm(request, "intake.work_queue")
    if kind not in records.KINDS:
        raise Http404
    person = _person(request, pk)
    if kind == "national" and not has_consent(person, "national_network"):
        messages.error(request, _("The person has not consented to the transfer to the national network."))
        return redirect("intake:person", pk=person.pk)
    output = request.GET.get("format", "html")
    content = exports.record_sheet(actor=request.user, person=person, kind=kind, fmt=output, today=timezone.localdate())
    if output == "pdf":
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{kind}-{person.code}.pdf"'
        return response
    if output == "json" and kind == "national":
        return JsonResponse(content)
    return render(
        request,
        "intake/record_sheet.html",
        {"person": person, "kind": kind, "title": records.title(kind), "rows": content},
    )


@login_required
@require_POST
def exit_record(request, pk: int):
    require_perm(request, "intake.work_queue")
    person = _person(request, pk)
    form = ExitForm(request.POST)
    if form.is_valid():
        try:
            services.record_exit(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Exit recorded."))
    else:
        messages.error(request, _("The exit was not recorded: check the fields."))
    return redirect("intake:person", pk=person.pk)


@login_required
def conference_create(request, pk: int):
    require_perm(request, "intake.work_queue")
    person = _person(request, pk)
    form = ConferenceForm(request.POST or None, initial={"day": timezone.localdate()}, programme=person.programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_conference(actor=request.user, person=person, **form.conference())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Case conference recorded."))
            return redirect("intake:person", pk=person.pk)
    return render(request, "intake/conference_form.html", {"person": person, "form": form})


@login_required
def records_export(request):
    """Entry and exit records of the programme as CSV: labels and dates, no identity (audited)."""
    require_perm(request, "intake.work_queue")
    response = HttpResponse(exports.programme_records_csv(actor=request.user), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="entry-exit-records.csv"'
    return response
