"""Ufficio Filtro reads: the queue, duplicate checks, a person's record (audited)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from approdi.audit.services import record_view
from approdi.outreach.models import Referral
from approdi.outreach.person_code import code_from_identifier

from .identity import aliases_of, identity_index, name_keys
from .models import CaseConference, Consent, IndicatorList, Person, PersonKey, Screening


def _require(actor) -> None:
    if not actor.has_perm("intake.work_queue"):
        raise PermissionDenied


QUEUE_ORDER = {"urgency": ["-urgency", "date"], "waiting": ["date", "id"], "newest": ["-date", "-id"]}


def queue(*, actor, status: str = "", assignee_id: int | None = None, source_type: str = "",
          order: str = "waiting") -> QuerySet[Referral]:
    """Every referral of the programme, with days waiting; identity fields are not loaded."""
    _require(actor)
    rows = Referral.objects.select_related("organisation", "assignee").defer(*Referral.IDENTITY_FIELDS)
    if status:
        rows = rows.filter(status=status)
    else:
        rows = rows.exclude(status=Referral.Status.CLOSED)
    if assignee_id:
        rows = rows.filter(assignee_id=assignee_id)
    if source_type:
        rows = rows.filter(source_type=source_type)
    return rows.order_by(*QUEUE_ORDER.get(order, QUEUE_ORDER["waiting"]))


def days_waiting(referral: Referral, today: date | None = None) -> int:
    return ((today or timezone.localdate()) - referral.date).days


@dataclass
class Match:
    person: Person
    reasons: list[str] = field(default_factory=list)
    score: int = 0


def duplicates(*, actor, code: str = "", given_name: str = "", family_name: str = "", birth_date: date | None = None,
               aliases: str = "", limit: int = 10) -> list[Match]:
    """People who may be the same: same code, same names and birth date, or sharing name keys."""
    _require(actor)
    matches: dict[int, Match] = {}

    def add(person: Person, reason: str, score: int) -> None:
        match = matches.setdefault(person.pk, Match(person))
        match.reasons.append(reason)
        match.score += score

    if code:
        for person in Person.objects.filter(code=code_from_identifier(code)):
            add(person, "code", 100)
    exact = identity_index(given_name, family_name, birth_date)
    if exact:
        for person in Person.objects.filter(identity_index=exact):
            add(person, "name_and_birth_date", 90)
    keys = name_keys(given_name, family_name, *aliases_of(aliases))
    if keys:
        similar = (PersonKey.objects.filter(key__in=keys).values("person_id").annotate(shared=Count("id"))
                   .order_by("-shared")[:limit])
        shared = {row["person_id"]: row["shared"] for row in similar if row["shared"] >= 2}
        for person in Person.objects.filter(pk__in=shared):
            add(person, "similar_names", shared[person.pk])
    return sorted(matches.values(), key=lambda m: -m.score)[:limit]


def person_record(*, actor, pk: int) -> Person:
    """A person with identity, consents and screenings. Reading the identity is audited."""
    _require(actor)
    person = (
        Person.objects.prefetch_related(
            Prefetch("consents", queryset=Consent.objects.select_related("recorded_by")),
            Prefetch("screenings", queryset=Screening.objects.select_related("indicator_list", "created_by")),
            "assessments", "decisions", "referrals", "programme_records",
            Prefetch("conferences", queryset=CaseConference.objects.prefetch_related("actions__owner")),
        )
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404
    record_view(actor=actor, obj=person, fields=Person.IDENTITY_FIELDS)
    return person


def people(*, actor) -> QuerySet[Person]:
    _require(actor)
    return Person.objects.only("id", "code", "gender", "nationality", "is_minor", "created_at").order_by("-created_at")


def indicator_list(*, code: str) -> IndicatorList:
    found = IndicatorList.objects.filter(code=code, is_current=True).prefetch_related("indicators").first()
    if found is None:
        raise Http404
    return found


def screening(*, actor, pk: int) -> Screening:
    _require(actor)
    found = (Screening.objects.select_related("person", "indicator_list", "created_by").prefetch_related("indicators")
             .filter(pk=pk).first())
    if found is None:
        raise Http404
    return found
