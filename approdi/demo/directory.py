"""The demo's directory of the network and its two protocols (seeds 001 and 004), written through the services.

Public bodies keep their generic names; the offices' referents, phone numbers and addresses are invented. The
protocol with the Commissione Territoriale falls due within the next weeks of the day of loading, so that the
coordinators' home page shows a renewal to prepare.
"""

from __future__ import annotations

from datetime import date, timedelta

from fpdf import FPDF

from approdi.accounts.models import User
from approdi.directory import services
from approdi.directory.models import Body
from approdi.network import dates
from approdi.network.models import Area, Organisation, Programme

# name, type, organisation code (or ""), areas, services, hours, how to refer, phone, e-mail
BODIES = [
    ("Comune di Milano – Ufficio Filtro Derive e Approdi", "network", "comune-milano", ["MI", "CO", "MB", "SO", "VA"],
     "Valutazione delle segnalazioni, inserimenti in accoglienza, coordinamento dei percorsi.",
     "Lunedì–venerdì 9:00–17:00; reperibilità notturna tramite Numero Verde",
     "Segnalazione con la scheda di invio dell'area emersione o per e-mail alla casella dell'Ufficio Filtro.",
     "02 0000 1000", "ufficiofiltro@approdi.invalid"),
    ("Prefettura di Milano – Area IV Immigrazione", "prefettura", "prefettura-mi", ["MI"],
     "Coordinamento del Consiglio territoriale per l'immigrazione; rapporti con i CAS.",
     "Lunedì–venerdì 9:00–13:00", "Richiesta scritta del coordinamento di progetto.",
     "02 0000 1001", "area4.immigrazione@approdi.invalid"),
    ("Questura di Milano – Ufficio Immigrazione", "questura", "questura-mi", ["MI"],
     "Rilascio e rinnovo dei permessi di soggiorno art. 18 e art. 22 c. 12-quater.",
     "Lunedì–venerdì 8:30–12:30, su appuntamento",
     "Richiesta di appuntamento dal legale del percorso, con la relazione dell'ente antitratta.",
     "02 0000 1002", "immigrazione.art18@approdi.invalid"),
    ("Carabinieri – Nucleo Ispettorato del Lavoro di Milano", "carabinieri", "", ["MI", "MB"],
     "Controlli nei luoghi di lavoro; contrasto al caporalato.", "Lunedì–venerdì 8:00–14:00",
     "Contatto del referente tramite il coordinamento dello sportello lavoro.", "02 0000 1003", ""),
    ("Guardia di Finanza – Gruppo tutela lavoro", "guardia_di_finanza", "", ["MI"],
     "Indagini su lavoro sommerso e sfruttamento lavorativo.", "Lunedì–venerdì 8:00–14:00",
     "Tramite il coordinamento di progetto.", "02 0000 1004", ""),
    ("Procura della Repubblica presso il Tribunale di Milano – Pool tratta", "prosecutor", "", ["MI"],
     "Procedimenti per tratta e sfruttamento (art. 600, 601, 603-bis c.p.).", "",
     "Tramite il legale del percorso o le forze dell'ordine.", "02 0000 1005", ""),
    ("Commissione Territoriale per il riconoscimento della protezione internazionale di Milano", "commissione",
     "commissione-mi", ["MI", "CO", "MB", "SO", "VA"],
     "Audizioni dei richiedenti asilo; invio all'ente antitratta dei possibili casi (art. 10 D.Lgs 24/2014).",
     "Lunedì–venerdì 9:00–16:00", "Secondo il protocollo art. 10: scheda di invio alla casella dell'Ufficio Filtro.",
     "02 0000 1006", "commissione.milano@approdi.invalid"),
    ("ATS Città Metropolitana di Milano – Servizio MTS", "ats", "ats-milano", ["MI"],
     "Screening e cura delle malattie sessualmente trasmissibili, anche senza documenti.",
     "Lunedì–venerdì 8:30–15:30, accesso libero", "Accesso diretto; accompagnamento dell'unità di strada.",
     "02 0000 1007", "mts@approdi.invalid"),
    ("ASST Grande Ospedale Metropolitano Niguarda – Etnopsichiatria", "hospital", "niguarda-etnopsichiatria",
     ["MI"], "Sostegno psicologico ed etnopsichiatrico con mediazione linguistica.", "Su appuntamento",
     "Invio dell'operatrice del percorso con relazione.", "02 0000 1008", "etnopsichiatria@approdi.invalid"),
    ("CPIA 5 Milano", "cpia", "cpia-5", ["MI"], "Corsi di italiano L2 e licenza media.",
     "Segreteria: lunedì–giovedì 14:00–17:00", "Iscrizione in segreteria con un documento (anche in attesa).",
     "02 0000 1009", "segreteria.cpia5@approdi.invalid"),
    ("OIM – Organizzazione Internazionale per le Migrazioni", "iom", "oim", ["MI", "CO", "MB", "SO", "VA"],
     "Rimpatri volontari assistiti; ricerca delle famiglie.", "Lunedì–venerdì 9:00–17:00",
     "Richiesta dell'operatrice con il consenso della persona.", "06 0000 1010", "italia.avr@approdi.invalid"),
    ("Sindacato – Sportello lavoratori migranti", "union", "", ["MI", "MB"],
     "Vertenze di lavoro, buste paga, contratti; tutela contro lo sfruttamento.", "Martedì e giovedì 15:00–19:00",
     "Accompagnamento allo sportello o appuntamento telefonico.", "02 0000 1011", "migranti@approdi.invalid"),
    ("Città Metropolitana di Milano – Settore politiche del lavoro e welfare", "region", "citta-metropolitana-mi",
     ["MI"], "Sensibilizzazione, formazione e capacity building delle reti territoriali.", "Lunedì–venerdì 9:00–16:00",
     "Tramite il coordinamento di progetto.", "02 0000 1012", "welfare.metropolitano@approdi.invalid"),
]  # fmt: skip

