"""Schemas of the Ufficio Filtro's routes: indicator lists, the screening rule, people, consent, decisions."""

from datetime import date
from typing import Literal

from django.utils.translation import get_language
from ninja import Schema

from ..common import CreatedOut

ListCode = Literal["adult_labour", "adult_sexual", "child_labour", "child_sexual"]


class IndicatorOut(Schema):
    id: str
    dimension: str
    strength: str
    text: str

    @staticmethod
    def resolve_id(i):
        return i.ref

    @staticmethod
    def resolve_text(i):
        return i.text(get_language() or "it")


class IndicatorsOut(Schema):
    list: str
    version: int
    items: list[IndicatorOut]

    @staticmethod
    def resolve_list(found):
        return found.code

    @staticmethod
    def resolve_items(found):
        return found.indicators.all()


class EvaluateIn(Schema):
    list: ListCode
    indicators: list[str]


class EvaluateOut(Schema):
    dimensions: dict[str, bool]
    presumed_victim: bool
    explanation: str


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

    @staticmethod
    def resolve_nationality(p):
        return str(p.nationality or "")


class PersonOut(PersonSummaryOut):
    given_name: str
    family_name: str
    aliases: str
    birth_date: date | None
    birth_place: str
    languages: str
    phone: str
    documents: str


class PersonCreatedOut(CreatedOut):
    # A person's code; empty for the other records the Ufficio Filtro creates (answered so since the start).
    code: str = ""


class MatchOut(Schema):
    id: int
    code: str
    reasons: list[str]

    @staticmethod
    def resolve_id(m):
        return m.person.pk

    @staticmethod
    def resolve_code(m):
        return m.person.code


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

    @staticmethod
    def resolve_person_code(s):
        return s.person.code

    @staticmethod
    def resolve_list(s):
        return s.indicator_list.code

    @staticmethod
    def resolve_version(s):
        return s.indicator_list.version

    @staticmethod
    def resolve_indicators(s):
        return sorted(i.ref for i in s.indicators.all())


class DecisionIn(Schema):
    programme: str | None = None
    kind: Literal["residential", "territorial", "transfer", "assisted_return", "other_service", "not_eligible"]
    reason: str
    stage: Literal["", "emergency", "first", "second", "third"] = ""
    urgent: bool = False
    referral: int | None = None
