"""The indicator lists and the screening rule (DESIGN.md §9 API contract)."""

from typing import Literal

from django.utils.translation import get_language
from ninja import Router, Schema

from approdi.intake import selectors, services

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
        "list": found.code, "version": found.version,
        "items": [{"id": i.ref, "dimension": i.dimension, "strength": i.strength, "text": i.text(language)}
                  for i in found.indicators.all()],
    }


@router.post("/screenings/evaluate", response=EvaluateOut)
def evaluate(request, payload: EvaluateIn):
    """The rule of DESIGN.md §8 over the indicators given: computed, nothing stored."""
    indicator_list = services.current_list(payload.list)
    evaluation, _chosen = services.evaluate_refs(indicator_list, payload.indicators, language=get_language() or "it")
    return {"dimensions": evaluation.dimensions, "presumed_victim": evaluation.presumed_victim,
            "explanation": evaluation.explanation}
