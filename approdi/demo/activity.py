"""Demo activity of DA-2017 that reproduces seed 001's "DATI DEL PROGETTO" exactly.

Street contacts 3,575; indoor contacts 1,667; low-threshold accesses 484; people referred by other
bodies 553; in reception 160 women, 17 men, 2 transgender (179). Everything is generated from a
fixed seed: invented codes, no person's data.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django_scopes import scopes_disabled

from approdi.accounts.models import User
from approdi.network.models import Area, Organisation, Programme
from approdi.outreach.models import Contact, Referral
from approdi.people.models import Person
from approdi.people.person_code import code_from_identifier
from approdi.shelter.models import STAGE_TYPES, Bed, Placement

START, END = date(2017, 12, 1), date(2019, 2, 28)
SEED_FIGURES = {"street": 3575, "indoor": 1667, "drop_in": 484, "referred": 553, "women": 160, "men": 17, "trans": 2}
OUTREACH_ORGS = ["lotta-emarginazione", "lule-coop", "comunita-progetto", "farsi-prossimo", "ceas"]
NATIONALITIES = ["NG", "NG", "NG", "RO", "RO", "AL", "BR", "CN", "MA", "CI", "GH", "BG", "PE", "UA"]
EXPLOITATION = ["sexual", "sexual", "sexual", "labour", "begging", "illegal_economies", "forced_marriage", "unknown"]
BODY_SOURCES = [
    "cas",
    "sai",
    "territorial_commission",
    "police",
    "prosecutor",
    "helpline",
    "other_project",
    "health_service",
    "social_services",
    "labour_inspectorate",
    "union",
]


def _day(rng: random.Random) -> date:
    return START + timedelta(days=rng.randrange((END - START).days + 1))


def _split(total: int, rng: random.Random, *, group_share: float) -> list[int]:
    """Headcounts adding up to ``total``: mostly single people, some anonymous groups of 2–8."""
    counts, left = [], total
    while left:
        size = min(left, rng.randint(2, 8)) if rng.random() < group_share else 1
        counts.append(size)
        left -= size
    return counts


def load(programme: Programme, filtro: User) -> bool:
    """Loads the activity once; returns False when the programme already has contacts."""
    rng = random.Random(2017)  # noqa: S311 - demo data, not security
    with scopes_disabled():
        if Contact.objects.filter(programme=programme).exists():
            return False
        organisations = {o.code: o for o in Organisation.objects.filter(code__in=OUTREACH_ORGS + ["comune-milano"])}
        areas = list(Area.objects.order_by("code"))
        _contacts(programme, organisations, areas, rng)
        _referrals(programme, organisations, rng)
        _placements(programme, organisations["comune-milano"], filtro, rng)
    return True


def _contacts(programme, organisations, areas, rng):
    rows, known = [], []
    for channel, group_share in (("street", 0.18), ("indoor", 0.08), ("drop_in", 0.0)):
        for headcount in _split(SEED_FIGURES[channel], rng, group_share=group_share):
            code, first = "", None
            if headcount == 1 and rng.random() < 0.6:
                if known and rng.random() < 0.35:
                    code, first = rng.choice(known), False
                else:
                    code, first = code_from_identifier(f"demo-2017-contact-{len(known)}"), True
                    known.append(code)
            rows.append(
                Contact(
                    programme=programme,
                    organisation=organisations[rng.choice(OUTREACH_ORGS)],
                    channel=channel,
                    date=_day(rng),
                    area=rng.choice(areas),
                    headcount=headcount,
                    person_code=code,
                    first_contact=first,
                    gender=rng.choice(["woman"] * 8 + ["man", "trans_woman"]) if headcount == 1 else "",
                    nationality=rng.choice(NATIONALITIES) if headcount == 1 else "",
                    exploitation=rng.choice(EXPLOITATION),
                    age_band=rng.choice(["18-20", "21-23", "24-26", "27-29", "30-38"]),
                    access_channel="in_person" if channel == "drop_in" else "",
                )
            )
    Contact.objects.bulk_create(rows, batch_size=1000)


def _referrals(programme, organisations, rng):
    rows = []
    coded = SEED_FIGURES["referred"] - 53  # 53 referrals arrive without a person code: each is a person of its own
    for n in range(coded):
        code = code_from_identifier(f"demo-2017-referral-{n}")
        for _again in range(2 if n % 9 == 0 else 1):  # some people are referred twice, by two bodies
            rows.append(
                Referral(
                    programme=programme,
                    organisation=organisations["comune-milano"],
                    date=_day(rng),
                    source_type=rng.choice(BODY_SOURCES),
                    person_code=code,
                    gender="woman",
                    exploitation=rng.choice(EXPLOITATION),
                    status="closed",
                )
            )
    for _n in range(53):
        rows.append(
            Referral(
                programme=programme,
                organisation=organisations["comune-milano"],
                date=_day(rng),
                source_type="helpline",
                status="closed",
            )
        )
    for n in range(40):  # self-referrals and own outreach: not "referred by other bodies"
        rows.append(
            Referral(
                programme=programme,
                organisation=organisations[rng.choice(OUTREACH_ORGS)],
                date=_day(rng),
                source_type=rng.choice(["self", "outreach"]),
                person_code=code_from_identifier(f"demo-2017-self-{n}"),
                status="closed",
            )
        )
    Referral.objects.bulk_create(rows, batch_size=1000)


FITS = {
    "woman": {"emergency_women", "women", "autonomy", "emergency_places"},
    "man": {"men", "dormitory_men"},
    "trans_woman": {"autonomy"},
}


def _stage_of(structure_type: str) -> str:
    """The stage each demo stay has: one the structure's type hosts (shelter.models.STAGE_TYPES)."""
    for stage in ("first", "emergency", "third"):
        if structure_type in STAGE_TYPES[stage]:
            return stage
    raise AssertionError(f"no stage for {structure_type}")


def _placements(programme, lead, filtro, rng):
    beds = list(Bed.objects.filter(structure__programmes=programme, in_use=True).select_related("structure"))
    free_from = {bed.pk: START - timedelta(days=rng.randrange(0, 60)) for bed in beds}
    people = [("woman", SEED_FIGURES["women"]), ("man", SEED_FIGURES["men"]), ("trans_woman", SEED_FIGURES["trans"])]
    number = 0
    for gender, count in people:
        for _n in range(count):
            number += 1
            person = Person.objects.create(
                programme=programme,
                organisation=lead,
                created_by=filtro,
                gender=gender,
                code=code_from_identifier(f"demo-2017-hosted-{number}"),
                nationality=rng.choice(NATIONALITIES),
            )
            fitting = [b for b in beds if b.structure.type in FITS[gender]]
            bed = min(fitting, key=lambda b: (free_from[b.pk], b.pk))
            start = free_from[bed.pk] + timedelta(days=rng.randrange(1, 10))
            end = start + timedelta(days=rng.randrange(60, 200))
            Placement.objects.create(
                programme=programme,
                person=person,
                bed=bed,
                structure=bed.structure,
                stage=_stage_of(bed.structure.type),
                start=start,
                end=end,
                exit_reason=rng.choice(["autonomy", "next_stage", "transfer", "dropped_out"]),
            )
            free_from[bed.pk] = end + timedelta(days=1)
            if start > END:
                raise AssertionError("demo placements do not fit the period: more beds are needed")
