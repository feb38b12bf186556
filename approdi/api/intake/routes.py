"""The Ufficio Filtro's routes: the indicator lists and the screening rule (DESIGN.md §9 API contract), and its
records — people, consent, screenings, decisions — scoped to the programme, readable by the Ufficio Filtro of the
lead entity; reading an identity is audited by the selector."""

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Status

from approdi.core.permissions import require_perm
from approdi.intake import selectors, services
from approdi.people.services import has_consent

from ..common import Offset
from . import schemas

router = Router(tags=["screening"])


@router.get("/indicators", response=schemas.IndicatorsOut)
def indicators(request, list: schemas.ListCode):
    return selectors.indicator_list(code=list)


@router.post("/screenings/evaluate", response=schemas.EvaluateOut)
def evaluate(request, payload: schemas.EvaluateIn):
    """The rule of DESIGN.md §8 over the indicators given: computed, nothing stored."""
    indicator_list = services.current_list(payload.list)
    evaluation, _chosen = services.evaluate_refs(indicator_list, payload.indicators, language=get_language() or "it")
    return evaluation


@router.get("/persons", response=list[schemas.PersonSummaryOut], tags=["filtro"])
def persons(request, limit: int = 100, offset: Offset = 0):
    require_perm(request, "intake.work_queue")
    rows = selectors.people(actor=request.user)[offset : offset + max(1, min(limit, 1000))]
    return rows


@router.post("/persons", response={201: schemas.PersonCreatedOut}, tags=["filtro"])
def create_person(request, payload: schemas.PersonIn):
    require_perm(request, "intake.work_queue")
    data = payload.dict(exclude={"programme", "referral"})
    referral = None
    if payload.referral is not None:
        from approdi.outreach import selectors as outreach_selectors

        referral, _identity = outreach_selectors.referral_detail(actor=request.user, pk=payload.referral)
    person = services.register_person(actor=request.user, referral=referral, **data)
    return Status(201, {"id": person.pk, "code": person.code})


@router.post("/persons/duplicates", response=list[schemas.MatchOut], tags=["filtro"])
def find_duplicates(request, payload: schemas.PersonIn):
    require_perm(request, "intake.work_queue")
    matches = selectors.duplicates(
        actor=request.user,
        code=payload.code,
        given_name=payload.given_name,
        family_name=payload.family_name,
        birth_date=payload.birth_date,
        aliases=payload.aliases,
    )
    return matches


@router.get("/persons/{id}", response=schemas.PersonOut, tags=["filtro"])
def person(request, id: int):
    require_perm(request, "intake.work_queue")
    return selectors.person_record(actor=request.user, pk=id)


@router.post("/persons/{id}/consents", response={201: schemas.PersonCreatedOut}, tags=["filtro"])
def consent(request, id: int, payload: schemas.ConsentIn):
    require_perm(request, "intake.work_queue")
    p = selectors.person_record(actor=request.user, pk=id)
    try:
        created = services.record_consent(
            actor=request.user, person=p, purpose=payload.purpose, granted=payload.granted, day=payload.date
        )
    except ValidationError as error:  # the service's ``day`` is the body's ``date``
        raise ValidationError({"date" if k == "day" else k: v for k, v in error.message_dict.items()}) from None
    return Status(201, {"id": created.pk})


@router.post("/persons/{id}/screenings", response={201: schemas.ScreeningOut}, tags=["filtro"])
def screen(request, id: int, payload: schemas.ScreeningIn):
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
    return Status(201, s)


@router.get("/screenings/{id}", response=schemas.ScreeningOut, tags=["filtro"])
def screening(request, id: int):
    require_perm(request, "intake.work_queue")
    return selectors.screening(actor=request.user, pk=id)


@router.post("/persons/{id}/decisions", response={201: schemas.PersonCreatedOut}, tags=["filtro"])
def decide(request, id: int, payload: schemas.DecisionIn):
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
