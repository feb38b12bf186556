"""Outreach routes of /api/v1/: contacts, desk accesses, outings, referrals and counts.

Thin handlers over ``approdi.outreach.selectors`` and ``approdi.outreach.services``: they turn
codes into records, call one selector or service with ``actor=request.user`` and shape the answer.
Rules, validation, scoping and audit live in those modules.

**Which programme.** A request acts under the caller's membership in the programme it names
(``programme`` in the query, the ``X-Approdi-Programme`` header or the JSON body, see ``auth.py``),
else under the newest membership. A caller with no membership in the named programme acts under
none: the permission check fails and the route answers **403** (audited as a refused action),
never 404, since programme codes are not secret (``GET /programmes`` lists them). A body whose
``programme`` is not the one named in the query or header answers 400 with a field error.

**Answers.** 201 ``{"id": …}`` for a record created; 422 for a malformed request (a type, a
choice, a date); 400 for data the service refuses (model validation, an unknown organisation or
area code, an organisation outside the caller's scope, a group with a person code) — both with the
fields in error; 403 for a role that may not take the action; 404, with one body, for a record
outside the caller's scope exactly as for one that does not exist. Nothing is written on a refusal.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from approdi.core.period import Period
from approdi.core.permissions import require_perm
from approdi.network import selectors as network_selectors
from approdi.outreach import figures, selectors, services
from approdi.outreach.codes import Channel
from approdi.outreach.models import Contact, Material

from ..common import CreatedOut, LimitOffset, NewestFirst
from . import fields, schemas

router = Router(tags=["outreach"])

CHOICE_FIELDS = {
    "gender",
    "age_band",
    "exploitation",
    "place_type",
    "access_channel",
    "urgency",
    "sector",
    "target_group",
}


# --- helpers -------------------------------------------------------------------------------------


def _acts_under(request: HttpRequest, programme: str) -> None:
    """The body's programme must be the one the request acts under (called after the permission check)."""
    current = request.membership.programme.code
    if programme.strip().lower() != current.lower():
        message = _("The request acts under another programme: %(code)s.") % {"code": current}
        raise ValidationError({"programme": [message]})


def _references(request: HttpRequest, *, organisation: str | None = None, area: str | None = None) -> dict:
    """Organisation and area codes → records; every unknown code is a field error (400)."""
    found: dict[str, Any] = {"organisation": None, "area": None}
    errors: dict[str, list[str]] = {}
    if organisation:
        found["organisation"] = (
            network_selectors.organisations(actor=request.user).filter(code__iexact=organisation).first()
        )
        if found["organisation"] is None:
            errors["organisation"] = [_("Unknown organisation: %(code)s.") % {"code": organisation}]
    if area:
        found["area"] = network_selectors.areas(actor=request.user).filter(code__iexact=area).first()
        if found["area"] is None:
            errors["area"] = [_("unknown %(what)s '%(value)s'") % {"what": _("area"), "value": area}]
    if errors:
        raise ValidationError(errors)
    return found


def _service_data(payload, fields) -> dict:
    """The payload's values for the service: an omitted choice is stored empty, an omitted date or
    urgency takes the model's (or the outing's) default, an omitted ``first_contact`` is computed."""
    data = {}
    for name, value in payload.model_dump(include=set(fields)).items():
        if value is None and name in CHOICE_FIELDS - {"urgency"}:
            value = ""
        if value is None and name in ("date", "urgency"):
            continue
        data[name] = value
    return data


CONTACT_DATA = set(services.CONTACT_FIELDS) - {"area", "site"}
REFERRAL_DATA = set(services.REFERRAL_FIELDS)


def _record_contact(request: HttpRequest, payload, *, channel: str) -> Contact:
    require_perm(request, "outreach.correct_contacts")  # the lead coordinator's corrections too (rules.py)
    _acts_under(request, payload.programme)
    found = _references(request, organisation=payload.organisation, area=payload.area)
    return services.record_contact(
        actor=request.user,
        channel=channel,
        organisation=found["organisation"],
        area=found["area"],
        amend_reason=payload.amend_reason,
        **_service_data(payload, CONTACT_DATA),
    )


def _list_contacts(request, *, channel, date_from, date_to, person_code):
    require_perm(request, "outreach.view_contacts")
    return selectors.contacts(
        actor=request.user,
        channel=channel or "",
        date_from=date_from,
        date_to=date_to,
        person_code=services.normalise_code(person_code),  # a raw identifier is looked up by its code
    )


