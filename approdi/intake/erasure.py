"""A person's request of erasure (GDPR art. 17): the DPO records it, a lead coordinator approves or rejects it.

Two people, always: the rule ``intake.decide_erasure`` (a lead coordinator, never whom recorded the request), this
service, and a database constraint (``erasure_decided_by_a_second_person``) each refuse a DPO approving her own.

- ``anonymise``: her identity (names, aliases, birth date and place, phone, documents), its blind indexes and her
  name keys are removed, the identities of the referrals that led to her and the file names of her documents too;
  her code and every record stay, so every figure already reported stays the same.
- ``erase``: she is deleted with everything that hangs on her, only where no retention obligation applies: no
  case, no placement or placement request, no entry in the programme, no document (what the funder may audit and
  the law keeps). Otherwise the DPO chooses to anonymise.

The audit log says which request was carried out, how, and by whom — her code and the counts, never a value erased.
Free texts written about her (notes, diaries) are kept: they are part of the records the law keeps; the DPO
checks them by hand when the person asks.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from approdi.accounts.actor import Actor
from approdi.accounts.scoping import programme_scope
from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.cases.models import Case, Document
from approdi.core.permissions import ensure
from approdi.outreach.models import Referral
from approdi.people.models import Person, PersonKey, ProgrammeRecord
from approdi.shelter.models import Placement, PlacementRequest

from .models import ErasureRequest


def request_erasure(*, actor: Actor, code: str, kind: str, received_on: date, reason: str = "") -> ErasureRequest:
    """The DPO records a person's request; nothing is removed before a lead coordinator approves it."""
    ensure(actor, "intake.request_erasure")
    if kind not in ErasureRequest.Kind.values:
        raise ValidationError({"kind": _("Choose what to do.")})
    programme = actor.active_membership.programme
    code = code.strip().upper()[:20]
    with programme_scope(programme), transaction.atomic():
        person = Person.objects.filter(programme=programme, code=code).first()
        if person is None:
            raise ValidationError({"code": _("No person of this programme has this code.")})
        if ErasureRequest.objects.filter(person=person, status=ErasureRequest.Status.PENDING).exists():
            raise ValidationError({"code": _("A request for this person is already waiting for approval.")})
        if kind == ErasureRequest.Kind.ERASE and (kept := retained(person)):
            raise ValidationError({"kind": _("She cannot be erased: the law keeps %(what)s. Anonymise her.") % kept})
        request = ErasureRequest.objects.create(
            programme=programme,
            person=person,
            person_code=person.code,
            kind=kind,
            received_on=received_on,
            reason=reason[: ErasureRequest.REASON_MAX_LENGTH],
            requested_by=actor,
        )
        record(actor=actor, action=Action.CREATE, obj=request, fields=["kind", "received_on"], reason=kind)
    return request


def retained(person: Person) -> dict[str, str]:
    """What of hers the law or the funder keeps (so she may only be anonymised), in words; empty if nothing."""
    kept = [
        (Case.objects.filter(person=person), _("a case")),
        (Placement.objects.filter(person=person), _("a placement")),
        (PlacementRequest.objects.filter(person=person), _("a placement request")),
        (ProgrammeRecord.objects.filter(person=person), _("an entry in the programme")),
        (Document.objects.filter(person=person), _("a document")),
    ]
    found = [str(words) for rows, words in kept if rows.exists()]
    return {"what": ", ".join(found)} if found else {}


def decide_erasure(*, actor: Actor, request: ErasureRequest, approve: bool) -> ErasureRequest:
    """A lead coordinator, never whom recorded it, approves (and so carries out) or rejects the request."""
    ensure(actor, "intake.decide_erasure", request)
    if request.requested_by_id == actor.pk:  # the rule says so too; a second lock, never bypassed
        raise PermissionDenied
    with programme_scope(request.programme), transaction.atomic():
        request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != ErasureRequest.Status.PENDING:
            raise ValidationError(_("This request has already been decided."))
        counts: dict[str, int] = {}
        if approve:
            person = request.person
            if person is None:
                raise ValidationError(_("The person of this request is no longer held."))
            if request.kind == ErasureRequest.Kind.ERASE:
                if kept := retained(person):
                    raise ValidationError(_("She cannot be erased: the law keeps %(what)s. Anonymise her.") % kept)
                counts = _erase(person)
            else:
                counts = _anonymise(person)
        request.status = ErasureRequest.Status.DONE if approve else ErasureRequest.Status.REJECTED
        request.decided_by, request.decided_at = actor, timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        # Her code and the counts of what was removed: never a value.
        summary = ",".join(f"{label}={n}" for label, n in sorted(counts.items()))
        record(
            actor=actor,
            action=Action.DELETE if approve else Action.CHANGE,
            obj=request,
            fields=["status"],
            reason=f"{request.kind} {request.person_code} {summary}".strip() if approve else "rejected",
        )
    return request


def _anonymise(person: Person) -> dict[str, int]:
    return anonymise_people(Person.objects.filter(pk=person.pk))


def anonymise_people(people: QuerySet[Person]) -> dict[str, int]:
    """Removes the identity of ``people`` (in bulk): names, aliases, birth date and place, phone, documents, their
    blind indexes and name keys, the identities of the referrals that led to them and their documents' file names.
    Their codes and every record stay, so every figure already reported stays the same. Used by an approved
    erasure and by retention (``retention.py``): one anonymisation, written once."""
    ids = list(people.values_list("pk", flat=True))
    if not ids:
        return {"person": 0, "name_keys": 0, "referrals": 0, "document_names": 0}
    blanks = {name: "" for name in Person.IDENTITY_FIELDS if name != "birth_date"}
    with scopes_disabled():  # her rows in every organisation of the programme, each reached through her
        updated = Person.objects.filter(pk__in=ids).update(
            **blanks, birth_date=None, identity_index="", birth_index="", anonymised_at=timezone.now()
        )
        keys, _by_model = PersonKey.objects.filter(person_id__in=ids).delete()
        referrals = Referral.objects.filter(person_id__in=ids).update(
            given_name="", family_name="", birth_date=None, phone=""
        )
        documents = Document.objects.filter(person_id__in=ids).update(filename="")
    return {"person": updated, "name_keys": keys, "referrals": referrals, "document_names": documents}


def _erase(person: Person) -> dict[str, int]:
    with scopes_disabled():  # her rows in every organisation of the programme, each reached through her
        Referral.objects.filter(person=person).update(given_name="", family_name="", birth_date=None, phone="")
        ErasureRequest.objects.filter(person=person).update(person=None)
        total, _by_model = Person.objects.filter(pk=person.pk).delete()
    return {"rows": total}


def erasure_requests(*, actor: Actor) -> QuerySet[ErasureRequest]:
    """The programme's requests of erasure, newest first: for the DPO who records them and the lead coordinators
    who decide them. Codes and who did what only, never an identity."""
    ensure(actor, "intake.view_erasure_requests")
    return (
        ErasureRequest.objects.filter(programme_id=actor.active_membership.programme_id)
        .select_related("requested_by", "decided_by")
        .order_by("-requested_at", "-id")
    )
