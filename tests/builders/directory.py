"""A directory for the test network: a Questura, a Commissione Territoriale with referents, and a protocol."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django_scopes import scopes_disabled

from approdi.directory.models import Body, Obligation, Protocol, ProtocolDocument, Referent
from approdi.network.models import Programme

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class Directory:
    questura: Body
    commissione: Body
    referent: Referent
    protocol: Protocol
    obligation: Obligation


def build_directory(programme: Programme, *, follower, area=None, valid_until: date | None = None) -> Directory:
    with scopes_disabled():
        questura = Body.objects.create(
            programme=programme,
            name="Questura di Prova · Ufficio Immigrazione",
            type="questura",
            phone="02 6226 1",
            email="immigrazione.prova@example.invalid",
            hours="Lunedì–Venerdì 9:00–12:00",
            services="Permessi di soggiorno art. 18",
            how_to_refer="Appuntamento per e-mail",
        )
        commissione = Body.objects.create(
            programme=programme, name="Commissione Territoriale di Prova", type="commissione", phone="02 1111 2222"
        )
        if area is not None:
            questura.areas.set([area])
        referent = Referent.objects.create(
            body=commissione,
            name="Dott.ssa Referente Prova",
            role="Funzionaria istruttrice",
            phone="02 1111 2223",
            email="referente.prova@example.invalid",
        )
        protocol = Protocol.objects.create(
            programme=programme,
            kind="protocol",
            title="Protocollo art. 10 D.Lgs 24/2014",
            subject="Emersione delle vittime tra i richiedenti asilo",
            signed_on=date(2023, 5, 1),
            valid_until=valid_until,
        )
        protocol.parties.set([commissione])
        ProtocolDocument.objects.create(
            protocol=protocol, filename="protocollo.pdf", content=PDF, size=len(PDF), uploaded_by=follower
        )
        obligation = Obligation.objects.create(
            protocol=protocol, description="Segnalare i casi entro due settimane", followed_by=follower
        )
    return Directory(questura, commissione, referent, protocol, obligation)