# --- contacts (every channel) ----------------------------------------------------------------------


@router.post("/contacts", response={201: CreatedOut})
def create_contact(request, payload: schemas.ContactIn):
    """Records a contact: the ``contacts`` columns of DESIGN.md §9 plus ``programme``.

    ``organisation`` defaults to the caller's; another one must be in the caller's scope (else 400).
    A caller without a membership in ``programme`` gets 403.
    """
    contact = _record_contact(request, payload, channel=payload.channel)
    return Status(201, {"id": contact.pk})


@router.get("/contacts", response=schemas.ContactListOut)
@paginate(NewestFirst)
def list_contacts(
    request,
    programme: fields.QueryReference = None,
    channel: fields.ChannelFilter = None,
    date_from: fields.OptionalDate = None,
    date_to: fields.OptionalDate = None,
    person_code: str = "",
):
    """The contacts of the caller's organisation in the programme, newest first: ``{"items", "count"}``."""
    return _list_contacts(
        request,
        channel=channel,
        date_from=date_from,
        date_to=date_to,
        person_code=person_code,
    )


@router.get("/contacts/{id}", response=schemas.ContactOut)
def contact(request, id: int):
    require_perm(request, "outreach.view_contacts")
    return selectors.contact_detail(actor=request.user, pk=id)


# --- desk accesses: contacts of channel drop_in -----------------------------------------------------


@router.post("/accesses", response={201: CreatedOut})
def create_access(request, payload: schemas.AccessIn):
    """Records a drop-in or desk access: a contact of channel ``drop_in``, else as ``POST /contacts``."""
    access = _record_contact(request, payload, channel=Channel.DROP_IN)
    return Status(201, {"id": access.pk})


@router.get("/accesses", response=schemas.ContactListOut)
@paginate(NewestFirst)
def list_accesses(
    request,
    programme: str | None = None,
    date_from: fields.OptionalDate = None,
    date_to: fields.OptionalDate = None,
    person_code: str = "",
):
    return _list_contacts(
        request,
        channel=Channel.DROP_IN,
        date_from=date_from,
        date_to=date_to,
        person_code=person_code,
    )


@router.get("/accesses/{id}", response=schemas.ContactOut)
def access(request, id: int):
    require_perm(request, "outreach.view_contacts")
    contact = selectors.contact_detail(actor=request.user, pk=id)
    if contact.channel != Channel.DROP_IN:
        raise Http404
    return contact


# --- outings -------------------------------------------------------------------------------------


def _materials(codes: dict[str, int]) -> list[tuple[Material, int]]:
    if not codes:
        return []
    # Reference data shared by the network (not scoped); there is no selector for it yet.
    known = {m.code.lower(): m for m in Material.objects.filter(active=True)}
    unknown = sorted(code for code in codes if code.strip().lower() not in known)
    if unknown:
        message = _("unknown %(what)s '%(value)s'") % {"what": _("material"), "value": ", ".join(unknown)}
        raise ValidationError({"materials": [message]})
    return [(known[code.strip().lower()], quantity) for code, quantity in codes.items()]


@router.post("/outings", response={201: CreatedOut})
def create_outing(request, payload: schemas.OutingIn):
    """Records a street unit's outing of the caller's organisation, with its sites and materials by code.

    The operators present default to the caller. 403 without a membership in ``programme``.
    """
    require_perm(request, "outreach.record_contact")
    _acts_under(request, payload.programme)
    found = _references(request, area=payload.area)
    materials = _materials(payload.materials)
    outing = services.create_outing(
        actor=request.user,
        team=payload.team,
        date=payload.date,
        shift=payload.shift,
        area=found["area"],
        start_time=payload.start_time,
        end_time=payload.end_time,
        notes=payload.notes,
        sites=[(site.name, site.people_seen) for site in payload.sites],
        materials=materials,
        amend_reason=payload.amend_reason,
    )
    return Status(201, {"id": outing.pk})


@router.get("/outings", response=schemas.OutingListOut)
@paginate(LimitOffset)
def list_outings(request, programme: str | None = None):
    require_perm(request, "outreach.view_contacts")
    return selectors.outings(actor=request.user)


