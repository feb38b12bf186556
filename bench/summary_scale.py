"""The funder summary (DESIGN.md §9) over 1,000,000 contacts and 100,000 people, beside one hand-written SQL query.

    .venv/bin/python -m bench.summary_scale [--database sqlite|postgres|both] [--contacts 1000000] [--people 100000]
                                            [--repeat 7] [--seed 2026] [--keep] [--reuse]

For each database, in a child process of its own (``bench/_harness.py``): ``manage.py migrate`` into a throwaway
database (SQLite in a temporary directory under /tmp; PostgreSQL ``approdi_bench_summary`` at 127.0.0.1:5432, created
and dropped here), then ``build`` fills it: one programme of a lead entity and eight partners over eight years, its
structures of every type (some opening, closing, shrinking or closed for a while), ``--people`` people with their
referrals (every source type, self and outreach included, some without a person code) and placements moving from
stage to stage in free beds (some begun before the programme, some still running at its end), and ``--contacts``
contacts (street, indoor, drop-in; anonymous groups with a headcount; spread unevenly over the days and the
organisations). A small second programme is the noise both sides must leave out. Bulk rows go in with
``executemany`` (SQLite) or ``COPY`` (PostgreSQL), then ``ANALYZE``.

Then, for the whole programme, one year and one quarter, it times ``approdi.reports.funder.summary.funder_summary`` —
what the page, the command and the API call — beside ``floor``: ONE hand-written SQL statement computing the same
figures (the floor). Each is called once to warm up, then ``--repeat`` rounds call each in turn (a shared machine's
load falls on both alike): median and best. Their figures must be identical. The goal: the summary's median at most
1.5 times the floor's and under one second. The floor filters by programme only; the summary runs inside the
programme's scope, which also filters by the programme's organisations.

``--keep`` leaves the databases in place (SQLite in /tmp/approdi-bench-summary, PostgreSQL ``approdi_bench_summary``,
its generated secrets beside the SQLite file); ``--reuse`` times a kept database again without rebuilding it (it is
migrated first, so a new index migration is measured on the same data), and builds and keeps one when none is kept.
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import random
import time
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from bench import _harness, _world
from bench._dashboard_floor import training_floor

PG_BENCH_DB = "approdi_bench_summary"
SEED = 2026
START, END = date(2017, 12, 1), date(2025, 11, 30)  # the benchmark programme: eight years
PERIODS = (
    ("whole programme (8 years)", START, END),
    ("one year (2023)", date(2023, 1, 1), date(2023, 12, 31)),
    ("one quarter (2024 Q2)", date(2024, 4, 1), date(2024, 6, 30)),
)
GOAL_RATIO, GOAL_MS = 1.5, 1000.0
CHUNK = 50_000
NOISE = 0.02  # the second programme's share of the rows

GENDERS = {"woman": 74, "man": 15, "trans_woman": 5, "trans_man": 1, "non_binary": 2, "unknown": 3}
NATIONALITIES = {
    "NG": 40,
    "RO": 8,
    "MA": 6,
    "PK": 6,
    "CI": 6,
    "BD": 5,
    "AL": 4,
    "CN": 4,
    "BR": 4,
    "GH": 4,
    "BG": 3,
    "UA": 3,
    "PE": 2,
    "": 5,
}
AGE_BANDS = {"18-20": 10, "21-23": 18, "24-26": 20, "27-29": 16, "30-38": 22, "39-47": 6, "48+": 2, "unknown": 6}
EXPLOITATION = {"sexual": 70, "labour": 15, "begging": 2, "illegal_economies": 3, "unknown": 10}
SOURCES = {
    "cas": 20,
    "sai": 5,
    "territorial_commission": 20,
    "police": 10,
    "prosecutor": 3,
    "helpline": 10,
    "other_project": 8,
    "health_service": 5,
    "social_services": 5,
    "labour_inspectorate": 3,
    "union": 1,
    "self": 5,
    "outreach": 5,
}
# Which organisation works which channel, and how much: street units, indoor outreach, drop-in desks.
CHANNEL_WORK = {  # partner index (0: the lead entity) -> {channel: weight}
    0: {"drop_in": 3},
    1: {"street": 30, "indoor": 8},
    2: {"street": 20, "indoor": 14},
    3: {"street": 10, "drop_in": 6},
    4: {"indoor": 10, "drop_in": 4},
    5: {"street": 6},
    6: {"indoor": 5, "drop_in": 2},
    7: {"street": 3, "indoor": 2},
    8: {"drop_in": 2},
}
# type: structures per 100,000 people, beds (fewest, most), gender of the guests
TYPES = {
    "women": (70, (8, 16), "women"),
    "emergency_women": (25, (6, 12), "women"),
    "men": (30, (6, 12), "men"),
    "autonomy": (140, (2, 5), "women"),
    "emergency_places": (20, (1, 4), "women"),
    "dormitory_men": (15, (2, 6), "men"),
}
# A person's path: the stages in order, and where each stage can be spent.
PATHS = {
    "women": [
        ("emergency", ("emergency_women", "emergency_places")),
        ("first", ("women",)),
        ("second", ("women",)),
        ("third", ("autonomy",)),
    ],
    "men": [("emergency", ("dormitory_men", "men")), ("first", ("men",)), ("third", ("autonomy",))],
    "any": [("third", ("autonomy",))],
}
GUESTS = {
    "woman": "women",
    "trans_woman": "women",
    "man": "men",
    "trans_man": "men",
    "non_binary": "any",
    "unknown": "any",
}
STAGE_DAYS = {"emergency": 30, "first": 120, "second": 240, "third": 365}
EXIT_REASONS = {"autonomy": 30, "transfer": 15, "assisted_return": 5, "dropped_out": 35, "safety": 5, "other": 10}
PLACED = 0.35  # share of the people who are placed at least once


# --- building the data: on the current connection (the benchmark's child, or a test's database) -------------------


@dataclass
class Built:
    programme: object
    contacts: int
    referrals: int
    people: int
    placements: int
    structures: int
    beds: int


def _day_weights(first: date, last: date, *, street: bool) -> tuple[list[date], list[float]]:
    """Every day, and how busy it is: the work grows over the years, fewer contacts at weekends and in August."""
    days, weights = [], []
    for n in range((last - first).days + 1):
        day = first + timedelta(days=n)
        weight = 1 + 0.1 * (day.year - first.year)
        if day.weekday() == 6:
            weight *= 0.3 if not street else 0.7
        elif day.weekday() == 5:
            weight *= 0.6 if not street else 1.1
        if day.month == 8:
            weight *= 0.6
        days.append(day)
        weights.append(weight)
    return days, list(accumulate(weights))


def _network(code: str, name: str, partners: int, suffix: str) -> tuple:
    world = _world.network(
        start=START,
        end=END,
        partners=partners,
        areas=5,
        code=code,
        name=name,
        prefix=f"bench-{suffix}",
        area_prefix=suffix.upper(),
    )
    return world.programme, world.organisation_ids, world.area_ids


@dataclass
class Plan:
    """A structure as generated, and what the placements must respect."""

    pk: int
    type: str
    guests: str
    beds: int
    open_from: date | None
    open_to: date | None
    closed: tuple[date, date] | None  # no beds from the first day until the day before the second

    def takes(self, start: date) -> date | None:
        """The last day a stay beginning on ``start`` may last, or None when the structure cannot take it then."""
        if (self.open_from and start < self.open_from) or (self.open_to and start > self.open_to):
            return None
        last = self.open_to or date.max
        if self.closed:
            if self.closed[0] <= start < self.closed[1]:
                return None
            if start < self.closed[0]:
                last = min(last, self.closed[0] - timedelta(days=1))
        return last


def _structures(rng: random.Random, scale: float, programme, organisations, areas, prefix: str) -> list[Plan]:
    """Structures of every type with their beds; some open or close during the programme, shrink or close a while."""
    from django.db import transaction

    from approdi.shelter.models import Bed, CapacityChange, Structure

    plans: list[tuple[Structure, dict]] = []
    span = (END - START).days
    for type_, (per_100k, (fewest, most), guests) in TYPES.items():
        for _ in range(max(1, round(per_100k * scale))):
            n = len(plans) + 1
            shape = rng.random()
            open_from = open_to = None
            if shape < 0.3:
                open_from = START - timedelta(days=rng.randint(30, 2_000))
            elif shape < 0.5:  # opened during the programme
                open_from = START + timedelta(days=rng.randint(60, span - 200))
            if rng.random() < 0.1:  # closed during the programme (or will close after it)
                base = max(open_from or START, START)
                open_to = base + timedelta(days=rng.randint(150, (END - base).days + 300))
            hosts = "any" if type_ == "autonomy" and rng.random() < 0.3 else guests
            structure = Structure(
                code=f"{prefix}{n:04d}",
                name=f"Struttura {prefix}{n}",
                organisation_id=rng.choice(organisations[1:]),
                type=type_,
                gender=hosts,
                area_id=rng.choice(areas),
                beds=rng.randint(fewest, most),
                open_from=open_from,
                open_to=open_to,
                address=f"Via Roma {n}",
                phone=f"+39 02 {1_000_000 + n}",
            )
            plans.append((structure, {"guests": hosts}))
    with transaction.atomic():
        Structure.objects.bulk_create([s for s, _ in plans])
        created = {s.code: s for s in Structure.objects.filter(code__startswith=prefix)}
        Structure.programmes.through.objects.bulk_create(
            [Structure.programmes.through(structure_id=s.pk, programme_id=programme.pk) for s in created.values()]
        )
        beds, changes, result = [], [], []
        for structure, extra in plans:
            structure = created[structure.code]
            beds += [Bed(structure=structure, label=str(i)) for i in range(1, structure.beds + 1)]
            closed = None
            shape = rng.random()
            first_day = max(structure.open_from or START, START)
            last_day = min(structure.open_to or END, END)
            if shape < 0.05 and (last_day - first_day).days > 400:  # had more beds until a day
                changes += [
                    CapacityChange(structure=structure, date=first_day, beds=structure.beds + rng.randint(1, 3)),
                    CapacityChange(
                        structure=structure, date=first_day + timedelta(days=rng.randint(100, 399)), beds=structure.beds
                    ),
                ]
            elif shape < 0.12 and (last_day - first_day).days > 400:  # closed for a while (works, inspections)
                begins = first_day + timedelta(days=rng.randint(30, (last_day - first_day).days - 30))
                closed = (begins, begins + timedelta(days=rng.randint(20, 150)))
                changes += [
                    CapacityChange(structure=structure, date=closed[0], beds=0),
                    CapacityChange(structure=structure, date=closed[1], beds=structure.beds),
                ]
            result.append(
                Plan(
                    structure.pk,
                    structure.type,
                    extra["guests"],
                    structure.beds,
                    structure.open_from,
                    structure.open_to,
                    closed,
                )
            )
        Bed.objects.bulk_create(beds, batch_size=2_000)
        CapacityChange.objects.bulk_create(changes)
    return result


def _people_rows(rng: random.Random, count: int, first_pk: int, codes: list[str]) -> dict:
    return {
        "id": list(range(first_pk, first_pk + count)),
        "code": codes,
        "gender": _world.weighted(rng, GENDERS, count),
        "nationality": _world.weighted(rng, NATIONALITIES, count),
    }


def _referrals(rng, count_people, people_pk, codes, organisations, start, end) -> dict:
    """1 to 3 referrals per person over the period, and referrals without a person code (a person each)."""
    span = (end - start).days
    dates, who = [], []
    for i in range(count_people):
        first = start + timedelta(days=rng.randint(0, span))
        dates.append(first)
        who.append(i)
        for _ in range((rng.random() < 0.25) + (rng.random() < 0.05)):  # referred again, by another body
            dates.append(min(first + timedelta(days=rng.randint(1, 365)), end))
            who.append(i)
    anonymous = round(0.15 * count_people)
    dates += [start + timedelta(days=rng.randint(0, span)) for _ in range(anonymous)]
    n = len(dates)
    return {
        "organisation_id": rng.choices(organisations, [6, *([2] * (len(organisations) - 1))], k=n),
        "date": dates,
        "source_type": _world.weighted(rng, SOURCES, n),
        "person_code": [codes[i] for i in who] + [""] * anonymous,
        "person_id": [people_pk[i] for i in who] + [None] * anonymous,
        "gender": _world.weighted(rng, GENDERS, n),
        "nationality": _world.weighted(rng, NATIONALITIES, n),
        "exploitation": _world.weighted(rng, EXPLOITATION, n),
        "status": "decided",
    }


def _placements(rng: random.Random, plans: list[Plan], beds: dict[int, list[int]], people: list[tuple]) -> dict:
    """Stays in free beds, in the order they begin: each placed person follows her path from stage to stage.

    ``people``: (id, gender, first referral date). A bed holds one person at a time; a stay still running at the end
    of the programme has no end (one per bed and per person at most, as the database requires).
    """
    candidates: dict[tuple[int, str], list[tuple[Plan, int]]] = {}  # (step, guests) -> every bed that fits
    for guests, path in PATHS.items():
        for step, (_stage, types) in enumerate(path):
            candidates[step, guests] = [
                (plan, bed)
                for plan in plans
                if plan.type in types and plan.guests in (guests, "any")
                for bed in beds[plan.pk]
            ]
    free_from: dict[int, date] = {}
    events = []
    for pk, gender, referred in rng.sample(people, round(PLACED * len(people))):
        begins = referred + timedelta(days=rng.randint(0, 40))
        if rng.random() < 0.03:  # already hosted when the programme began
            begins = START - timedelta(days=rng.randint(1, 150))
        heapq.heappush(events, (begins, pk, GUESTS[gender], 0, 0))
    rows = {
        k: [] for k in ("person_id", "bed_id", "structure_id", "stage", "start", "planned_end", "end", "exit_reason")
    }
    while events:
        begins, pk, guests, step, tries = heapq.heappop(events)
        if begins > END:
            continue
        stage = PATHS[guests][step][0]
        fitting = candidates[step, guests]
        chosen = None
        for plan, bed in rng.sample(fitting, min(25, len(fitting))):
            last = plan.takes(begins)
            if last is not None and free_from.get(bed, date.min) <= begins:
                chosen = plan, bed, last
                break
        if chosen is None:
            if tries < 8:  # on the waiting list: try again a fortnight later
                heapq.heappush(events, (begins + timedelta(days=14), pk, guests, step, tries + 1))
            continue
        plan, bed, last = chosen
        ends = begins + timedelta(days=int(rng.expovariate(1 / STAGE_DAYS[stage])) + 3)
        moves_on = step + 1 < len(PATHS[guests]) and rng.random() < 0.55
        if ends > last:
            ends, moves_on = last, False
        if ends > END:
            ends, moves_on = None, False  # still there
        rows["person_id"].append(pk)
        rows["bed_id"].append(bed)
        rows["structure_id"].append(plan.pk)
        rows["stage"].append(stage)
        rows["start"].append(begins)
        rows["planned_end"].append(begins + timedelta(days=STAGE_DAYS[stage]))
        rows["end"].append(ends)
        reason = "" if ends is None else "next_stage" if moves_on else _world.weighted(rng, EXIT_REASONS, 1)[0]
        rows["exit_reason"].append(reason)
        free_from[bed] = date.max if ends is None else ends + timedelta(days=1)
        if moves_on:
            heapq.heappush(events, (ends, pk, guests, step + 1, 0))  # the move day: one night, in the new bed
    return rows


def _contact_chunks(rng, count, organisations, areas, codes: list[str]):
    """Columns of CHUNK contacts at a time: who works which channel, busy and quiet days, groups and known people."""
    work = [
        (organisations[i], channel, weight)
        for i, channels in CHANNEL_WORK.items()
        if i < len(organisations)
        for channel, weight in channels.items()
    ]
    pairs, cumulative = [(o, c) for o, c, _ in work], list(accumulate(w for _, _, w in work))
    street_days, street_weights = _day_weights(START, END, street=True)
    desk_days, desk_weights = _day_weights(START, END, street=False)
    for first in range(0, count, CHUNK):
        n = min(CHUNK, count - first)
        chosen = rng.choices(pairs, cum_weights=cumulative, k=n)
        street_dates = rng.choices(street_days, cum_weights=street_weights, k=n)
        desk_dates = rng.choices(desk_days, cum_weights=desk_weights, k=n)
        group = [
            (c == "street" and r < 0.12) or r < 0.03
            for (_, c), r in zip(chosen, (rng.random() for _ in range(n)), strict=True)
        ]
        known = [not g and r < 0.7 for g, r in zip(group, (rng.random() for _ in range(n)), strict=True)]
        people = rng.choices(codes, k=n)
        firsts = [r < 0.35 for r in (rng.random() for _ in range(n))]
        sizes = rng.choices(range(2, 9), k=n)

        def personal(values, group=group):
            return ["" if g else v for g, v in zip(group, values, strict=True)]

        yield (
            n,
            {
                "organisation_id": [o for o, _ in chosen],
                "channel": [c for _, c in chosen],
                "date": [
                    s if c == "street" else d for (_, c), s, d in zip(chosen, street_dates, desk_dates, strict=True)
                ],
                "area_id": rng.choices(areas, [5, 3, 2, 1, 1][: len(areas)], k=n),
                "headcount": [s if g else 1 for g, s in zip(group, sizes, strict=True)],
                "person_code": [p if k else "" for k, p in zip(known, people, strict=True)],
                "first_contact": [None if g else f for g, f in zip(group, firsts, strict=True)],
                "gender": personal(_world.weighted(rng, GENDERS, n)),
                "age_band": personal(_world.weighted(rng, AGE_BANDS, n)),
                "nationality": personal(_world.weighted(rng, NATIONALITIES, n)),
                "exploitation": _world.weighted(rng, EXPLOITATION, n),
            },
        )


def build(*, contacts: int, people: int, seed: int = SEED, fast: bool = True) -> Built:
    """The benchmark's data on the current database; ``fast`` skips SQLite's CHECKs while bulk loading."""
    from contextlib import nullcontext

    from django.db import connection, transaction
    from django.db.models import Max
    from django_scopes import scopes_disabled

    from approdi.accounts.models import User
    from approdi.outreach.models import Contact, Referral
    from approdi.people.models import Person
    from approdi.shelter.models import Bed, Placement

    rng = random.Random(seed)
    sqlite = connection.vendor == "sqlite"
    scale = people / 100_000
    with scopes_disabled():
        programme, organisations, areas = _network("BENCH", "Benchmark", 8, "b")
        other, other_organisations, other_areas = _network("BENCH-OTHER", "Altro", 2, "o")
        actor = User.objects.create_user(username=f"bench-filtro-{seed}", password=None)
        plans = _structures(rng, scale, programme, organisations, areas, "BS")
        _structures(rng, NOISE * scale, other, other_organisations, other_areas, "BO")
        beds: dict[int, list[int]] = {}
        in_programme = Bed.objects.filter(structure__programmes=programme).order_by("pk")
        for pk, structure_id in in_programme.values_list("pk", "structure_id"):
            beds.setdefault(structure_id, []).append(pk)

        taken: set[str] = set()
        identified = _world.person_codes(rng, people, taken)
        never_identified = _world.person_codes(rng, round(1.2 * people), taken)  # met on the street, never referred
        noise_people = max(1, round(NOISE * people))
        noise_codes = _world.person_codes(rng, noise_people, taken)
        first_pk = (Person.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        counts = {}
        checks = _harness.checks_off() if fast else nullcontext()
        with checks, transaction.atomic():
            person = _harness.Writer(Person, sqlite)
            rows = _people_rows(rng, people, first_pk, identified)
            person.write(
                people,
                {**rows, "programme_id": programme.pk, "organisation_id": organisations[0], "created_by_id": actor.pk},
            )
            noise_pk = first_pk + people
            person.write(
                noise_people,
                {
                    **_people_rows(rng, noise_people, noise_pk, noise_codes),
                    "programme_id": other.pk,
                    "organisation_id": other_organisations[0],
                    "created_by_id": actor.pk,
                },
            )

            referrals = _referrals(rng, people, rows["id"], identified, organisations, START, END)
            referred = {}
            for pk, when in zip(referrals["person_id"], referrals["date"], strict=False):
                if pk is not None and (pk not in referred or when < referred[pk]):
                    referred[pk] = when
            writer = _harness.Writer(Referral, sqlite)
            counts["referrals"] = writer.write(len(referrals["date"]), {**referrals, "programme_id": programme.pk})
            noise = _referrals(
                rng,
                noise_people,
                list(range(noise_pk, noise_pk + noise_people)),
                noise_codes,
                other_organisations,
                START,
                END,
            )
            writer.write(len(noise["date"]), {**noise, "programme_id": other.pk})

            stays = _placements(
                rng, plans, beds, [(pk, g, referred[pk]) for pk, g in zip(rows["id"], rows["gender"], strict=True)]
            )
            counts["placements"] = _harness.Writer(Placement, sqlite).write(
                len(stays["start"]), {**stays, "programme_id": programme.pk, "created_by_id": actor.pk}
            )

            writer, counts["contacts"] = _harness.Writer(Contact, sqlite), 0
            pool = identified + never_identified
            for n, values in _contact_chunks(rng, contacts, organisations, areas, pool):
                counts["contacts"] += writer.write(n, {**values, "programme_id": programme.pk})
            for n, values in _contact_chunks(
                rng, round(NOISE * contacts), other_organisations, other_areas, noise_codes
            ):
                writer.write(n, {**values, "programme_id": other.pk})
    return Built(
        programme=programme,
        contacts=counts["contacts"],
        referrals=counts["referrals"],
        people=people,
        placements=counts["placements"],
        structures=len(plans),
        beds=sum(len(b) for b in beds.values()),
    )


# --- the two sides compared ----------------------------------------------------------------------------------------


def summary(programme, start: date, end: date) -> dict:
    """What the page, the command and the API compute."""
    from approdi.reports.funder.summary import funder_summary

    return funder_summary(programme=programme, start=start, end=end)


def floor_sql() -> str:
    """ONE statement for every figure of the summary, written by hand for the counting rules of DESIGN.md §9."""
    from approdi.outreach.models import Contact, Referral
    from approdi.people.models import Person
    from approdi.shelter.models import RESERVED_PLACE_TYPES, CapacityChange, Placement, Structure, StructureType

    capacity = []
    for t in StructureType:
        counted = "0" if t in RESERVED_PLACE_TYPES else f"COUNT(CASE WHEN o.\"type\" = '{t.value}' THEN 1 END)"
        capacity.append(f"{counted}, COALESCE(SUM(CASE WHEN o.\"type\" = '{t.value}' THEN o.beds END), 0)")
    reserved = ", ".join(f"'{t.value}'" for t in RESERVED_PLACE_TYPES)
    capacity.append(f'COUNT(CASE WHEN o."type" NOT IN ({reserved}) THEN 1 END), COALESCE(SUM(o.beds), 0)')
    return f"""
