"""The indicator lists and the screening rule (DESIGN.md §9 API contract)."""

from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from approdi.core.permissions import require_perm
from approdi.intake import selectors, services
from approdi.people.services import has_consent

from .schemas import Offset

router = Router(tags=["screening"])

ListCode = Literal["adult_labour", "adult_sexual", "child_labour", "child_sexual"]


class IndicatorOut(Schema):
    id: str
    dimension: str
    strength: str
    text: str


class IndicatorsOut(Schema):
    list: str
    version: int
    items: list[IndicatorOut]


class EvaluateIn(Schema):
    list: ListCode
    indicators: list[str]


class EvaluateOut(Schema):
    dimensions: dict[str, bool]
    presumed_victim: bool
    explanation: str


@router.get("/indicators", response=IndicatorsOut)
def indicators(request, list: ListCode):
    found = selectors.indicator_list(code=list)
    language = get_language() or "it"
    return {
        "list": found.code,
        "version": found.version,
        "items": [
            {"id": i.ref, "dimension": i.dimension, "strength": i.strength, "text": i.text(language)}
            for i in found.indicators.all()
        ],
    }


@router.post("/screenings/evaluate", response=EvaluateOut)
def evaluate(request, payload: EvaluateIn):
    """The rule of DESIGN.md §8 over the indicators given: computed, nothing stored."""
    indicator_list = services.current_list(payload.list)
    evaluation, _chosen = services.evaluate_refs(indicator_list, payload.indicators, language=get_language() or "it")
    return {
        "dimensions": evaluation.dimensions,
        "presumed_victim": evaluation.presumed_victim,
        "explanation": evaluation.explanation,
    }


# The Ufficio Filtro's records: people, consent, screenings, decisions. Scoped to the programme,
# readable by the Ufficio Filtro of the lead entity; reading an identity is audited by the selector.


class PersonIn(Schema):
    programme: str | None = None
    code: str = ""
    referral: int | None = None
    given_name: str = ""
    family_name: str = ""
    aliases: str = ""
    birth_date: date | None = None
    birth_place: str = ""
    nationality: str = ""
    gender: str = ""
    languages: str = ""
    phone: str = ""
    documents: str = ""


class PersonSummaryOut(Schema):
    id: int
    code: str
    gender: str
    nationality: str
    is_minor: bool


class PersonOut(PersonSummaryOut):
    given_name: str
    family_name: str
    aliases: str
    birth_date: date | None
    birth_place: str
    languages: str
    phone: str
    documents: str


class CreatedOut(Schema):
    id: int
    code: str = ""


class MatchOut(Schema):
    id: int
    code: str
    reasons: list[str]


class ConsentIn(Schema):
    programme: str | None = None
    purpose: Literal["services", "network_sharing", "national_network", "statistics"]
    granted: bool
    date: date


class ScreeningIn(Schema):
    programme: str | None = None
    list: ListCode
    indicators: list[str]
    conclusion: Literal["presumed_victim", "not_victim", "unclear"]
    notes: str = ""


class ScreeningOut(Schema):
    id: int
    person_code: str
    list: str
    version: int
    indicators: list[str]
    dimensions: dict[str, bool]
    rule_presumed_victim: bool
    conclusion: str
    explanation: str


class DecisionIn(Schema):
    programme: str | None = None
    kind: Literal["residential", "territorial", "transfer", "assisted_return", "other_service", "not_eligible"]
    reason: str
    stage: Literal["", "emergency", "first", "second", "third"] = ""
    urgent: bool = False
    referral: int | None = None


def _summary(p) -> dict:
    return {
        "id": p.pk,
        "code": p.code,
        "gender": p.gender,
        "nationality": str(p.nationality or ""),
        "is_minor": p.is_minor,
    }


@router.get("/persons", response=list[PersonSummaryOut], tags=["filtro"])
def persons(request, limit: int = 100, offset: Offset = 0):
    require_perm(request, "intake.work_queue")
    rows = selectors.people(actor=request.user)[offset : offset + max(1, min(limit, 1000))]
    return [_summary(p) for p in rows]


