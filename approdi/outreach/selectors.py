"""Outreach reads, always for an acting user inside their scope."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.actor import Actor
from approdi.audit.services import record_view
from approdi.core.period import Period
from approdi.core.permissions import ensure
from approdi.people.person_code import NotEnoughFacts, code_from_identifier

from . import figures, tally
from .codes import Shift
from .models import Contact, Outing, OutingMaterial, OutingSite, Referral

_FREQUENT = "_approdi_frequent_nationalities"  # on the request's user: read once per request


def frequent_nationalities(*, actor: Actor, limit: int = 8) -> list[str]:
    """The nationalities the actor's programme met most in the last year, most met first (country codes).

    They head the forms' nationality lists. Figures only, read from the counting index once per request: the
    outing page, a saved contact and the code calculator ask for them in the same request.
    """
    cached: list[str] | None = getattr(actor, _FREQUENT, None)
    if cached is not None:
        return cached
    ensure(actor, "network.view_reference_data")
    since = timezone.localdate() - timedelta(days=365)
    with scopes_disabled():  # the programme's contacts, every partner's: codes and counts, no person
        rows = (
            Contact.objects.filter(programme=actor.active_membership.programme, date__gte=since)
            .exclude(nationality="")
            .values("nationality")
            .annotate(met=Count("id"))
            .order_by("-met", "nationality")[:limit]
        )
        found = [str(row["nationality"]) for row in rows]
    setattr(actor, _FREQUENT, found)
    return found


def open_outing(*, actor: Actor) -> Outing | None:
    """Tonight's outing of the actor not closed yet (no end time): today's, or last night's after midnight."""
    ensure(actor, "outreach.record_contact")
    today = timezone.localdate()
    return (
        Outing.objects.filter(Q(created_by=actor) | Q(operators=actor), end_time__isnull=True)
        .filter(Q(date=today) | Q(date=today - timedelta(days=1), shift=Shift.NIGHT))
        .select_related("area")
        .order_by("-date", "-id")
        .first()
    )


def outings(*, actor: Actor) -> QuerySet[Outing]:
    ensure(actor, "outreach.view_contacts")
    return (
        Outing.objects.select_related("area", "organisation")
        .annotate(people=figures.contacts_of_outing())
        .order_by("-date", "-id")
    )


def outing_detail(*, actor: Actor, pk: int) -> Outing:
    ensure(actor, "outreach.view_contacts")
    outing = (
        Outing.objects.select_related("area", "organisation", "programme")
        .prefetch_related(
            Prefetch("sites", queryset=OutingSite.objects.order_by("id")),
            Prefetch("materials", queryset=OutingMaterial.objects.select_related("material")),
            "operators",
        )
        .filter(pk=pk)
        .first()
    )
    if outing is None:
        raise Http404
    return outing


def contacts(
    *,
    actor: Actor,
    channel: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    person_code: str = "",
) -> QuerySet[Contact]:
    ensure(actor, "outreach.view_contacts")
    rows = Contact.objects.select_related("area", "organisation", "site")
    if channel:
        rows = rows.filter(channel=channel)
    if date_from:
        rows = rows.filter(date__gte=date_from)
    if date_to:
        rows = rows.filter(date__lte=date_to)
    if person_code:
        try:
            rows = rows.filter(person_code=code_from_identifier(person_code))
        except NotEnoughFacts:
            rows = rows.none()
    return rows.order_by("-date", "-id")


def contact_detail(*, actor: Actor, pk: int) -> Contact:
    contact = contacts(actor=actor).filter(pk=pk).first()
    if contact is None:
        raise Http404
    return contact


@dataclass(frozen=True)
class CodeHistory:
    known: bool
    contacts: int
    first_seen: date | None


def code_is_known(code: str) -> bool:
    """Whether the network has met this code before, in any organisation (the answer is a yes or no)."""
    return bool(known_codes([code]))


def known_codes(codes) -> set[str]:
    """Which of the codes the network has met before, in any organisation: one query for a whole batch."""
    codes = sorted({c for c in codes if c})
    known: set[str] = set()
    with scopes_disabled():  # recognising a person across the network is the point of the code
        for start in range(0, len(codes), 5000):  # well under every database's limit of query parameters
            chunk = codes[start : start + 5000]
            met = Contact.objects.filter(person_code__in=chunk).order_by().values_list("person_code", flat=True)
            referred = Referral.objects.filter(person_code__in=chunk).order_by().values_list("person_code", flat=True)
            known.update(met.union(referred))
    return known


def code_history(*, actor: Actor, code: str) -> CodeHistory:
    """How often the actor's organisation met the code, and whether the network knows it at all."""
    ensure(actor, "outreach.record_contact")
    own = Contact.objects.filter(person_code=code).aggregate(n=Count("id"), first=Min("date"))
    return CodeHistory(known=own["n"] > 0 or code_is_known(code), contacts=own["n"], first_seen=own["first"])


