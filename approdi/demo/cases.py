"""Demo case paths in the edition running today, written through the services as the demo users would write them.

Invented people (codes only). Dates are relative to the day the demo is loaded, so "My work" always
has something for today: an appointment, an overdue action, a permit about to expire, a hearing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.models import User
from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.cases.models import AssistedReturn, BreakGlass, Case
from approdi.cases.services import assisted_return, delivery, integration, legal, plan
from approdi.cases.services import case as case_services
from approdi.cases.services import document as documents
from approdi.directory.models import Body
from approdi.intake.services import decide, record_case_conference, record_consent
from approdi.network.models import Programme
from approdi.people.flags import raise_flag
from approdi.people.models import ConsentPurpose, Person
from approdi.people.person_code import code_from_identifier


def _as(username: str, programme: Programme) -> User:
    user = User.objects.get(username=username)
    user.active_membership = user.memberships.select_related("organisation", "programme").get(programme=programme)
    return user


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.get_current_timezone())


def _example_pdf(title: str) -> bytes:
    """A one-page PDF saying ``title``: what a scanned document stands for in the demo."""
    stream = f"BT /F1 14 Tf 72 720 Td ({title}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    return body + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


def _open_case(programme, filtro, manager, number: int, *, gender: str, nationality: str, kind: str, began: date):
    person = Person.objects.create(
        programme=programme,
        organisation=filtro.active_membership.organisation,
        created_by=filtro,
        code=code_from_identifier(f"demo-2023-case-{number}"),
        gender=gender,
        nationality=nationality,
    )
    for purpose in (ConsentPurpose.SERVICES, ConsentPurpose.NETWORK_SHARING, ConsentPurpose.STATISTICS):
        record_consent(actor=filtro, person=person, purpose=purpose, granted=True, day=began)
    stage = "emergency" if kind == "residential" else ""
    decide(
        actor=filtro, person=person, kind=kind, stage=stage, reason="Percorso deciso dall'équipe dell'Ufficio Filtro"
    )
    case = Case.objects.get(person=person)
    # The demo tells a story that began months ago: move the dates the decision wrote today.
    Case.objects.filter(pk=case.pk).update(start=began)
    person.programme_records.update(date=began)
    case.refresh_from_db()
    case_services.assign_case(actor=filtro, case=case, case_manager=manager)
    return case


def _place(filtro, case, educator, day: date) -> None:
    from approdi.shelter.models import PlacementRequest, Structure
    from approdi.shelter.services import place

    structure = Structure.objects.filter(
        programmes=case.programme, organisation=educator.active_membership.organisation, type="emergency_women"
    ).first()
    assert structure is not None  # the demo data gives the educator's organisation one
    request = PlacementRequest.objects.filter(person=case.person).first()
    place(actor=filtro, person=case.person, structure=structure, stage="emergency", start=day, request=request)


def load(programme: Programme) -> bool:
    """Loads the demo cases once; returns False when the programme has cases already."""
    from .service_types import ensure_service_types

    with scopes_disabled():
        if Case.objects.filter(programme=programme).exists():
            return False
        today = timezone.localdate()
        filtro, sara = _as("filtro", programme), _as("operatrice", programme)
        paolo, irene = _as("legale", programme), _as("accoglienza", programme)
        types = ensure_service_types(programme)

        def serve(actor, case, code: str, day: date, units: str = "1", minutes: int | None = 60):
            delivery.record_service(
                actor=actor,
                case=case,
                service_type=types[code],
                day=day,
                quantity=Decimal(units),
                duration_minutes=minutes,
            )

        # 1. A path completed: Italian course, internship, art. 18 permit converted for work, autonomy.
        began = today - timedelta(days=420)
        case = _open_case(programme, filtro, sara, 1, gender="woman", nationality="NG", kind="territorial", began=began)
        case_services.add_team_member(actor=sara, case=case, user=paolo, role="legal")
        language = plan.add_goal(actor=sara, case=case, domain="language", description="Italiano livello A2")
        work = plan.add_goal(actor=sara, case=case, domain="work", description="Contratto di lavoro stabile")
        plan.add_action(
            actor=sara, goal=language, description="Iscrizione al CPIA", owner=sara, due=began + timedelta(20)
        )
        serve(sara, case, "interview", began + timedelta(days=2))
        serve(sara, case, "mediation", began + timedelta(days=2), units="2", minutes=120)
        integration.record_activity(
            actor=sara, case=case, kind="italian_course", provider="CPIA 5 Milano", level="A2",
            start=began + timedelta(days=30), end=began + timedelta(days=210), hours=200, attendance_percent=87,
            certificate="Attestato A2", completed=True,
        )  # fmt: skip
        for week in range(8):
            serve(sara, case, "italian_lesson", began + timedelta(days=35 + 7 * week), units="2", minutes=120)
        integration.record_activity(
            actor=sara, case=case, kind="internship", provider="Trattoria di prova", sector="ristorazione",
            start=began + timedelta(days=220), end=began + timedelta(days=340), hours_per_week=25,
            monthly_allowance=Decimal("500.00"), paid_by="Regione Lombardia (Dote Unica Lavoro)", completed=True,
        )  # fmt: skip
        serve(sara, case, "job_search", began + timedelta(days=215))
        permit = legal.apply_for_permit(
            actor=paolo, case=case, type="art18_social", application_date=began + timedelta(days=10),
            questura="Questura di Milano",
        )  # fmt: skip
        legal.issue_permit(
            actor=paolo, permit=permit, issue_date=began + timedelta(days=70), expiry=began + timedelta(days=250)
        )
        serve(paolo, case, "legal_consultation", began + timedelta(days=9))
        work_permit = legal.apply_for_permit(
            actor=paolo, case=case, type="work", application_date=began + timedelta(days=240),
            questura="Questura di Milano", previous=permit,
        )  # fmt: skip
        legal.issue_permit(
            actor=paolo, permit=work_permit, issue_date=began + timedelta(days=300), expiry=began + timedelta(days=1030)
        )
        integration.record_activity(
            actor=sara, case=case, kind="employment", provider="Trattoria di prova", sector="ristorazione",
            contract="fixed_term", start=began + timedelta(days=345),
        )  # fmt: skip
        plan.review_plan(
            actor=sara, case=case, day=began + timedelta(days=350), summary="Obiettivi raggiunti, autonomia abitativa",
            progress={language.pk: ("achieved", "A2 certificato"), work.pk: ("achieved", "Assunta")},
        )  # fmt: skip
        case_services.close_case(actor=sara, case=case, day=began + timedelta(days=360), outcome="autonomy")

        # 2. A woman in a shelter: the permit expires in 12 days, a hearing in 20, an appointment today.
        began = today - timedelta(days=150)
        case = _open_case(programme, filtro, sara, 2, gender="woman", nationality="RO", kind="residential", began=began)
        case_services.add_team_member(actor=sara, case=case, user=paolo, role="legal")
        case_services.add_team_member(actor=sara, case=case, user=irene, role="educator")
        _place(filtro, case, irene, began)
        health = plan.add_goal(actor=sara, case=case, domain="health", description="Presa in carico dal consultorio")
        plan.add_action(
            actor=sara, goal=health, description="Prenotare la visita", owner=sara, due=today - timedelta(days=3)
        )
        plan.add_goal(actor=sara, case=case, domain="language", description="Alfabetizzazione")
        plan.add_appointment(
            actor=sara, case=case, starts_at=_at(today, 15), title="Accompagnamento alla visita medica",
            place="Consultorio di zona", operator=sara,
        )  # fmt: skip
        serve(sara, case, "medical_accompaniment", today - timedelta(days=10), units="1", minutes=180)
        permit = legal.apply_for_permit(
            actor=paolo, case=case, type="art18_judicial", application_date=began + timedelta(days=5),
            questura="Questura di Varese",
        )  # fmt: skip
        legal.issue_permit(
            actor=paolo, permit=permit, issue_date=began + timedelta(days=40), expiry=today + timedelta(days=12)
        )
        proceeding = legal.open_matter(
            actor=paolo, case=case, kind="criminal_proceeding", day=began + timedelta(days=3),
            authority="Procura della Repubblica di Varese", reference="RGNR 0000/2026 (esempio)",
        )  # fmt: skip
        legal.schedule_hearing(
            actor=paolo, matter=proceeding, starts_at=_at(today + timedelta(days=20), 9), place="Tribunale di Varese"
        )
        case_services.write_note(
            actor=paolo, case=case, day=today - timedelta(days=5), text="Preparazione all'udienza: esame testimoniale.",
            domain="legal", confidentiality="role",
        )  # fmt: skip
        case_services.write_note(
            actor=sara, case=case, day=today - timedelta(days=4), text="Buon inserimento in struttura.",
            domain="general", confidentiality="team",
        )  # fmt: skip
        # Her exploiters look for her: every page that shows her says so, until two people lift it.
        raise_flag(actor=sara, person=case.person, kind="exploiters_searching", detail="Cercata alla stazione")
        record_case_conference(
            actor=sara, case=case, day=today - timedelta(days=2), organisations=[case.lead_organisation],
            participants=[paolo, irene], other_participants="Servizio sociale del Comune",
            decisions="Tenere riservato il luogo di accoglienza; preparare l'udienza con la mediatrice.",
            actions=[("Incontro con la mediatrice per l'udienza", paolo, today + timedelta(days=5))],
        )  # fmt: skip
        documents.keep_document(
            actor=paolo, person=case.person, case=case, kind="permit_copy", day=began + timedelta(days=40),
            expiry=today + timedelta(days=12), domain="general", confidentiality="team",
            filename="permesso-esempio.pdf", content=_example_pdf("Permesso di soggiorno art. 18 (esempio)"),
        )  # fmt: skip
        documents.keep_document(
            actor=paolo, person=case.person, case=case, kind="court_papers", day=began + timedelta(days=3),
            domain="legal", confidentiality="role", filename="atti-esempio.pdf",
            content=_example_pdf("Avviso di fissazione udienza (esempio)"),
        )  # fmt: skip

        # 3. An asylum application: the Commissione Territoriale hears her in 6 days.
        began = today - timedelta(days=60)
        case = _open_case(programme, filtro, sara, 3, gender="woman", nationality="CI", kind="territorial", began=began)
        case_services.add_team_member(actor=sara, case=case, user=paolo, role="legal")
        asylum = legal.open_matter(
            actor=paolo, case=case, kind="asylum", day=began + timedelta(days=7),
            authority="Commissione Territoriale di Milano",
        )  # fmt: skip
        legal.schedule_hearing(
            actor=paolo, matter=asylum, starts_at=_at(today + timedelta(days=6), 10),
            place="Commissione Territoriale di Milano", note="Audizione con mediatrice",
        )  # fmt: skip
        serve(paolo, case, "legal_consultation", began + timedelta(days=6))
        serve(sara, case, "psychological_session", began + timedelta(days=20))
        serve(sara, case, "ethnopsychiatric_session", began + timedelta(days=34))

        # 4. Last night the on-call educator, off the team, opened case 3 in an emergency (break-glass): the DPO
        # reviews it at /cases/emergency/accesses/ and `send_break_glass_notices` tells her and Sara.
        if User.objects.filter(username="reperibile", memberships__programme=programme).exists():
            nadia = _as("reperibile", programme)
            night = _at(today - timedelta(days=1), 23)
            reason = "Chiamata notturna: la persona chiede di essere accolta subito, serve sapere chi la segue."
            BreakGlass.objects.create(
                case=case,
                user=nadia,
                role="shelter",
                reason=reason,
                started_at=night,
                ends_at=night + timedelta(hours=4),
            )
            record(actor=nadia, action=Action.BREAK_GLASS, obj=case, fields=["person"], reason=reason)
    return True


def load_return(programme: Programme) -> bool:
    """5. An assisted voluntary return under way (after the directory, which holds IOM): IOM accepted, her travel
    documents are ready and she leaves in ten days, so the case page shows every step and My work the departure."""
    with scopes_disabled():
        iom = Body.objects.filter(programme=programme, type="iom").order_by("pk").first()
        if iom is None or AssistedReturn.objects.filter(case__programme=programme).exists():
            return False
        today = timezone.localdate()
        filtro, sara = _as("filtro", programme), _as("operatrice", programme)
        began = today - timedelta(days=150)
        case = _open_case(programme, filtro, sara, 5, gender="woman", nationality="GH", kind="territorial", began=began)
        item = assisted_return.request_return(
            actor=sara,
            case=case,
            body=iom,
            requested_on=today - timedelta(days=40),
            notes="Passaporto scaduto: serve il lasciapassare del consolato.",
        )
        item = assisted_return.answer_return(
            actor=sara, item=item, accepted=True, day=today - timedelta(days=20), reference="OIM-MI-DEMO-0001"
        )
        assisted_return.record_documents(
            actor=sara, item=item, day=today - timedelta(days=5), departure_planned=today + timedelta(days=10)
        )
    return True