SELECT c.street, c.indoor, c.drop_in, r.coded + r.anonymous, p.women, p.men, p.transgender, p.total, k.*
FROM (
    SELECT COALESCE(SUM(CASE WHEN "channel" = 'street' THEN "headcount" END), 0) AS street,
           COALESCE(SUM(CASE WHEN "channel" = 'indoor' THEN "headcount" END), 0) AS indoor,
           COALESCE(SUM(CASE WHEN "channel" = 'drop_in' THEN "headcount" END), 0) AS drop_in
    FROM "{Contact._meta.db_table}" WHERE "programme_id" = %s AND "date" >= %s AND "date" <= %s
) AS c CROSS JOIN (
    SELECT COUNT(DISTINCT CASE WHEN "person_code" <> '' THEN "person_code" END) AS coded,
           COUNT(CASE WHEN "person_code" = '' THEN 1 END) AS anonymous
    FROM "{Referral._meta.db_table}"
    WHERE "programme_id" = %s AND "date" >= %s AND "date" <= %s AND "source_type" NOT IN ('self', 'outreach')
) AS r CROSS JOIN (
    SELECT COUNT(CASE WHEN "gender" = 'woman' THEN 1 END) AS women, COUNT(CASE WHEN "gender" = 'man' THEN 1 END) AS men,
           COUNT(CASE WHEN "gender" IN ('trans_woman', 'trans_man') THEN 1 END) AS transgender, COUNT(*) AS total
    FROM "{Person._meta.db_table}"
    WHERE "id" IN (SELECT "person_id" FROM "{Placement._meta.db_table}"
                   WHERE "programme_id" = %s AND "start" <= %s AND ("end" IS NULL OR "end" >= %s))
) AS p CROSS JOIN (
    SELECT {", ".join(capacity)}
    FROM (
        SELECT s."type", COALESCE(cc."beds", s."beds") AS beds
        FROM "{Structure._meta.db_table}" AS s
        JOIN "{Structure.programmes.through._meta.db_table}" AS sp ON sp."structure_id" = s."id"
        LEFT JOIN "{CapacityChange._meta.db_table}" AS cc ON cc."structure_id" = s."id" AND cc."date" = (
            SELECT MAX(latest."date") FROM "{CapacityChange._meta.db_table}" AS latest
            WHERE latest."structure_id" = s."id" AND latest."date" <= %s
        )
        WHERE sp."programme_id" = %s AND (s."open_from" IS NULL OR s."open_from" <= %s)
              AND (s."open_to" IS NULL OR s."open_to" >= %s)
    ) AS o WHERE o.beds > 0
) AS k
"""


def floor(programme, start: date, end: date) -> dict:
    """The floor's figures, in the summary's shape."""
    from django.db import connection

    from approdi.shelter.models import StructureType

    a, b = connection.ops.adapt_datefield_value(start), connection.ops.adapt_datefield_value(end)
    p = programme.pk
    with connection.cursor() as cursor:
        cursor.execute(floor_sql(), [p, a, b, p, a, b, p, b, a, b, p, b, b])
        row = [int(v) for v in cursor.fetchone()]
    capacity = [
        {"type": t.value, "structures": row[8 + 2 * i], "beds": row[9 + 2 * i]} for i, t in enumerate(StructureType)
    ]
    return {
        "programme": programme.code,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "outreach": dict(
            zip(
                ("street_contacts", "indoor_contacts", "low_threshold_accesses", "persons_referred_by_bodies"),
                row[:4],
                strict=True,
            )
        ),
        "reception": dict(zip(("women", "men", "transgender", "total"), row[4:8], strict=True)),
        "capacity": capacity,
        "capacity_total": {"structures": row[-2], "beds": row[-1]},
        "training": training_floor(p, start, end),
    }


def _timed(programme, start: date, end: date, repeat_: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = [summary(programme, start, end), floor(programme, start, end)]  # warm-up
    if results[0] != results[1]:
        raise SystemExit(f"the summary and the floor disagree:\n{results[0]}\n{results[1]}")
    times, _last = _harness.rounds(
        [lambda: summary(programme, start, end), lambda: floor(programme, start, end)], repeat_
    )
    with CaptureQueriesContext(connection) as queries:
        summary(programme, start, end)
    return {
        "summary_ms": _harness.median(times[0]),
        "summary_best": min(times[0]),
        "floor_ms": _harness.median(times[1]),
        "floor_best": min(times[1]),
        "queries": len(queries.captured_queries),
        "figures": results[0],
    }


def child(backend: str, args) -> None:
    _sqlite, database = _harness.setup()
    from django_scopes import scopes_disabled

    from approdi.network.models import Programme

    started = time.perf_counter()
    reused = bool(os.environ.get("REUSED"))
    if reused:
        with scopes_disabled():
            programme = Programme.objects.get(code="BENCH")
            counts = {
                "contacts": programme.contacts.count(),
                "people": programme.people.count(),
                "referrals": programme.referrals.count(),
                "placements": programme.placements.count(),
                "structures": programme.structures.count(),
            }
        print(f"{database}: reusing the database built before: {counts}", flush=True)
    else:
        built = build(contacts=args.contacts, people=args.people, seed=args.seed)
        programme = built.programme
        counts = {k: v for k, v in vars(built).items() if k != "programme"}
    _harness.analyze()
    load_s = time.perf_counter() - started
    print(f"{database}: {'checked' if reused else 'built'} {counts} in {load_s:.1f} s", flush=True)
    rows = []
    for label, start, end in PERIODS:
        row = {"period": label, **_timed(programme, start, end, args.repeat)}
        rows.append(row)
        print(
            f"{database}, {label}: summary {row['summary_ms']:.1f} ms (best {row['summary_best']:.1f}), "
            f"floor {row['floor_ms']:.1f} ms (best {row['floor_best']:.1f}), {row['queries']} queries",
            flush=True,
        )
    print(json.dumps({"database": database, "reused": reused, "load_s": load_s, "counts": counts, "rows": rows}))


# --- parent ---------------------------------------------------------------------------------------------------------


def _figures(f: dict) -> str:
    o, r, t = f["outreach"], f["reception"], f["capacity_total"]
    return (
        f"{o['street_contacts']:,} / {o['indoor_contacts']:,} / {o['low_threshold_accesses']:,} / "
        f"{o['persons_referred_by_bodies']:,}; {r['women']:,} / {r['men']:,} / {r['transgender']:,} / "
        f"{r['total']:,}; {t['structures']} structures, {t['beds']:,} beds"
    )


def parent(args) -> None:
    began = time.perf_counter()
    load_before = _harness.load_average()
    backends = (
        _harness.BACKENDS if args.database == "both" else ("sqlite" if args.database == "sqlite" else "postgresql",)
    )
    argv = ["--contacts", str(args.contacts), "--people", str(args.people), "--repeat", str(args.repeat)]
    argv += ["--seed", str(args.seed)]
    keep = "summary" if args.keep or args.reuse else None
    results = _harness.run_backends("bench.summary_scale", backends, argv, PG_BENCH_DB, keep=keep, reuse=args.reuse)
    print(
        f"\n# Funder summary at scale — {args.contacts:,} contacts, {args.people:,} people, seed {args.seed}, "
        f"median of {args.repeat} after a warm-up, {_harness.machine(load_before)}\n"
    )

    def line(database: str, row: dict) -> list:
        ratio = row["summary_ms"] / row["floor_ms"]
        met = ratio <= GOAL_RATIO and row["summary_ms"] < GOAL_MS
        return [
            database,
            row["period"],
            f"{row['summary_ms']:.1f} ms ({row['summary_best']:.1f})",
            row["queries"],
            f"{row['floor_ms']:.1f} ms ({row['floor_best']:.1f})",
            f"{ratio:.2f}",
            "met" if met else "missed",
        ]

    _harness.table(
        [
            "database",
            "period",
            "funder_summary() median (best)",
            "queries",
            "floor: one SQL statement median (best)",
            "ratio",
            "goal (≤ 1.5× and < 1 s)",
        ],
        (line(result["database"], row) for result in results for row in result["rows"]),
        "llrrrrl",
    )
    print(
        "\nFigures (identical on both sides; street / indoor / drop-in / referred by bodies; women / men / "
        "transgender / total hosted; capacity on the last day):\n"
    )
    for result in results:
        for row in result["rows"]:
            print(f"- {result['database']}, {row['period']}: {_figures(row['figures'])}")
    print()
    print_worlds(results, began)


def print_worlds(results: list[dict], began: float) -> None:
    """How each database's world came to be, and the whole run's time: the end of every report on this world."""
    for result in results:
        what = "reused (built by an earlier run)" if result["reused"] else "built"
        print(f"{result['database']}: {what}, {result['counts']}, {result['load_s']:.1f} s with ANALYZE")
    print(f"\nWhole run: {time.perf_counter() - began:.0f} s")


def world_parser(description: str) -> argparse.ArgumentParser:
    """The options of a benchmark on this world: its size, the databases, the rounds, keeping and reusing it."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--keep", action="store_true", help="keep the databases for another run (--reuse)")
    parser.add_argument("--reuse", action="store_true", help="time the databases kept by --keep, without rebuilding")
    return parser


def main(argv: list[str] | None = None) -> None:
    _harness.cli(world_parser(__doc__.split("\n")[0]), parent, child, argv)


if __name__ == "__main__":
    main()
