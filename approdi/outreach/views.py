"""Outreach pages. Thin: forms in, services and selectors do the work."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approdi.core.forms import add_errors, amend_reason, offer_amend_reason
from approdi.core.importing import ImportFailed, template_csv
from approdi.core.paginator import CappedPaginator, newest_first_page
from approdi.core.period import Period
from approdi.core.permissions import require_perm
from approdi.directory import selectors as directory
from approdi.directory.forms import offer_directory
from approdi.network.imports import run_import

from . import exports, selectors, services
from .codes import Channel, age_band_of_birth_year
from .forms import (
    AccessForm,
    ContactForm,
    CountsForm,
    HeadcountForm,
    ImportForm,
    IndoorContactForm,
    OutingEndForm,
    OutingForm,
    PersonFactsForm,
    ReferralForm,
    SiteForm,
    offline_site_choice,
)
from .models import Outing
from .offline import kept_offline


@login_required
@kept_offline
def index(request):
    if not (request.user.has_perm("outreach.view_counts") or request.user.has_perm("outreach.view_referrals")):
        require_perm(request, "outreach.view_counts")
    context = {}
    if request.user.has_perm("outreach.view_contacts"):
        context["outings"] = selectors.outings(actor=request.user)[:10]
    return render(request, "outreach/index.html", context)


def _outing_defaults(request) -> dict:
    now = timezone.localtime()
    defaults: dict[str, Any] = {"date": now.date(), "shift": "night" if now.hour >= 18 or now.hour < 6 else "day"}
    last = Outing.objects.filter(created_by=request.user).order_by("-date", "-id").first()
    if last is not None:
        defaults.update(team=last.team, area=last.area_id)
    return defaults


@login_required
@kept_offline
def outing_create(request):
    require_perm(request, "outreach.record_contact")
    form = OutingForm(request.POST or None, initial=_outing_defaults(request))
    # Offline, the app sends the outing to the sync batch, which names an area by its code (docs/offline.md).
    area_codes = json.dumps({str(area.pk): area.code for area in form.fields["area"].queryset})
    offer_amend_reason(form, request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outing = services.create_outing(
                actor=request.user,
                team=data["team"],
                date=data["date"],
                shift=data["shift"],
                area=data["area"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                notes=data["notes"],
                sites=data["sites"],
                materials=form.materials(),
                amend_reason=amend_reason(form),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("outreach:outing_detail", pk=outing.pk)
    return render(request, "outreach/outing_form.html", {"form": form, "area_codes": area_codes})


@login_required
@kept_offline
def outing_offline(request):
    """The page of an outing opened on the phone with no connection: empty forms the offline app fills in.

    The phone keeps this page; the outing itself (its key, team, sites, end and notes) is in the app's encrypted
    queue, named by the address's fragment (``#<key>``), which never reaches the server (docs/offline.md).
    """
    require_perm(request, "outreach.record_contact")
    frequent = _frequent(request)
    contact_form = ContactForm(frequent_nationalities=frequent)
    headcount_form = HeadcountForm()
    for form in (contact_form, headcount_form):
        offline_site_choice(form)
        offer_amend_reason(form, request.user)
    context = {
        "contact_form": contact_form,
        "headcount_form": headcount_form,
        "facts_form": PersonFactsForm(frequent_nationalities=frequent),
        "site_form": SiteForm(),
        "end_form": OutingEndForm(),
    }
    return render(request, "outreach/outing_offline.html", context)


def _people_met(contacts) -> dict[str, int]:
    """The outing's counter: people met, and how many of them came one by one or in anonymous groups."""
    groups = [c.headcount for c in contacts if c.headcount > 1]
    people = sum(c.headcount for c in contacts)
    return {"people": people, "alone": people - sum(groups), "groups": len(groups), "in_groups": sum(groups)}


def _frequent(request) -> list[str]:
    return selectors.frequent_nationalities(actor=request.user)


def _entry_context(request, outing: Outing, contact_form=None, headcount_form=None, focus: str = "") -> dict:
    sites = outing.sites.all()
    contacts = list(outing.contacts.select_related("site").order_by("-id"))
    # The next person is likely met where the last one was: the site is remembered; nothing about the person is.
    remembered = {"site": contacts[0].site_id} if contacts and contacts[0].site_id else {}
    frequent = _frequent(request)
    contact_form = contact_form or ContactForm(sites=sites, initial=remembered, frequent_nationalities=frequent)
    headcount_form = headcount_form or HeadcountForm(sites=sites, initial=remembered)
    for form in (contact_form, headcount_form):
        offer_amend_reason(form, request.user)
    # After a save, the keyboard goes back to the first field of the form just used (htmx focuses autofocus).
    if focus == "contact":
        contact_form.fields["person_code"].widget.attrs["autofocus"] = True
    elif focus == "group":
        headcount_form.fields["headcount"].widget.attrs["autofocus"] = True
    return {
        "outing": outing,
        "contacts": contacts,
        **_people_met(contacts),
        "contact_form": contact_form,
        "headcount_form": headcount_form,
        "facts_form": PersonFactsForm(frequent_nationalities=frequent),
        "site_form": SiteForm(),
        "end_form": OutingEndForm(notes=False, initial={"end_time": outing.end_time}),
    }


