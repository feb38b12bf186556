"""Ufficio Filtro reads: the queue, duplicate checks, a person's record (audited)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Case, Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils import timezone, translation

from approdi.accounts.actor import Actor
from approdi.audit.services import record_view
from approdi.cases import selectors as case_selectors
from approdi.cases.models import Case as PersonCase
from approdi.core.permissions import ensure
from approdi.outreach.codes import Urgency
from approdi.outreach.models import Referral
from approdi.people.identity import (
    aliases_of,
    birth_index,
    identity_index,
    token_keys,
    tokens,
    typo_keys,
    whole_name_keys,
)
from approdi.people.models import Consent, Person, PersonKey
from approdi.people.person_code import NotEnoughFacts, code_from_identifier

from . import rule
from .models import CaseConference, FollowUpAction, IndicatorList, Screening

# Immediate danger first. The codes sort alphabetically in that order ("immediate" < "priority" < "routine"), so
# the queue orders by the column itself and an index (``referral_queue_urgency``) serves it; a CASE rank could not
# use one. tests/intake pins the codes' order.
URGENCY_ORDER = (Urgency.IMMEDIATE, Urgency.PRIORITY, Urgency.ROUTINE)
QUEUE_ORDER = {
    "urgency": ["urgency", "date", "id"],
    "waiting": ["date", "id"],
    "newest": ["-date", "-id"],
}


def queue(
    *, actor: Actor, status: str = "", assignee_id: int | None = None, source_type: str = "", order: str = "waiting"
) -> QuerySet[Referral]:
    """Every referral of the programme, with days waiting; identity fields are not loaded."""
    ensure(actor, "intake.work_queue")
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


def duplicates(
    *,
    actor: Actor,
    code: str = "",
    given_name: str = "",
    family_name: str = "",
    birth_date: date | None = None,
    aliases: str = "",
    limit: int = 10,
) -> list[Match]:
    """People who may be the same: same code, same names and birth date, or sharing name keys."""
    ensure(actor, "intake.work_queue")
    matches: dict[int, Match] = {}

    def add(person: Person, reason: str, score: int) -> None:
        match = matches.setdefault(person.pk, Match(person))
        match.reasons.append(reason)
        match.score += score

    people = Person.objects.only("id", "code")  # candidates are listed by code: no identity is decrypted
    if code:
        try:
            searched = code_from_identifier(code)
        except NotEnoughFacts as refused:  # punctuation only: no code to look for
            raise ValidationError({"code": [str(refused)]}) from None
        for person in people.filter(code=searched):
            add(person, "code", 100)
    exact = identity_index(given_name, family_name, birth_date)
    if exact:
        for person in people.filter(identity_index=exact):
            add(person, "name_and_birth_date", 90)
    # The same whole name, as her name or one of her aliases: a candidate with one word as with three.
    born = birth_index(birth_date)
    wholes = whole_name_keys(given_name, family_name, aliases_of(aliases))
    if wholes:
        for person in people.filter(keys__key__in=wholes).distinct().only("id", "code", "birth_index"):
            if born and person.birth_index == born:
                if person.pk not in matches or "name_and_birth_date" not in matches[person.pk].reasons:
                    add(person, "name_and_birth_date", 90)
            else:
                add(person, "same_name", 60)
    # Similar names: how many of the query's name tokens a person shares (a token and its skeleton count
    # once), and whether the birth date is the same. Two tokens, or one and the birth date, make a candidate.
    # A family name typed with one letter wrong shares a typo key with hers (given and family are tried: they
    # are swapped often enough); the typo key stands for the token it came from.
    query_tokens = tokens(given_name, family_name, *aliases_of(aliases))
    if query_tokens:
        token_of = {key: n for n, token in enumerate(query_tokens) for key in typo_keys(token)}
        token_of |= {key: n for n, token in enumerate(query_tokens) for key in token_keys(token)}
        which = Case(
            *[When(key__in=[k for k, i in token_of.items() if i == n], then=Value(n)) for n in range(len(query_tokens))]
        )
        # The people born that day are a handful: asked once, not joined to every PersonKey row grouped, so that the
        # grouping reads the (key, programme, person) index alone.
        born_that_day = Person.objects.filter(birth_index=born).values("id")
        rows = PersonKey.objects.filter(key__in=token_of)
        crowded = _crowded_token_keys(token_of)
        if crowded:
            # The name held by thousands (the commonest given name) is read only for the people found otherwise:
            # holders of another key, or born that day. The others share that one name alone with the query, which
            # is no candidate without the birth date: the candidates, their scores and their order are unchanged.
            counted = [key for key in token_of if key not in crowded]
            found = Q(person_id__in=PersonKey.objects.filter(key__in=counted).values("person_id"))
            if born:
                found |= Q(person_id__in=born_that_day)
            # One range of the (key, programme, person) index, as without a crowded key, filtered before it is grouped:
            # an OR of two index reads would make PostgreSQL visit the table for every row of the crowded keys.
            rows = rows.filter(Q(key__in=counted) | found)
        shared = (
            rows.values("person_id")
            .annotate(
                matched=Count(which, distinct=True),
                same_birth=Max(Case(When(person_id__in=born_that_day, then=Value(1)), default=Value(0)))
                if born
                else Value(0),
            )
            .filter(Q(matched__gte=2) | Q(matched__gte=1, same_birth=1))
            .order_by("-matched", "-same_birth", "person_id")[:limit]
        )
        scores = {row["person_id"]: row["matched"] * 10 + row["same_birth"] * 5 for row in shared}
        for person in people.filter(pk__in=scores):
            add(person, "similar_names", scores[person.pk])
    return sorted(matches.values(), key=lambda m: -m.score)[:limit]


# A name key held by more people of the programme than this is crowded: one query would group every holder.
CROWDED = 500


def _crowded_token_keys(token_of: dict[str, int]) -> set[str]:
    """The keys held by more than ``CROWDED`` people of the programme, of the one name token with the most of them.

    One statement, whatever the number of holders: for each key, whether a holder comes after the first ``CROWDED``
    (the ``(key, programme, person)`` index read at most that far), one scoped lookup per key joined by UNION ALL
    (twenty subqueries built by the ORM would cost more to compile than the grouping they save). Only one token's
    keys are set aside: a person sharing two tokens with the query then always holds a key that is counted.
    """
    keys = sorted(token_of)
    if not keys:
        return set()
    beyond = PersonKey.objects.filter(key=keys[0]).order_by().values_list("key")[CROWDED : CROWDED + 1]
    sql, params = beyond.query.sql_with_params()
    at = params.index(keys[0])
    probes = " UNION ALL ".join(f"SELECT * FROM ({sql}) AS probe{n}" for n in range(len(keys)))  # noqa: S608 - ORM SQL
    with connection.cursor() as cursor:
        cursor.execute(probes, [p for key in keys for p in (*params[:at], key, *params[at + 1 :])])
        busy = [key for (key,) in cursor.fetchall()]
    if not busy:
        return set()
    per_token = Counter(token_of[key] for key in busy)
    token = min(per_token, key=lambda n: (-per_token[n], n))
    return {key for key in busy if token_of[key] == token}


def person_record(*, actor: Actor, pk: int) -> Person:
    """A person with identity, consents and screenings. Reading the identity is audited."""
    ensure(actor, "intake.work_queue")
    person = (
        Person.objects.prefetch_related(
            Prefetch("consents", queryset=Consent.objects.select_related("recorded_by")),
            Prefetch("screenings", queryset=Screening.objects.select_related("indicator_list", "created_by")),
            "assessments",
            "decisions",
            "referrals",
            "programme_records",
            Prefetch("conferences", queryset=CaseConference.objects.prefetch_related("actions__owner")),
        )
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404
    record_view(actor=actor, obj=person, fields=Person.IDENTITY_FIELDS)
    return person


def people(*, actor: Actor) -> QuerySet[Person]:
    ensure(actor, "intake.work_queue")
    only = ("id", "code", "gender", "nationality", "is_minor", "created_at")
    # The id breaks ties of one import's people, so that pages neither repeat nor skip anyone (index ``person_list``).
    return Person.objects.only(*only).order_by("-created_at", "-id")


def indicator_list(*, code: str) -> IndicatorList:
    found = IndicatorList.objects.filter(code=code, is_current=True).prefetch_related("indicators").first()
    if found is None:
        raise Http404
    return found


def screening(*, actor: Actor, pk: int) -> Screening:
    ensure(actor, "intake.work_queue")
    found = (
        Screening.objects.select_related("person", "indicator_list", "created_by")
        .prefetch_related("indicators")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def programme_records(*, actor: Actor) -> QuerySet:
    from approdi.people.models import ProgrammeRecord

    ensure(actor, "intake.work_queue")
    return (
        ProgrammeRecord.objects.select_related("person", "decision")
        .only(
            "kind",
            "date",
            "outcome",
            "decision__kind",
            "person__code",
            "person__gender",
            "person__nationality",
        )
        .order_by("date", "id")
    )


def explanation_in(screening: Screening, *, language: str) -> str:
    """The rule's explanation of a saved screening, written in the reader's language.

    The text saved with a screening is in the language of whoever recorded it; the same rule over the same
    saved indicators says it again in ``language``. Should the rule ever answer differently from what was
    saved (a later change of the rule), the saved text stands: it is what the operator saw.
    """
    indicators = list(screening.indicators.all())
    selected = [rule.SelectedIndicator(i.ref, i.dimension, i.strength, i.text(language)) for i in indicators]
    with translation.override(language):
        evaluation = rule.evaluate(selected, child=screening.indicator_list.for_children)
    if evaluation.presumed_victim != screening.rule_presumed_victim or evaluation.dimensions != screening.dimensions:
        return screening.explanation
    return evaluation.explanation


def case_conferences(*, actor: Actor, case: PersonCase) -> list[CaseConference]:
    """The conferences on the case's person, for her case team and the Ufficio Filtro (reading them is audited)."""
    ensure(actor, "cases.work_on_case", case)
    with_owners = FollowUpAction.objects.select_related("owner")
    rows = list(
        CaseConference.objects.filter(person_id=case.person_id)
        .select_related("created_by")
        .prefetch_related("organisations", "participants", Prefetch("actions", queryset=with_owners))
    )
    if rows:
        record_view(actor=actor, obj=case.person, fields=["conferences"])
    return rows


