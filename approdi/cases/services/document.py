"""Documents kept with a person or a case: keeping one (checked, cleaned, encrypted), removing it, purging it."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approdi.accounts.actor import Actor
from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core import files
from approdi.core.permissions import ensure
from approdi.network.dates import check_not_future
from approdi.people.models import Person

from ..models import Case, Document, Note
from ..models.case import confidentiality_for
from ._common import ensure_open

FIELDS = ["kind", "date", "expiry", "domain", "confidentiality", "filename", "content_type", "size", "file"]


def max_bytes() -> int:
    return settings.APPRODI_DOCUMENT_MAX_BYTES


def too_large_message() -> str:
    return _("The file is larger than %(mb)s MB: it was not saved.") % {"mb": f"{max_bytes() / 1_000_000:g}"}


@transaction.atomic
def keep_document(
    *,
    actor: Actor,
    person: Person,
    case: Case | None = None,
    kind: str,
    day: date,
    expiry: date | None = None,
    domain: str,
    confidentiality: str,
    filename: str,
    content: bytes,
) -> Document:
    """Keeps a file with the person's record (``case`` None: the Ufficio Filtro) or with one of her cases (its
    readers). Only a PDF, JPEG or PNG is kept, an image without its metadata, encrypted at rest."""
    author_role = ""
    if case is None:
        ensure(actor, "cases.person_documents")
        if domain != Note.Domain.GENERAL:
            raise ValidationError(
                {
                    "domain": [
                        _(
                            "Legal, psychological and health documents are kept with a case, where a role of its "
                            "team reads them."
                        )
                    ]
                }
            )
        confidentiality = Note.Confidentiality.TEAM
    else:
        ensure_open(actor, "cases.work_on_case", case)
        if case.person_id != person.pk:
            raise ValidationError(_("This case is not the person's."))
        author_role = case.seat_of(actor) or ""
        if domain != Note.Domain.GENERAL and not author_role:
            raise ValidationError(
                {
                    "domain": [
                        _(
                            "Only a member of the case team keeps a legal, psychological or health document: "
                            "her role on the team reads it."
                        )
                    ]
                }
            )
        confidentiality = confidentiality_for(domain=domain, chosen=confidentiality)
    check_not_future(day, field="day")
    if len(content) > max_bytes():
        raise ValidationError({"file": [too_large_message()]})
    try:
        content_type, kept = files.accepted(content)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    document = Document(
        person=person,
        case=case,
        kind=kind,
        date=day,
        expiry=expiry,
        domain=domain,
        confidentiality=confidentiality,
        author_role=author_role,
        filename=filename[:200],
        content_type=content_type,
        size=len(kept),
        author=actor,
    )
    document.full_clean(exclude=["person", "case", "stored_as"])
    document.stored_as = files.store(kept)
    try:
        document.save()
        record(actor=actor, action=Action.CREATE, obj=document, fields=FIELDS)
    except BaseException:
        files.remove(document.stored_as)
        raise
    return document


@transaction.atomic
def remove_document(*, actor: Actor, document: Document) -> Document:
    """A soft delete: nobody reads the document any more; the DPO purges its file later."""
    ensure(actor, "cases.remove_document", document)
    if document.case is not None:
        ensure_open(actor, "cases.work_on_case", document.case)
    if document.removed_at is not None:
        raise ValidationError(_("This document was removed already."))
    document.removed_at, document.removed_by = timezone.now(), actor
    document.save(update_fields=["removed_at", "removed_by"])
    record(actor=actor, action=Action.CHANGE, obj=document, fields=["removed_at", "removed_by"])
    return document


@transaction.atomic
def purge_document(*, actor: Actor, document: Document) -> Document:
    """The DPO deletes a removed document's encrypted file and its file name; the row keeps what it was and when."""
    ensure(actor, "cases.purge_documents")
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.removed_at is None:
        raise ValidationError(_("Only a removed document can be purged."))
    if document.purged_at is not None:
        raise ValidationError(_("This document was purged already."))
    stored_as = document.stored_as
    document.stored_as, document.filename = "", ""
    document.purged_at, document.purged_by = timezone.now(), actor
    document.save(update_fields=["stored_as", "filename", "purged_at", "purged_by"])
    record(actor=actor, action=Action.DELETE, obj=document, fields=["file", "filename"])
    files.remove(stored_as)
    return document