@login_required
@kept_offline
def outing_detail(request, pk: int):
    outing = selectors.outing_detail(actor=request.user, pk=pk)
    return render(request, "outreach/outing_detail.html", _entry_context(request, outing))


def _entry_response(request, outing, **forms):
    """htmx swaps the entry block in place; without JavaScript the page reloads."""
    context = _entry_context(request, outing, **forms)
    template = "outreach/_entry.html" if request.htmx else "outreach/outing_detail.html"
    return render(request, template, context)


@login_required
@require_POST
def outing_add_contact(request, pk: int):
    require_perm(request, "outreach.record_contact")
    outing = selectors.outing_detail(actor=request.user, pk=pk)
    form = ContactForm(request.POST, sites=outing.sites.all(), frequent_nationalities=_frequent(request))
    offer_amend_reason(form, request.user)
    if form.is_valid():
        try:
            services.record_contact(actor=request.user, channel=Channel.STREET, outing=outing, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if not request.htmx:
                return redirect("outreach:outing_detail", pk=outing.pk)
            return _entry_response(request, outing, focus="contact")
    return _entry_response(request, outing, contact_form=form)


@login_required
@require_POST
def outing_add_headcount(request, pk: int):
    require_perm(request, "outreach.record_contact")
    outing = selectors.outing_detail(actor=request.user, pk=pk)
    form = HeadcountForm(request.POST, sites=outing.sites.all())
    offer_amend_reason(form, request.user)
    if form.is_valid():
        try:
            services.record_contact(actor=request.user, channel=Channel.STREET, outing=outing, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if not request.htmx:
                return redirect("outreach:outing_detail", pk=outing.pk)
            return _entry_response(request, outing, focus="group")
    return _entry_response(request, outing, headcount_form=form)


@login_required
@require_POST
def person_code(request):
    """Computes a person code from the facts given (htmx), and says whether the network knows it."""
    require_perm(request, "outreach.record_contact")
    form = PersonFactsForm(request.POST, frequent_nationalities=_frequent(request))
    context = {"facts_form": form}
    if form.is_valid():
        try:
            code = form.code()
        except ValidationError as error:
            add_errors(form, error)
        else:
            context.update(
                code=code,
                history=selectors.code_history(actor=request.user, code=code),
                age_band=age_band_of_birth_year(form.cleaned_data["birth_year"], timezone.localdate()),
            )
    return render(request, "outreach/_person_code.html", context)


@login_required
def contact_list(request):
    channel = request.GET.get("channel", "")
    code = request.GET.get("code", "")
    rows = selectors.contacts(
        actor=request.user, channel=channel if channel in Channel.values else "", person_code=code
    )
    page = newest_first_page(CappedPaginator(rows, 50, late_rows=True), request.GET)
    return render(request, "outreach/contact_list.html", {"page": page, "channel": channel, "code": code})


@login_required
def contact_create(request, channel: str):
    # The lead coordinator reaches these forms too, to correct a closed period (accounts/rules.py).
    require_perm(request, "outreach.correct_contacts")
    if channel not in (Channel.INDOOR, Channel.DROP_IN):
        raise Http404
    initial = {"date": timezone.localdate()}
    form: IndoorContactForm | AccessForm
    if channel == Channel.INDOOR:
        form = IndoorContactForm(request.POST or None, initial=initial, frequent_nationalities=_frequent(request))
    else:
        form = AccessForm(request.POST or None, initial=initial)
        # Referred to one of the city's desks (the labour desk's both ways): the directory's names are offered.
        offer_directory(form.fields["referred_to"], directory.body_names(actor=request.user))
    offer_amend_reason(form, request.user)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.record_contact(actor=request.user, channel=channel, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            if "another" in request.POST:
                return redirect("outreach:contact_create", channel=channel)
            if not request.user.has_perm("outreach.view_contacts"):  # a correction: she reads the figures
                return redirect("outreach:counts")
            return redirect("outreach:contact_detail", pk=contact.pk)
    return render(
        request,
        "outreach/contact_form.html",
        {"form": form, "channel": channel, "facts_form": PersonFactsForm(frequent_nationalities=_frequent(request))},
    )


@login_required
def contact_detail(request, pk: int):
    contact = selectors.contact_detail(actor=request.user, pk=pk)
    return render(request, "outreach/contact_detail.html", {"contact": contact})


@login_required
@require_POST
def contact_delete(request, pk: int):
    contact = selectors.contact_detail(actor=request.user, pk=pk)
    outing_id = contact.outing_id
    services.delete_contact(actor=request.user, contact=contact)
    if outing_id:
        outing = selectors.outing_detail(actor=request.user, pk=outing_id)
        return _entry_response(request, outing) if request.htmx else redirect("outreach:outing_detail", pk=outing_id)
    return redirect("outreach:contact_list")


@login_required
def referral_list(request):
    status = request.GET.get("status", "")
    rows = selectors.referrals(actor=request.user, status=status)
    page = CappedPaginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/referral_list.html",
        {
            "page": page,
            "status": status,
            "with_identity": request.user.has_perm("outreach.view_referral_identity"),
        },
    )


def _referral_initial(request) -> dict[str, Any]:
    """Today, and what a contact the operator refers (``?contact=<id>``) already says: no code copied by hand.

    Only facts are carried; who refers and how urgent it is stay for her to choose."""
    initial: dict[str, Any] = {"date": timezone.localdate()}
    contact_id = request.GET.get("contact", "")
    if contact_id.isdigit() and request.user.has_perm("outreach.view_contacts"):
        contact = selectors.contact_detail(actor=request.user, pk=int(contact_id))
        initial.update(
            person_code=contact.person_code,
            gender=contact.gender,
            nationality=str(contact.nationality or ""),  # Country: its code
            exploitation=contact.exploitation,
        )
    return initial


@login_required
@kept_offline
def referral_create(request):
    require_perm(request, "outreach.record_referral")
    form = ReferralForm(request.POST or None, initial=_referral_initial(request))
    offer_directory(form.fields["referring_body"], directory.body_names(actor=request.user))
    offer_amend_reason(form, request.user)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.record_referral(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The referral has been sent to the Ufficio Filtro."))
            return redirect("outreach:referral_detail", pk=referral.pk)
    return render(request, "outreach/referral_form.html", {"form": form})


@login_required
def referral_detail(request, pk: int):
    referral, with_identity = selectors.referral_detail(actor=request.user, pk=pk)
    return render(request, "outreach/referral_detail.html", {"referral": referral, "with_identity": with_identity})


@login_required
@kept_offline
def counts(request):
    require_perm(request, "outreach.view_counts")
    period = Period.week_so_far(request.membership.programme, timezone.localdate())
    form = CountsForm(request.GET or None, initial={"date_from": period.start, "date_to": period.end})
    data = (
        form.cleaned_data
        if form.is_bound and form.is_valid()
        else {"date_from": period.start, "date_to": period.end, "area": None, "channel": ""}
    )
    result = None
    if not form.is_bound or form.is_valid():
        result = selectors.counts(
            actor=request.user,
            filters=selectors.CountFilters(
                date_from=data["date_from"],
                date_to=data["date_to"],
                area_id=data["area"].pk if data.get("area") else None,
                channel=data.get("channel") or "",
            ),
        )
    return render(request, "outreach/counts.html", {"form": form, "result": result, "period": data})


@login_required
def import_records(request):
    require_perm(request, "outreach.import_records")
    form = ImportForm(request.POST or None, request.FILES or None)
    errors, imported = [], None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        from approdi.accounts.scoping import visible_organisation_ids

        options = {
            "programme": request.membership.programme,
            "actor": request.user,
            "allowed_organisations": set(visible_organisation_ids(request.membership)),
        }
        try:
            imported = run_import(
                form.cleaned_data["kind"],
                upload.file,  # read a chunk of rows at a time
                upload.name,
                dry_run=form.cleaned_data["dry_run"],
                force=form.cleaned_data["force"],
                options=options,
            )
        except ImportFailed as failure:
            errors = failure.errors
    return render(
        request,
        "outreach/import.html",
        {
            "form": form,
            "errors": errors,
            "imported": imported,
            "dry_run": form.data.get("dry_run") == "on",
        },
    )


@login_required
def import_template(request, kind: str):
    require_perm(request, "outreach.import_records")
    if kind not in ("contacts", "referrals"):
        raise Http404
    response = HttpResponse(template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="approdi-{kind}-template.csv"'
    return response


@login_required
def export_records(request, kind: str, fmt: str):
    if kind not in ("contacts", "referrals") or fmt not in ("csv", "xlsx"):
        raise Http404
    require_perm(request, f"outreach.export_{kind}")
    rows: QuerySet[Any]
    if kind == "contacts":
        rows = selectors.contacts(actor=request.user).select_related("organisation", "area")
    else:
        rows = selectors.referrals(actor=request.user)
    return exports.export(actor=request.user, kind=kind, rows=rows, fmt=fmt)