def case_conference(*, actor: Actor, case: PersonCase, pk: int) -> CaseConference:
    """One conference on the case's person (404 for any other), for her case team and the Ufficio Filtro."""
    ensure(actor, "cases.work_on_case", case)
    found = CaseConference.objects.filter(person_id=case.person_id, pk=pk).select_related("person").first()
    if found is None:
        raise Http404
    return found


def owed_actions(*, actor: Actor):
    """The conference actions the actor owes and has not done: My work's section and her notices read these."""
    return FollowUpAction.objects.filter(owner=actor, status=FollowUpAction.Status.OPEN)


def my_conference_actions(*, actor: Actor) -> list[FollowUpAction]:
    """The conference actions the actor owes and has not done, soonest first, each with ``case_id``: the newest
    case of the person the actor sees (its conferences page), or None."""
    seen = case_selectors.cases_visible(actor=actor).filter(person_id=OuterRef("conference__person_id"))
    return list(
        owed_actions(actor=actor)
        .select_related("conference__person")
        .only("description", "due", "owner_id", "conference__date", "conference__person__code")
        .annotate(case_id=Subquery(seen.order_by("-start", "-id").values("pk")[:1]))
        .order_by("due", "id")
    )


def conference_action(*, actor: Actor, pk: int) -> FollowUpAction:
    """An action whoever owes it, or keeps the person (the Ufficio Filtro, her case team), finds; 404 otherwise."""
    action = FollowUpAction.objects.select_related("conference").filter(pk=pk).first()
    if action is None:
        raise Http404
    if action.owner_id == actor.pk or actor.has_perm("intake.work_queue"):
        return action
    on_team = PersonCase.objects.filter(
        person_id=action.conference.person_id, members__user=actor, members__removed_at__isnull=True
    )
    if not on_team.exists():
        raise Http404
    return action
