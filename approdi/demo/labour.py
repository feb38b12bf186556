"""The demo's labour-exploitation desk, LAB-2024 (seed 002): its directory and six months of invented activity.

The edition asks for figures by employment sector and target group (``Programme.labour_breakdown``). Its directory
holds the city's desks it works with (Centro Sammartini, Casa Jannacci, CeLav), written through the directory's
services; the running edition's directory gets the three desks too. The activity, from September 2024 to February
2025, follows the path of seed 002 with the modules every programme uses: a first desk access, more accesses under
the same code (engagement), the services of the desk (listening, legal and psychological advice, orientation to a
service), referrals to the Ufficio Filtro (taking in charge) and to and from the city's desks. Every code is
invented from a fixed seed; no person's data. Written once: a second load finds the contacts and stops.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django_scopes import scopes_disabled

from approdi.accounts.models import User
from approdi.directory import services as directory
from approdi.directory.models import Body
from approdi.network.models import Area, Organisation, Programme
from approdi.outreach.models import Contact, Referral
from approdi.people.person_code import code_from_identifier

START, END = date(2024, 9, 2), date(2025, 2, 28)
DESK = "Sportello lavoro e sfruttamento"  # the public desk of approdi/demo/seeds.py (DESKS)
SAMMARTINI = "Centro Sammartini – Comune di Milano"
JANNACCI = "Casa Jannacci – Comune di Milano"
CELAV = "CeLav – Centro di mediazione al lavoro"

# name, type, services, hours, how to refer, phone, e-mail (addresses and contacts invented)
CITY_DESKS = [
    (SAMMARTINI, "municipality",
     "Centro di aiuto per persone migranti e senza dimora: ascolto, orientamento ai servizi, docce e pasti.",
     "Lunedì–venerdì 9:00–16:00", "Accompagnamento o invio telefonico dell'operatrice dello sportello.",
     "02 0000 3001", "sammartini@approdi.invalid"),
    (JANNACCI, "municipality",
     "Accoglienza notturna e servizi per persone in grave emarginazione; sportello sociale.",
     "Tutti i giorni, accettazione 18:00–21:00", "Invio dei servizi sociali o degli sportelli cittadini, con scheda.",
     "02 0000 3002", "jannacci@approdi.invalid"),
    (CELAV, "municipality",
     "Mediazione al lavoro: bilancio di competenze, tirocini, borse lavoro, incontro con le aziende.",
     "Lunedì–giovedì 9:00–13:00, su appuntamento", "Scheda di invio dello sportello con il consenso della persona.",
     "02 0000 3003", "celav@approdi.invalid"),
]  # fmt: skip
# The labour desk's other bodies, in LAB-2024's directory only.
LABOUR_BODIES = [
    ("Ispettorato Territoriale del Lavoro di Milano", "labour_inspectorate",
     "Vigilanza sui rapporti di lavoro; accertamenti su lavoro irregolare e sfruttamento.",
     "Lunedì–venerdì 9:00–12:00", "Segnalazione scritta del coordinamento dello sportello.",
     "02 0000 3004", "itl.milano@approdi.invalid"),
    ("Sindacato – Sportello lavoratori migranti", "union",
     "Vertenze di lavoro, buste paga, contratti; tutela contro lo sfruttamento.", "Martedì e giovedì 15:00–19:00",
     "Accompagnamento allo sportello o appuntamento telefonico.", "02 0000 1011", "migranti@approdi.invalid"),
]  # fmt: skip

# Weighted as the seed says: construction and services (restaurants, hotels, logistics) first.
SECTORS = (
    ["construction"] * 4
    + ["restaurants"] * 3
    + ["hotels"] * 2
    + ["logistics"] * 3
    + [
        "agriculture",
        "domestic_work",
        "domestic_work",
        "other",
    ]
)
GROUPS = ["foreign_regular"] * 3 + ["foreign_irregular"] * 4 + ["young_person"] * 2 + ["woman"] * 2
NATIONALITIES = ["EG", "BD", "PK", "MA", "SN", "PE", "UA", "RO", "TN", "NG", "AL", "IT"]
LANGUAGES = {"EG": "arabo", "MA": "arabo", "TN": "arabo", "BD": "bengalese", "PK": "urdu", "SN": "francese"}
# The desk's services by step of the path (the codes of approdi/outreach/codes.py DESK_SERVICES).
FIRST_VISIT = ["listening", "mediator_interview"]
LATER_VISITS = ["legal_advice", "psychological_advice", "documents_orientation", "referral", "counselling"]
# Where the desk sends people: the city's desks for a bed or a job, else a service of the network.
REFERRED_TO = [CELAV, CELAV, JANNACCI, SAMMARTINI, "CPIA 5 Milano", "Sindacato – Sportello lavoratori migranti"]
# Who refers people to the desk: (source type, referring body).
SOURCES = [
    ("social_services", SAMMARTINI),
    ("social_services", SAMMARTINI),
    ("social_services", JANNACCI),
    ("social_services", CELAV),
    ("union", "Sindacato – Sportello lavoratori migranti"),
    ("labour_inspectorate", "Ispettorato Territoriale del Lavoro di Milano"),
    ("self", ""),
    ("outreach", ""),
]
OUTCOMES = [
    "Presa in carico: percorso di inclusione socio-lavorativa",
    "Presa in carico: consulenza legale per art. 18-ter",
    "Inviata al CeLav per un tirocinio",
    "Non presa in carico: nessun indicatore di sfruttamento",
]


def _coordinator(programme: Programme) -> User:
    coordinator = User.objects.get(username="coordinatrice")
    coordinator.active_membership = coordinator.memberships.select_related("organisation", "programme").get(
        programme=programme
    )
    return coordinator


def load_directory(programme: Programme, *, labour: bool) -> int:
    """Writes the city's desks (and, for the labour desk, its other bodies) missing from ``programme``'s directory."""
    coordinator = _coordinator(programme)
    milano = list(Area.objects.filter(code="MI"))
    written = 0
    for name, type_, offered, hours, how, phone, email in CITY_DESKS + (LABOUR_BODIES if labour else []):
        if Body.objects.filter(programme=programme, name=name).exists():
            continue
        directory.save_body(
            actor=coordinator,
            name=name,
            type=type_,
            areas=milano,
            services=offered,
            hours=hours,
            how_to_refer=how,
            phone=phone,
            email=email,
        )
        written += 1
    return written


def load(programme: Programme) -> int:
    """LAB-2024's setting, directory and activity, once; returns the records of activity written (0 the next time)."""
    if not programme.labour_breakdown:
        programme.labour_breakdown = True
        programme.save(update_fields=["labour_breakdown"])
    with scopes_disabled():
        load_directory(programme, labour=True)
        if Contact.objects.filter(programme=programme).exists():
            return 0
        return _activity(programme)


