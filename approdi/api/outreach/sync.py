"""``POST /api/v1/outreach/sync``: what a street unit recorded offline, sent in order when the phone is back.

Each record carries the app's idempotency key and is answered on its own: ``stored`` (with its id),
``already_stored`` (the key was seen before: the id stored then, nothing stored again), or ``refused`` with the
error envelope's body (a closed period, a validation rule, a record outside the caller's scope) — the records
before and after it are stored all the same. Each record goes through the service its form or route uses
(``approdi.outreach.services``); ``approdi.outreach.sync`` keeps the keys.

**The whole request** is refused as every route refuses: 401 without a token, 403 for a role that does not
record contacts (or a programme the caller has no membership in), 400 for a ``programme`` other than the one
the request acts under, 422 for a body not as documented (the field names the record: ``records.3.gender``).

**An outing and what belongs to it.** A contact, a site or an ``outing_update`` names its outing by ``outing``
(the id of an outing stored before) or by ``outing_key``: the key of the ``outing`` record that stored it, in
this batch or an earlier one, so an app never needs the id of what it created offline.

**The person code.** ``person_code`` takes any identifier, as elsewhere; ``person_part`` takes the code as the
app computed it offline, which the server finishes with its key (docs/person-code.md).
"""

import json
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from ninja import Router
from pydantic import ValidationError as PydanticError

from approdi.core.permissions import require_perm
from approdi.outreach import selectors, services
from approdi.outreach.codes import Channel, SyncKind
from approdi.outreach.models import Outing
from approdi.outreach.sync import stored_once, synced_outing_id
from approdi.people.person_code import NotEnoughFacts, finish_code

from ..errors import REFUSALS, _body, refusal
from . import schemas
from .routes import CONTACT_DATA, REFERRAL_DATA, _acts_under, _materials, _references, _service_data, _site

router = Router(tags=["outreach"])


class _Batch:
    """One request's records: the outings stored so far by key, so a contact may name one made just before."""

    def __init__(self, request) -> None:
        self.request = request
        self.actor = request.user
        self.outings: dict[UUID, int] = {}

    # --- references ---------------------------------------------------------------------------------

    def outing(self, record, *, required: bool) -> Outing | None:
        if record.outing is not None and record.outing_key is not None:
            raise ValidationError({"outing_key": [_("Name the outing by its id or by its key, not both.")]})
        pk = record.outing
        if record.outing_key is not None:
            pk = self.outings.get(record.outing_key) or synced_outing_id(actor=self.actor, key=record.outing_key)
            if pk is None:
                message = _("No outing was stored under this key: send the outing first.")
                raise ValidationError({"outing_key": [message]})
        if pk is None:
            if required:
                raise ValidationError({"outing": [_("This field is required.")]})
            return None
        return selectors.outing_detail(actor=self.actor, pk=pk)  # 404 outside the caller's scope

    @staticmethod
    def person_code(record) -> str:
        if record.person_part.strip() and record.person_code.strip():
            raise ValidationError({"person_part": [_("Give the person code or the app's part of it, not both.")]})
        if not record.person_part.strip():
            return record.person_code
        try:
            return finish_code(record.person_part.strip())
        except NotEnoughFacts as error:
            raise ValidationError({"person_part": [str(error)]}) from None

    # --- one record each ------------------------------------------------------------------------------

    def store_outing(self, record: schemas.SyncOutingIn) -> int:
        found = _references(self.request, area=record.area)
        outing = services.create_outing(
            actor=self.actor,
            team=record.team,
            date=record.date,
            shift=record.shift,
            area=found["area"],
            start_time=record.start_time,
            end_time=record.end_time,
            notes=record.notes,
            sites=[(site.name, site.people_seen) for site in record.sites],
            materials=_materials(record.materials),
            amend_reason=record.amend_reason,
        )
        return outing.pk

    def store_outing_update(self, record: schemas.SyncOutingUpdateIn) -> int:
        outing = self.outing(record, required=True)
        assert outing is not None
        sent = self.sent(record)
        services.finish_outing(
            actor=self.actor,
            outing=outing,
            changes={name: getattr(record, name) for name in sent},
            seen={name: getattr(record, f"seen_{name}") for name in sent},
            amend_reason=record.amend_reason,
        )
        return outing.pk

    @staticmethod
    def sent(record) -> list[str]:
        """The editable fields a record sets: all of an ``outing``'s; those an ``outing_update`` names."""
        if record.kind == SyncKind.OUTING:
            return list(services.OUTING_EDITABLE)
        return [name for name in services.OUTING_EDITABLE if name in record.model_fields_set]

    def store_site(self, record: schemas.SyncSiteIn) -> int:
        outing = self.outing(record, required=True)
        assert outing is not None
        return services.save_site(actor=self.actor, outing=outing, name=record.name, people_seen=record.people_seen).pk

    def store_contact(self, record: schemas.SyncContactIn) -> int:
        outing = self.outing(record, required=False)
        data = _service_data(record, CONTACT_DATA)
        data["person_code"] = self.person_code(record)
        if outing is None:  # as POST /contacts
            require_perm(self.request, "outreach.correct_contacts")
            channel = record.channel
            errors = {
                name: [_("This field is required.")] for name in ("channel", "date") if getattr(record, name) is None
            }
            if errors or channel is None:
                raise ValidationError(errors)
            found = _references(self.request, organisation=record.organisation, area=record.area)
            contact = services.record_contact(
                actor=self.actor,
                channel=channel,
                organisation=found["organisation"],
                area=found["area"],
                amend_reason=record.amend_reason,
                **data,
            )
            return contact.pk
        # As POST /outings/{id}/contacts: a street contact of the outing's organisation.
        if record.channel not in (None, Channel.STREET):
            raise ValidationError({"channel": [_("A contact met during an outing is a street contact.")]})
        if record.organisation:
            message = _("A contact met during an outing is of the outing's organisation.")
            raise ValidationError({"organisation": [message]})
        found = _references(self.request, area=record.area)
        if found["area"] is not None:
            data["area"] = found["area"]
        contact = services.record_contact(
            actor=self.actor,
            channel=Channel.STREET,
            outing=outing,
            site=_site(outing, record.site),
            amend_reason=record.amend_reason,
            **data,
        )
        return contact.pk

    def store_referral(self, record: schemas.SyncReferralIn) -> int:
        found = _references(self.request, organisation=record.organisation)
        data = _service_data(record, REFERRAL_DATA)
        data["person_code"] = self.person_code(record)
        referral = services.record_referral(
            actor=self.actor, organisation=found["organisation"], amend_reason=record.amend_reason, **data
        )
        return referral.pk

    # --- the answer -----------------------------------------------------------------------------------

    def answer(self, record) -> dict[str, Any]:
        result: dict[str, Any] = {"key": record.key, "kind": record.kind}
        store = getattr(self, f"store_{record.kind}")
        try:
            if record.kind == SyncKind.REFERRAL:
                # Checked before the record's transaction, so that the audit row of a refusal is kept. The batch
                # asked ``record_contact`` already; the services check every permission again.
                require_perm(self.request, "outreach.record_referral")
            synced = stored_once(actor=self.actor, key=record.key, kind=record.kind, store=lambda: store(record))
        except REFUSALS as error:
            return {**result, "status": "refused", "error": refusal(error)}
        result.update(status="already_stored" if synced.replayed else "stored", id=synced.object_id)
        if record.kind == SyncKind.OUTING:
            self.outings[record.key] = synced.object_id
        if record.kind in (SyncKind.OUTING, SyncKind.OUTING_UPDATE):
            result["outing"] = self.outing_state(synced.object_id, record)
        return result

    def outing_state(self, pk: int, record) -> dict[str, Any] | None:
        """What the server has of the outing's editable fields, and where that is not what the app sent."""
        outing = Outing.objects.filter(pk=pk).only("end_time", "notes").first()
        if outing is None:  # deleted since it was stored
            return None
        kept = [name for name in self.sent(record) if getattr(outing, name) != getattr(record, name)]
        return {"end_time": outing.end_time, "notes": outing.notes, "kept": kept}


