"""Demo data from the seeds (DESIGN.md §4): public organisations, invented people.

Loading is idempotent: records are found by their codes and left as they are when present,
so running ``load_demo`` twice changes nothing.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from approdi.accounts.models import Membership, User
from approdi.network.models import Area, Organisation, Programme, Target
from approdi.public.models import Desk, PublicText
from approdi.public.starting_texts import add_missing_texts
from approdi.shelter.models import Structure
from approdi.shelter.services import sync_beds

from . import activity, cases, directory, governance, labour, roster, service_types, training

DEMO_PASSWORD = "Approdi-demo-2026!"  # noqa: S105 - published in the README, demo only
# RFC 6238's test secret ("12345678901234567890"); base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ. Demo only.
DEMO_TOTP_HEX = "3132333435363738393031323334353637383930"
DEMO_TOTP_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

AREAS = [
    ("MI", "Milano e Città Metropolitana"),
    ("CO", "Como"),
    ("MB", "Monza e Brianza"),
    ("SO", "Sondrio"),
    ("VA", "Varese"),
]

LEAD = ("comune-milano", "Comune di Milano")
PARTNERS = [
    ("lule-associazione", "Associazione LULE Onlus"),
    ("ceas", "CeAS Centro Ambrosiano di Solidarietà"),
    ("comunita-progetto", "Cooperativa Sociale Comunità Progetto"),
    ("farsi-prossimo", "Cooperativa Sociale Farsi Prossimo"),
    ("la-grande-casa", "Cooperativa Sociale La Grande Casa"),
    ("lotta-emarginazione", "Cooperativa Sociale Lotta contro l'Emarginazione"),
    ("lule-coop", "Cooperativa Sociale LULE"),
    ("somaschi", "Fondazione Somaschi Onlus"),
]
# Seed 003's safe-reporting promise: the immigration office is a body the network works with, never a
# holder of an account or of anyone's data (DESIGN.md §5).
ENFORCEMENT_BODIES = [("questura-mi", "Questura di Milano – Ufficio Immigrazione")]
NETWORK_BODIES = [
    ("prefettura-mi", "Prefettura di Milano"),
    ("commissione-mi", "Commissione Territoriale per il riconoscimento della protezione internazionale di Milano"),
    ("ats-milano", "ATS Città Metropolitana di Milano"),
    ("citta-metropolitana-mi", "Città Metropolitana di Milano"),
    ("regione-lombardia", "Regione Lombardia"),
    ("cpia-3", "CPIA 3 Rozzano – Sud Milano"),
    ("cpia-5", "CPIA 5 Milano"),
    ("oim", "OIM – Organizzazione Internazionale per le Migrazioni"),
    ("numero-verde", "Numero Verde Nazionale Antitratta"),
    ("niguarda-etnopsichiatria", "ASST Grande Ospedale Metropolitano Niguarda – Etnopsichiatria"),
    ("svsed-policlinico", "SVSeD – Fondazione IRCCS Ca' Granda Ospedale Maggiore Policlinico"),
]

PROGRAMMES = [
    {
        "code": "DA-2017",
        "name": "Derive e Approdi",
        "start": date(2017, 12, 1),
        "end": date(2019, 2, 28),
        "funder": "Dipartimento per le Pari Opportunità",
        "budget": None,
        "co_funding": None,
        "targets": [],
    },
    {
        "code": "DA-2019",
        "name": "Derive e Approdi 2019",
        "start": date(2019, 3, 1),
        "end": date(2020, 5, 31),
        "funder": "Dipartimento per le Pari Opportunità",
        "budget": Decimal("2025400"),
        "co_funding": Decimal("253000"),
        "targets": [
            ("reception_total", 200, "oltre 200 persone accolte"),
            ("street_contacts", 4000, "4.000 contatti con le unità di strada"),
        ],
    },
    {
        "code": "DA-2023",
        "name": "Derive e Approdi 2023",
        "start": date(2023, 7, 1),
        "end": date(2024, 12, 31),
        "funder": "Dipartimento per le Pari Opportunità (Bando 6/2023)",
        "budget": Decimal("2000000"),
        "co_funding": None,
        "targets": [],
    },
    {
        "code": "LAB-2024",
        "name": "Sportello contro lo sfruttamento lavorativo",
        "start": date(2024, 7, 1),
        "end": date(2025, 8, 31),
        "funder": "POC Inclusione",
        "budget": Decimal("150000"),
        "co_funding": None,
        "targets": [],
    },
]

# The edition running when the demo is loaded: DA-2023 ended on 31 December 2024, and the demo's case
# paths are dated from the day of loading (the oldest began 420 days before). A real network moves to
# the next call's edition; the demo's is named after the year it began and lasts three years, so its
# period always holds those paths and today.
CURRENT = "current"
CASE_PATHS_REACH_BACK = timedelta(days=420)


def current_edition_spec(today: date | None = None) -> dict:
    today = today or timezone.localdate()
    year = max(2025, (today - CASE_PATHS_REACH_BACK).year)
    return {
        "code": f"DA-{year}",
        "name": f"Derive e Approdi {year}",
        "start": date(year, 1, 1),
        "end": date(year + 2, 12, 31),
        "funder": "Dipartimento per le Pari Opportunità",
        "budget": Decimal("2000000"),
        "co_funding": None,
        # Seed 004 funds awareness, training and capacity building (approdi/demo/training.py).
        "targets": list(training.TARGETS),
    }


# (type, area, managing organisation, beds per structure): 28 structures and 84 beds, as in seed 001.
STRUCTURE_PLAN = [
    ("emergency_women", "MI", "somaschi", [2, 2, 2]),
    ("women", "MI", "lotta-emarginazione", [4, 4, 3, 3]),
    ("women", "MI", "farsi-prossimo", [4, 3, 3, 3]),
    ("women", "CO", "lule-coop", [4, 3, 3]),
    ("women", "MB", "la-grande-casa", [3, 3, 3]),
    ("women", "VA", "comunita-progetto", [3, 3]),
    ("men", "MI", "ceas", [4, 3]),
    ("autonomy", "MI", "farsi-prossimo", [2, 2, 2]),
    ("autonomy", "MB", "lule-associazione", [2, 2]),
    ("autonomy", "SO", "lotta-emarginazione", [1, 1]),
    ("emergency_places", "MI", "somaschi", [5]),
    ("dormitory_men", "VA", "comunita-progetto", [2]),
]
STRUCTURE_NAMES = {
    "emergency_women": "Pronto intervento donne",
    "women": "Comunità donne",
    "men": "Comunità uomini",
    "autonomy": "Alloggio autonomia",
    "emergency_places": "Posti in emergenza per donne",
    "dormitory_men": "Posti per uomini – dormitorio",
}
GENDER_OF_TYPE = {
    "emergency_women": "women",
    "women": "women",
    "men": "men",
    "autonomy": "any",
    "emergency_places": "women",
    "dormitory_men": "men",
}

# username: (organisation, role, programmes, first name); CURRENT is the edition running today.
DEMO_USERS = {
    "coordinatrice": ("comune-milano", "coordinator", ["DA-2017", "DA-2019", "DA-2023", "LAB-2024", CURRENT], "Giada"),
    # A second coordinator: funder reports are approved by someone other than who prepared them.
    "referente": ("comune-milano", "coordinator", ["DA-2017", "DA-2019", "DA-2023", "LAB-2024", CURRENT], "Franco"),
    "filtro": ("comune-milano", "filtro", ["DA-2017", "DA-2019", "DA-2023", CURRENT], "Marta"),
    "strada": ("lotta-emarginazione", "outreach", ["DA-2017", "DA-2023", CURRENT], "Luca"),
    "accoglienza": ("somaschi", "shelter", ["DA-2017", "DA-2023", CURRENT], "Irene"),
    # The emergency shelter's on-call educator: she takes the helpline's calls at night in turn with Irene.
    "reperibile": ("somaschi", "shelter", [CURRENT], "Nadia"),
    "operatrice": ("farsi-prossimo", "case_worker", ["DA-2017", "DA-2023", CURRENT], "Sara"),
    "legale": ("ceas", "legal", ["DA-2017", "DA-2023", CURRENT], "Paolo"),
    "amministratore": ("comune-milano", "admin", ["DA-2023", CURRENT], "Andrea"),
    "dpo": ("comune-milano", "dpo", ["DA-2017", "DA-2023", CURRENT], "Elena"),
}


@transaction.atomic
def load_demo() -> dict[str, int]:
    """Loads the demo network. Returns how many records each step created (0 on a second run)."""
    created = {"areas": 0, "organisations": 0, "programmes": 0, "structures": 0, "users": 0}
    areas = {}
    for code, name in AREAS:
        areas[code], new = Area.objects.get_or_create(code=code, defaults={"name": name})
        created["areas"] += new
    organisations = {}
    for kind, rows in (
        ("lead", [LEAD]),
        ("partner", PARTNERS),
        ("network_body", NETWORK_BODIES),
        ("enforcement", ENFORCEMENT_BODIES),
    ):
        for code, name in rows:
            organisations[code], new = Organisation.objects.get_or_create(
                code=code, defaults={"name": name, "type": kind}
            )
            created["organisations"] += new
    programmes = {}
    current = current_edition_spec()
    for spec in [*PROGRAMMES, current]:
        programme, new = Programme.objects.get_or_create(
            code=spec["code"],
            defaults={k: spec[k] for k in ("name", "start", "end", "funder", "budget", "co_funding")}
            | {"lead_organisation": organisations[LEAD[0]]},
        )
        programmes[spec["code"]] = programme
        created["programmes"] += new
        if new:
            programme.partners.set(
                [organisations[LEAD[0]], *(organisations[code] for code, _ in PARTNERS)],
                through_defaults={"joined": programme.start},
            )
            programme.areas.set(areas.values())
            for indicator, value, description in spec["targets"]:
                Target.objects.create(programme=programme, indicator=indicator, value=value, description=description)
    programmes[CURRENT] = programmes[current["code"]]
    created["structures"] = _load_structures(organisations, areas, programmes)
    created["users"] = _load_users(organisations, programmes)
    created["public desks"] = _load_desks(organisations)
    created["public texts"] = add_missing_texts(PublicText)
    created["DA-2017 activity"] = int(activity.load(programmes["DA-2017"], User.objects.get(username="filtro")))
    created["DA-2023 services and budgets"] = service_types.load(programmes["DA-2023"])
    created[f"{current['code']} services and budgets"] = service_types.load(programmes[CURRENT])
    created[f"{current['code']} cases"] = int(cases.load(programmes[CURRENT]))
    with scopes_disabled():  # demo loading acts for the whole network
        created[f"{current['code']} on-call shifts"] = roster.load(programmes[CURRENT])
        created[f"{current['code']} directory"] = directory.load(programmes[CURRENT])
        created[f"{current['code']} assisted return"] = int(cases.load_return(programmes[CURRENT]))
        created[f"{current['code']} city desks"] = labour.load_directory(programmes[CURRENT], labour=False)
        created["LAB-2024 labour desk"] = labour.load(programmes["LAB-2024"])
        created[f"{current['code']} governance tables"] = governance.load(programmes[CURRENT])
        created[f"{current['code']} training events"] = training.load(programmes[CURRENT])
    return created


# The desks the public site lists (/help/): public offices open to anyone, never a shelter. Addresses invented.
DESKS = [
    ("comune-milano", "Sportello antitratta – Comune di Milano", "Via delle Rose 12, 20121 Milano", "01234", (9, 13)),
    ("farsi-prossimo", "Sportello lavoro e sfruttamento", "Piazza della Stazione 3, 20124 Milano", "13", (14, 18)),
]


def _load_desks(organisations) -> int:
    count = 0
    for code, name, address, weekdays, (opens, closes) in DESKS:
        _desk, new = Desk.objects.get_or_create(
            name=name,
            defaults={
                "organisation": organisations[code],
                "address": address,
                "weekdays": weekdays,
                "opens": time(opens),
                "closes": time(closes),
            },
        )
        count += new
    return count


def _load_structures(organisations, areas, programmes) -> int:
    count = 0
    number = 0
    with scopes_disabled():  # demo loading acts for the whole network
        for kind, area, organisation, beds_list in STRUCTURE_PLAN:
            for beds in beds_list:
                number += 1
                code = f"S{number:02d}"
                structure, new = Structure.objects.get_or_create(
                    code=code,
                    defaults={
                        "name": f"{STRUCTURE_NAMES[kind]} {area} {number}",
                        "organisation": organisations[organisation],
                        "type": kind,
                        "gender": GENDER_OF_TYPE[kind],
                        "area": areas[area],
                        "beds": beds,
                        "address": f"Indirizzo di prova {number}, {areas[area].name}",
                        "phone": f"000 000 {number:04d}",
                    },
                )
                if new:
                    structure.programmes.set([programmes["DA-2017"], programmes["DA-2019"], programmes["DA-2023"]])
                    sync_beds(structure)
                # The running edition goes on using the network's structures (a second load adds nothing).
                structure.programmes.add(programmes[CURRENT])
                count += new
    return count


def _load_users(organisations, programmes) -> int:
    count = 0
    for username, (organisation, role, programme_codes, first_name) in DEMO_USERS.items():
        user, new = User.objects.get_or_create(
            username=username, defaults={"first_name": first_name, "email": f"{username}@approdi.invalid"}
        )
        if new:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            TOTPDevice.objects.create(user=user, name="demo authenticator", key=DEMO_TOTP_HEX, confirmed=True)
        count += new
        for code in programme_codes:
            Membership.objects.get_or_create(
                user=user, organisation=organisations[organisation], programme=programmes[code], role=role
            )
    return count