@router.post("/persons", response={201: CreatedOut}, tags=["filtro"])
def create_person(request, payload: PersonIn):
    require_perm(request, "intake.work_queue")
    data = payload.dict(exclude={"programme", "referral"})
    referral = None
    if payload.referral is not None:
        from approdi.outreach import selectors as outreach_selectors

        referral, _identity = outreach_selectors.referral_detail(actor=request.user, pk=payload.referral)
    person = services.register_person(actor=request.user, referral=referral, **data)
    return Status(201, {"id": person.pk, "code": person.code})


@router.post("/persons/duplicates", response=list[MatchOut], tags=["filtro"])
def find_duplicates(request, payload: PersonIn):
    require_perm(request, "intake.work_queue")
    matches = selectors.duplicates(
        actor=request.user,
        code=payload.code,
        given_name=payload.given_name,
        family_name=payload.family_name,
        birth_date=payload.birth_date,
        aliases=payload.aliases,
    )
    return [{"id": m.person.pk, "code": m.person.code, "reasons": m.reasons} for m in matches]


@router.get("/persons/{id}", response=PersonOut, tags=["filtro"])
def person(request, id: int):
    require_perm(request, "intake.work_queue")
    p = selectors.person_record(actor=request.user, pk=id)
    return _summary(p) | {
        name: getattr(p, name)
        for name in (
            "given_name",
            "family_name",
            "aliases",
            "birth_date",
            "birth_place",
            "languages",
            "phone",
            "documents",
        )
    }


@router.post("/persons/{id}/consents", response={201: CreatedOut}, tags=["filtro"])
def consent(request, id: int, payload: ConsentIn):
    require_perm(request, "intake.work_queue")
    p = selectors.person_record(actor=request.user, pk=id)
    try:
        created = services.record_consent(
            actor=request.user, person=p, purpose=payload.purpose, granted=payload.granted, day=payload.date
        )
    except ValidationError as error:  # the service's ``day`` is the body's ``date``
        raise ValidationError({"date" if k == "day" else k: v for k, v in error.message_dict.items()}) from None
    return Status(201, {"id": created.pk})


def _screening(s) -> dict:
    return {
        "id": s.pk,
        "person_code": s.person.code,
        "list": s.indicator_list.code,
        "version": s.indicator_list.version,
        "indicators": sorted(i.ref for i in s.indicators.all()),
        "dimensions": s.dimensions,
        "rule_presumed_victim": s.rule_presumed_victim,
        "conclusion": s.conclusion,
        "explanation": s.explanation,
    }


@router.post("/persons/{id}/screenings", response={201: ScreeningOut}, tags=["filtro"])
def screen(request, id: int, payload: ScreeningIn):
    require_perm(request, "intake.work_queue")
    p = selectors.person_record(actor=request.user, pk=id)
    s = services.screen(
        actor=request.user,
        person=p,
        list_code=payload.list,
        refs=payload.indicators,
        conclusion=payload.conclusion,
        notes=payload.notes,
        language=get_language() or "it",
    )
    return Status(201, _screening(s))


@router.get("/screenings/{id}", response=ScreeningOut, tags=["filtro"])
def screening(request, id: int):
    require_perm(request, "intake.work_queue")
    s = selectors.screening(actor=request.user, pk=id)
    return _screening(s)


@router.post("/persons/{id}/decisions", response={201: CreatedOut}, tags=["filtro"])
def decide(request, id: int, payload: DecisionIn):
    require_perm(request, "intake.work_queue")
    p = selectors.person_record(actor=request.user, pk=id)
    referral = p.referrals.filter(pk=payload.referral).first() if payload.referral else None
    d = services.decide(
        actor=request.user,
        person=p,
        kind=payload.kind,
        reason=payload.reason,
        stage=payload.stage,
        urgent=payload.urgent,
        referral=referral,
    )
    return Status(201, {"id": d.pk})


@router.get("/persons/{id}/national-record", tags=["filtro"])
def national_record(request, id: int):
    """The national-network record as JSON: refused without the person's consent; audited."""
    from django.utils import timezone

    from approdi.intake import exports

    require_perm(request, "intake.work_queue")
    p = selectors.person_record(actor=request.user, pk=id)
    if not has_consent(p, "national_network"):
        raise ValidationError({"consent": [_("The person has not consented to the transfer to the national network.")]})
    return exports.record_sheet(actor=request.user, person=p, kind="national", fmt="json", today=timezone.localdate())