@router.post("/outreach/sync", response={200: schemas.SyncOut})
def sync(request, payload: schemas.SyncIn):
    """Stores a batch of records made offline (outings, their end and notes, sites, contacts and groups,
    referrals), each once under its idempotency key, and answers each one: stored, already stored, or refused.

    Send the records in the order they were made; a refused record leaves the others stored. Send a record
    again under the same key (a lost answer, a replayed batch): it is answered ``already_stored``, never doubled.
    """
    require_perm(request, "outreach.record_contact")  # every record below: the services check it again
    _acts_under(request, payload.programme)
    batch = _Batch(request)
    return {"programme": request.membership.programme.code, "results": [batch.answer(r) for r in payload.records]}


# --- the web app's door: the same batch, from a signed-in page ------------------------------------------------


@require_POST
def page_sync(request):
    """``POST /outreach/sync/``: the outreach web app's batch, under the signed-in session (docs/offline.md).

    The API never reads the session cookie (``ApiTokenMiddleware``); the web app has no token, only the session
    she signed in with that shift. So its queue is sent here: the same body as ``POST /api/v1/outreach/sync``
    (``programme`` defaults to the membership the session acts under), the same answer, the same services and
    idempotency keys; Django's CSRF check guards it as every form. An expired session answers 401, so the app
    keeps its records and asks her to sign in again.
    """
    if not request.user.is_authenticated or getattr(request, "membership", None) is None:
        return JsonResponse(
            {"error": _body(401, "unauthenticated", _("Sign in again to send the records."))}, status=401
        )
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return JsonResponse({"error": _body(400, "invalid", _("The data is not valid."))}, status=400)
    body.setdefault("programme", request.membership.programme.code)
    try:
        payload = schemas.SyncIn.model_validate(body)
    except PydanticError as error:
        fields: dict[str, list[str]] = {}
        for item in error.errors():
            fields.setdefault(".".join(str(p) for p in item["loc"]), []).append(item["msg"])
        return JsonResponse({"error": _body(422, "invalid", _("The data is not valid."), fields)}, status=422)
    try:
        answer = sync(request, payload)
    except REFUSALS as error:
        body = refusal(error)
        return JsonResponse({"error": body}, status=body["status"])
    return JsonResponse(schemas.SyncOut.model_validate(answer).model_dump(mode="json"))
