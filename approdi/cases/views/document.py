"""Documents: keeping one with a case, downloading one (the only way to read a file), removing it, and the DPO's
purge of removed documents. The person's record keeps its own through the Ufficio Filtro's page (intake)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approdi.core.forms import add_errors
from approdi.core.paginator import CappedPaginator
from approdi.core.permissions import require_perm

from .. import selectors
from ..forms.document import DocumentForm
from ..models import Document
from ..services import document as services
from ._common import WORK, back_to, case_for_action, section


def keep(request, form: DocumentForm, **target) -> Document | None:
    """Calls the service with the form's data and file; its errors go on the form."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    upload = data["file"]
    try:
        return services.keep_document(
            actor=request.user,
            kind=data["kind"],
            day=data["day"],
            expiry=data["expiry"],
            domain=data.get("domain", "general"),
            confidentiality=data.get("confidentiality", "team"),
            filename=upload.name or "",
            content=upload.read(),
            **target,
        )
    except ValidationError as error:
        add_errors(form, error)
        return None


def kept_message(document: Document) -> str:
    if document.case_id is not None and document.confidentiality == "role":
        return _("Document kept: only the %(role)s seats of the team can read it.") % {
            "role": document.get_author_role_display()
        }
    return _("Document kept, encrypted.")


@login_required
def document_add(request, pk: int):
    case = case_for_action(request, pk, WORK)
    form = DocumentForm(request.POST or None, request.FILES or None, auto_id="document_%s")
    if request.method == "POST":
        document = keep(request, form, person=case.person, case=case)
        if document is not None:
            messages.success(request, kept_message(document))
            return back_to(case, "documents")
    context = {"case": case, "form": form, "back": section(case, "documents"), "person_record": False}
    return render(request, "cases/document_form.html", context, status=400 if form.errors else 200)


def back_from(document: Document):
    """The section of the page the document is listed on: its case's, or the person's record's."""
    if document.case is not None:
        return back_to(document.case, "documents")
    return redirect(f"{reverse('intake:person', kwargs={'pk': document.person_id})}#documents")


@login_required
def document_download(request, pk: int):
    try:
        document, content = selectors.document_content(actor=request.user, pk=pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back_from(selectors.readable_document(actor=request.user, pk=pk))
    response = HttpResponse(content, content_type=document.content_type)
    name = f"{document.person.code}-{document.kind}-{document.date.isoformat()}.{document.extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def document_remove(request, pk: int):
    document = selectors.readable_document(actor=request.user, pk=pk)
    require_perm(request, "cases.remove_document", document)
    try:
        services.remove_document(actor=request.user, document=document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Document removed: nobody reads it any more, until the DPO purges its file."))
    return back_from(document)


@login_required
def removed_documents(request):
    require_perm(request, "cases.purge_documents")
    page = CappedPaginator(selectors.removed_documents(actor=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "cases/removed_documents.html", {"page": page})


@login_required
@require_POST
def document_purge(request, pk: int):
    require_perm(request, "cases.purge_documents")
    document = selectors.removed_documents(actor=request.user).filter(pk=pk).first()
    if document is None:
        raise Http404
    try:
        services.purge_document(actor=request.user, document=document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The document's file is deleted for good."))
    return redirect("cases:removed_documents")