def referrals(*, actor: Actor, status: str = "") -> QuerySet[Referral]:
    """The Ufficio Filtro sees every referral of the programme; others, their organisation's own."""
    ensure(actor, "outreach.view_referrals")
    # Identity is never loaded in lists: only ``referral_detail`` reads it, and audits the reading.
    rows = Referral.objects.select_related("organisation").defer(*Referral.IDENTITY_FIELDS)
    if not identity_visible(actor):
        rows = rows.filter(organisation_id=actor.active_membership.organisation_id)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-date", "-id")


def identity_visible(actor: Actor) -> bool:
    return actor.has_perm("outreach.view_referral_identity")


def referral_detail(*, actor: Actor, pk: int) -> tuple[Referral, bool]:
    """A referral, and whether its identity may be shown (then the reading is audited)."""
    with_identity = identity_visible(actor)
    rows = referrals(actor=actor)
    referral = (rows.defer(None) if with_identity else rows).filter(pk=pk).first()
    if referral is None:
        raise Http404
    if with_identity:
        record_view(actor=actor, obj=referral, fields=Referral.IDENTITY_FIELDS)
    return referral, with_identity


@dataclass(frozen=True)
class CountFilters:
    date_from: date
    date_to: date
    area_id: int | None = None
    organisation_id: int | None = None
    channel: str = ""


def counts(*, actor: Actor, filters: CountFilters) -> dict:
    """Contacts and distinct people for a period, with breakdowns, and the four figures of §9."""
    ensure(actor, "outreach.view_counts")
    Period.of(filters.date_from, filters.date_to)
    rows = figures.dated(Contact.objects.all(), filters.date_from, filters.date_to)
    referral_rows = Referral.objects.all()
    if filters.area_id:
        rows = rows.filter(area_id=filters.area_id)
    if filters.organisation_id:
        rows = rows.filter(organisation_id=filters.organisation_id)
        referral_rows = referral_rows.filter(organisation_id=filters.organisation_id)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    dimensions = ["channel", "gender", "nationality", "exploitation"]
    totals = rows.aggregate(
        contacts=figures.contacts(),
        anonymous=figures.contacts(Q(person_code="")),
        first=figures.contacts(Q(first_contact=True)),
        repeat=figures.contacts(Q(first_contact=False)),
    )
    totals["people"], people = figures.people_split(rows, dimensions)
    contacts_by = _contacts_by(rows, filters, dimensions)
    # Most contacts first, then by value, as the page sorted in SQL: choice and country codes, whose order is the same
    # under the databases' collations and in Python.
    by = {
        d: [
            {d: value, "contacts": n, "people": people[d][value]}
            for value, n in sorted(contacts_by[d].items(), key=lambda item: (-item[1], item[0]))
        ]
        for d in dimensions
    }
    if filters.area_id or filters.channel:
        contact_figures = figures.contact_figures(
            Contact.objects.filter(**({"organisation_id": filters.organisation_id} if filters.organisation_id else {})),
            start=filters.date_from,
            end=filters.date_to,
        )
    else:  # the same rows: the §9 contact figures are the channel breakdown, not a second scan
        by_channel = {row["channel"]: row["contacts"] for row in by["channel"]}
        contact_figures = {name: by_channel.get(channel, 0) for name, channel in figures.CHANNEL_FIGURES.items()}
    return {
        "totals": {k: totals[k] for k in ("contacts", "people", "anonymous", "first", "repeat")},
        **{f"by_{d}": by[d] for d in dimensions},
        "figures": {
            **contact_figures,
            "persons_referred_by_bodies": figures.persons_referred_by_bodies(
                referral_rows, start=filters.date_from, end=filters.date_to
            ),
        },
    }


def _contacts_by(rows: QuerySet[Contact], filters: CountFilters, dimensions: list[str]) -> dict[str, Counter]:
    """The contacts (sum of headcounts) of ``rows`` by each dimension: {dimension: {value: contacts}}.

    From the monthly tally (``outreach.tally``: whole months kept, the days of a partial month read from the
    contacts), where every contact is in one row of each tally dimension and every row names its organisation and
    channel; by area the tally has no other split, so an area's contacts are grouped from the rows themselves.
    """
    split: dict[str, Counter] = {d: Counter() for d in dimensions}
    if filters.area_id:
        for *values, n in rows.order_by().values_list(*dimensions).annotate(n=figures.contacts()):
            for d, value in zip(dimensions, values, strict=True):
                split[d][value] += n
        return split
    for _month, organisation, channel, dimension, value, n in tally.rows(filters.date_from, filters.date_to):
        if (filters.organisation_id and organisation != filters.organisation_id) or (
            filters.channel and channel != filters.channel
        ):
            continue
        if dimension in split:
            split[dimension][value] += n
        if dimension == "gender":  # each contact once: its channel
            split["channel"][channel] += n
    return split