# body, name, role, phone, e-mail, role in the network, area
REFERENTS = [
    (0, "Casella Ufficio Filtro", "Segnalazioni e inserimenti", "02 0000 1000", "ufficiofiltro@approdi.invalid",
     "filtro", None),
    (0, "Chiara Bellini", "Referente area Milano", "02 0000 2001", "referente.mi@approdi.invalid", "area_referent",
     "MI"),
    (0, "Davide Sormani", "Referente area Como e Varese", "031 000 2002", "referente.co@approdi.invalid",
     "area_referent", "CO"),
    (0, "Davide Sormani", "Referente area Como e Varese", "031 000 2002", "referente.co@approdi.invalid",
     "area_referent", "VA"),
    (0, "Ilaria Fumagalli", "Referente area Monza e Brianza, Sondrio", "039 000 2003", "referente.mb@approdi.invalid",
     "area_referent", "MB"),
    (2, "Ufficio art. 18", "Sportello permessi per protezione sociale", "02 0000 2010", "", "", None),
    (6, "Dott.ssa Referente Tratta", "Funzionaria istruttrice, referente art. 10", "02 0000 2011",
     "referente.tratta@approdi.invalid", "", None),
    (9, "Segreteria didattica", "Iscrizioni", "02 0000 2012", "", "", None),
]  # fmt: skip


def _pdf(title: str, lines: list[str]) -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=14)
    document.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    document.set_font("Helvetica", size=11)
    for line in lines:
        document.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


def load(programme: Programme) -> int:
    """Writes the directory and its two protocols once, as the lead entity's coordinator; returns the bodies written."""
    if Body.objects.filter(programme=programme).exists():
        return 0
    coordinator = User.objects.get(username="coordinatrice")
    coordinator.active_membership = coordinator.memberships.select_related("organisation", "programme").get(
        programme=programme
    )
    areas = {a.code: a for a in Area.objects.all()}
    organisations = {o.code: o for o in Organisation.objects.all()}
    bodies = []
    for name, type_, organisation, area_codes, offered, hours, how, phone, email in BODIES:
        bodies.append(
            services.save_body(
                actor=coordinator,
                name=name,
                type=type_,
                organisation=organisations.get(organisation),
                areas=[areas[c] for c in area_codes if c in areas],
                services=offered,
                hours=hours,
                how_to_refer=how,
                phone=phone,
                email=email,
            )
        )
    for index, name, role, phone, email, network_role, area in REFERENTS:
        services.add_referent(
            actor=coordinator,
            body=bodies[index],
            name=name,
            role=role,
            phone=phone,
            email=email,
            network_role=network_role,
            area=areas.get(area) if area else None,
        )
    today = dates.today()
    art10 = services.save_protocol(
        actor=coordinator,
        kind="protocol",
        title="Protocollo d'intesa art. 10 D.Lgs 24/2014 con la Commissione Territoriale di Milano",
        subject=(
            "Individuazione delle possibili vittime di tratta tra i richiedenti protezione internazionale: la "
            "Commissione sospende l'audizione e invia la persona all'Ufficio Filtro, che ne valuta la presa in carico "
            "e riferisce l'esito."
        ),
        parties=[bodies[0], bodies[6]],
        signed_on=date(2022, 3, 15),
        valid_until=today + timedelta(days=45),
        document=_pdf("Protocollo d'intesa art. 10 D.Lgs 24/2014", ["Testo di prova per la demo."]),
        document_name="protocollo-art10-commissione-milano.pdf",
    )
    agreement = services.save_protocol(
        actor=coordinator,
        kind="agreement",
        title="Accordo di collaborazione tra il Comune di Milano e Città Metropolitana (Derive e Approdi 2023)",
        subject=(
            "Collaborazione alla realizzazione di attività di sensibilizzazione, formazione e capacity building delle "
            "reti territoriali coinvolte nel progetto; quota di budget della Città Metropolitana 39.166,67 euro, "
            "senza co-finanziamento se non con la valorizzazione di risorse umane e strumentali."
        ),
        parties=[bodies[0], bodies[12]],
        signed_on=date(2024, 5, 20),
        valid_until=programme.end,
        document=_pdf("Accordo di collaborazione Derive e Approdi 2023", ["Testo di prova per la demo."]),
        document_name="accordo-citta-metropolitana.pdf",
    )
    follower = User.objects.get(username="referente")
    services.add_obligation(
        actor=coordinator,
        protocol=art10,
        description="Rispondere a ogni invio della Commissione entro 15 giorni con l'esito del colloquio",
        followed_by=User.objects.get(username="filtro"),
    )
    services.add_obligation(
        actor=coordinator,
        protocol=art10,
        description="Relazione annuale congiunta sui casi inviati",
        followed_by=follower,
    )
    services.add_obligation(
        actor=coordinator,
        protocol=agreement,
        description="Calendario condiviso delle attività di sensibilizzazione e formazione nei territori",
        followed_by=follower,
    )
    return len(bodies)