def _activity(programme: Programme) -> int:
    rng = random.Random(2024)  # noqa: S311 - demo data, not security
    organisations = {o.code: o for o in Organisation.objects.filter(code__in=["farsi-prossimo", "comune-milano"])}
    desk, lead = organisations["farsi-prossimo"], organisations["comune-milano"]
    milano = Area.objects.get(code="MI")
    filtro = User.objects.filter(username="filtro").first()
    contacts: list[Contact] = []
    referrals: list[Referral] = []
    days = (END - START).days
    for n in range(70):  # seventy people, each met one to five times at the desk
        code = code_from_identifier(f"demo-lab-2024-{n}")
        sector, group = rng.choice(SECTORS), rng.choice(GROUPS)
        nationality = "IT" if group == "young_person" and rng.random() < 0.3 else rng.choice(NATIONALITIES)
        gender = "woman" if group == "woman" else rng.choice(["man", "man", "man", "woman"])
        first = START + timedelta(days=rng.randrange(days - 20))
        visits = rng.choice([1, 1, 2, 2, 3, 3, 4, 5])
        day = first
        for visit in range(visits):
            if day > END:
                break
            given = FIRST_VISIT if visit == 0 else rng.sample(LATER_VISITS, rng.randint(1, 2))
            referred_to = rng.choice(REFERRED_TO) if "referral" in given else ""
            contacts.append(
                Contact(
                    programme=programme,
                    organisation=desk,
                    channel="drop_in",
                    date=day,
                    area=milano,
                    person_code=code,
                    first_contact=visit == 0,
                    gender=gender,
                    age_band="18-20" if group == "young_person" else rng.choice(["24-26", "27-29", "30-38", "39-47"]),
                    nationality=nationality,
                    exploitation="labour",
                    services=sorted(set(given) | ({"referral"} if referred_to else set())),
                    referred_to=referred_to,
                    service_point=DESK,
                    access_channel=rng.choice(["in_person", "in_person", "in_person", "phone"]),
                    language_used=LANGUAGES.get(nationality, "italiano"),
                    mediator=nationality in LANGUAGES,
                    sector=sector,
                    target_group=group,
                )
            )
            day += timedelta(days=rng.randint(5, 30))
        if visits >= 2 and rng.random() < 0.5:  # engaged: referred to the Ufficio Filtro to be taken in charge
            source_type, body = rng.choice(SOURCES)
            status = rng.choice(["new", "assessing", "decided", "closed", "closed"])
            referrals.append(
                Referral(
                    programme=programme,
                    organisation=desk if source_type in ("self", "outreach") else lead,
                    date=min(first + timedelta(days=rng.randint(1, 20)), END),
                    source_type=source_type,
                    referring_body=body,
                    person_code=code,
                    gender=gender,
                    nationality=nationality,
                    exploitation="labour",
                    urgency=rng.choice(["routine", "routine", "priority"]),
                    consent_to_share=True,
                    sector=sector,
                    target_group=group,
                    status=status,
                    outcome=rng.choice(OUTCOMES) if status in ("decided", "closed") else "",
                    assignee=filtro if status != "new" else None,
                    created_by=filtro,
                )
            )
    Contact.objects.bulk_create(contacts)
    Referral.objects.bulk_create(referrals)
    return len(contacts) + len(referrals)