@router.get("/outings/{id}", response=schemas.OutingDetailOut)
def outing(request, id: int):
    require_perm(request, "outreach.view_contacts")
    o = selectors.outing_detail(actor=request.user, pk=id)
    # "contacts" is the §9 figure everywhere: a group of five met at once is five contacts, one record.
    totals = o.contacts.aggregate(contacts=figures.contacts(), records=Count("id"))
    o.people, o.records = totals["contacts"], totals["records"]
    return o


@router.post("/outings/{id}/contacts", response={201: CreatedOut})
def create_outing_contact(request, id: int, payload: schemas.OutingContactIn):
    """Records a street contact met during the outing; a group (``headcount`` > 1) is anonymous.

    The date and area default to the outing's; ``site`` names one of its sites.
    """
    require_perm(request, "outreach.record_contact")
    _acts_under(request, payload.programme)
    o = selectors.outing_detail(actor=request.user, pk=id)
    found = _references(request, area=payload.area)
    site = _site(o, payload.site)
    data = _service_data(payload, CONTACT_DATA)
    if found["area"] is not None:
        data["area"] = found["area"]
    contact = services.record_contact(
        actor=request.user, channel=Channel.STREET, outing=o, site=site, amend_reason=payload.amend_reason, **data
    )
    return Status(201, {"id": contact.pk})


def _site(o, name: str):
    """One of the outing's sites by name (case-insensitive), or None for no name; an unknown name is a 400."""
    if not name.strip():
        return None
    site = next((s for s in o.sites.all() if s.name.lower() == name.strip().lower()), None)
    if site is None:
        message = _("unknown %(what)s '%(value)s'") % {"what": _("site"), "value": name.strip()}
        raise ValidationError({"site": [message]})
    return site


# --- referrals -----------------------------------------------------------------------------------


@router.post("/referrals", response={201: CreatedOut})
def create_referral(request, payload: schemas.ReferralIn):
    """Records a referral: the ``referrals`` columns of DESIGN.md §9 plus ``programme``.

    A new ``person_code`` makes the person known to the network. 403 without a membership in ``programme``.
    """
    require_perm(request, "outreach.record_referral")
    _acts_under(request, payload.programme)
    found = _references(request, organisation=payload.organisation)
    referral = services.record_referral(
        actor=request.user,
        organisation=found["organisation"],
        amend_reason=payload.amend_reason,
        **_service_data(payload, REFERRAL_DATA),
    )
    return Status(201, {"id": referral.pk})


@router.get("/referrals", response=schemas.ReferralListOut, exclude_unset=True)
@paginate(NewestFirst)
def list_referrals(request, programme: str | None = None, status: str = ""):
    """The referrals the caller may read, newest first.

    The Ufficio Filtro reads every referral in its scope with its details; the identity (names, birth
    date, phone, notes) only on ``GET /referrals/{id}``, whose reading is audited. Other roles read
    their organisation's referrals as date, source, person code, status and outcome.
    """
    require_perm(request, "outreach.view_referrals")
    return selectors.referrals(actor=request.user, status=status.strip().lower())


@router.get("/referrals/{id}", response=schemas.ReferralOut, exclude_unset=True)
def referral(request, id: int):
    """A referral; with its identity when the selector allows it (the Ufficio Filtro), audited as a view."""
    require_perm(request, "outreach.view_referrals")
    r, _with_identity = selectors.referral_detail(actor=request.user, pk=id)
    return r  # the schema shows the identity only when the selector loaded it, and audited the reading


# --- counts --------------------------------------------------------------------------------------


@router.get("/outreach/counts", response=schemas.CountsOut, by_alias=True)
def counts(
    request,
    date_from: fields.ApiDate = Query(..., alias="from"),
    date_to: fields.ApiDate = Query(..., alias="to"),
    programme: fields.QueryReference = None,
    area: fields.QueryReference = None,
    organisation: fields.QueryReference = None,
    channel: fields.ChannelFilter = None,
):
    """Contacts and distinct people of the period (both days included), with breakdowns, and the four
    outreach figures of the funder summary (DESIGN.md §9), over the records in the caller's scope."""
    require_perm(request, "outreach.view_counts")
    Period.of(date_from, date_to)
    found = _references(request, organisation=organisation, area=area)
    filters = selectors.CountFilters(
        date_from=date_from,
        date_to=date_to,
        channel=channel or "",
        area_id=found["area"].pk if found["area"] else None,
        organisation_id=found["organisation"].pk if found["organisation"] else None,
    )
    result = selectors.counts(actor=request.user, filters=filters)
    return {"programme": request.membership.programme.code, "from": date_from, "to": date_to, **result}
