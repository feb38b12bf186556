"""The directory's pages (list, print, CSV, vCard, a body) and the protocols' (list, a protocol, its document)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.forms import add_errors
from approdi.core.permissions import require_perm

from . import exports, selectors, services
from .forms import BodyForm, ObligationForm, ProtocolForm, ReferentForm, SearchForm
from .models import Body, Obligation, Referent


def _searched(request):
    form = SearchForm(request.GET or None)
    filters: dict = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"query": data["q"], "type": data["type"], "area_id": data["area"].pk if data["area"] else None}
    return form, selectors.bodies(actor=request.user, **filters)


@login_required
def body_list(request):
    require_perm(request, selectors.VIEW)
    form, bodies = _searched(request)
    return render(request, "directory/body_list.html", {"form": form, "bodies": bodies})


@login_required
def body_print(request):
    require_perm(request, selectors.VIEW)
    _form, bodies = _searched(request)
    context = {"bodies": bodies, "programme": request.membership.programme}
    return render(request, "directory/body_print.html", context)


def _export(request, *, body: str, content_type: str, extension: str) -> HttpResponse:
    programme = request.membership.programme
    record(actor=request.user, action=Action.EXPORT, obj=programme, fields=["directory"], reason=extension)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="directory-{programme.code}.{extension}"'
    return response


@login_required
def export_csv(request):
    require_perm(request, selectors.VIEW)
    _form, bodies = _searched(request)
    return _export(request, body=exports.csv_text(bodies), content_type="text/csv; charset=utf-8", extension="csv")


@login_required
def export_vcard(request):
    require_perm(request, selectors.VIEW)
    _form, bodies = _searched(request)
    return _export(request, body=exports.vcards(bodies), content_type="text/vcard; charset=utf-8", extension="vcf")


def _body_form_page(request, body: Body | None):
    require_perm(request, services.MANAGE)
    form = BodyForm(request.POST or None, initial=BodyForm.initial_of(body) if body else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_body(actor=request.user, body=body, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": saved.name})
            return redirect("directory:body_detail", pk=saved.pk)
    return render(request, "directory/body_form.html", {"form": form, "body": body})


@login_required
def body_new(request):
    return _body_form_page(request, None)


@login_required
def body_edit(request, pk: int):
    body = selectors.body(actor=request.user, pk=pk)
    return _body_form_page(request, body)


@login_required
def body_detail(request, pk: int):
    require_perm(request, selectors.VIEW)
    body = selectors.body(actor=request.user, pk=pk)
    manages = request.user.has_perm(services.MANAGE)
    form = ReferentForm(request.POST or None, prefix="referent") if manages else None
    if request.method == "POST":
        require_perm(request, services.MANAGE)
        if form is not None and form.is_valid():
            try:
                services.add_referent(actor=request.user, body=body, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Referent added."))
                return redirect("directory:body_detail", pk=body.pk)
    return render(request, "directory/body_detail.html", {"body": body, "form": form})


@login_required
@require_POST
def referent_remove(request, pk: int, referent: int):
    require_perm(request, services.MANAGE)
    body = selectors.body(actor=request.user, pk=pk)
    found = Referent.objects.filter(body=body, pk=referent).select_related("body").first()
    if found is None:
        raise Http404
    services.remove_referent(actor=request.user, referent=found)
    messages.success(request, _("Referent removed."))
    return redirect("directory:body_detail", pk=body.pk)


@login_required
def protocol_list(request):
    require_perm(request, selectors.VIEW_PROTOCOLS)
    return render(request, "directory/protocol_list.html", {"protocols": selectors.protocols(actor=request.user)})


def _protocol_form_page(request, protocol):
    require_perm(request, services.MANAGE_PROTOCOLS)
    parties = selectors.bodies(actor=request.user)
    initial = ProtocolForm.initial_of(protocol) if protocol else None
    form = ProtocolForm(request.POST or None, request.FILES or None, initial=initial, parties=parties)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("document")
        try:
            saved = services.save_protocol(
                actor=request.user,
                protocol=protocol,
                document=upload.read() if upload else None,
                document_name=upload.name if upload else "",
                **data,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": saved.title})
            return redirect("directory:protocol_detail", pk=saved.pk)
    return render(request, "directory/protocol_form.html", {"form": form, "protocol": protocol})


@login_required
def protocol_new(request):
    return _protocol_form_page(request, None)


@login_required
def protocol_edit(request, pk: int):
    return _protocol_form_page(request, selectors.protocol(actor=request.user, pk=pk))


@login_required
def protocol_detail(request, pk: int):
    require_perm(request, selectors.VIEW_PROTOCOLS)
    protocol = selectors.protocol(actor=request.user, pk=pk)
    form = None
    if request.user.has_perm(services.MANAGE_PROTOCOLS):
        form = ObligationForm(request.POST or None, users=services.followers(actor=request.user), prefix="obligation")
    if request.method == "POST":
        require_perm(request, services.MANAGE_PROTOCOLS)
        if form is not None and form.is_valid():
            try:
                services.add_obligation(
                    actor=request.user,
                    protocol=protocol,
                    description=form.cleaned_data["description"],
                    followed_by=form.users[form.cleaned_data["followed_by"]],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Obligation added."))
                return redirect("directory:protocol_detail", pk=protocol.pk)
    context = {
        "protocol": protocol,
        "document": selectors.document_of(actor=request.user, protocol=protocol),
        "form": form,
    }
    return render(request, "directory/protocol_detail.html", context)


@login_required
@require_POST
def obligation_remove(request, pk: int, obligation: int):
    require_perm(request, services.MANAGE_PROTOCOLS)
    protocol = selectors.protocol(actor=request.user, pk=pk)
    found = Obligation.objects.filter(protocol=protocol, pk=obligation).select_related("protocol").first()
    if found is None:
        raise Http404
    services.remove_obligation(actor=request.user, obligation=found)
    messages.success(request, _("Obligation removed."))
    return redirect("directory:protocol_detail", pk=protocol.pk)


@login_required
def protocol_document(request, pk: int):
    """The signed PDF, to members of the programme only; downloaded, never shown inline."""
    require_perm(request, selectors.VIEW_PROTOCOLS)
    document = selectors.document(actor=request.user, pk=pk)
    record(actor=request.user, action=Action.VIEW, obj=document.protocol, fields=["document"])
    response = HttpResponse(bytes(document.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="protocol-{document.protocol_id}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
