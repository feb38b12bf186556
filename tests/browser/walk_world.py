"""What the page walk plants in the demo, through the services, so that every page a role reaches has a record to show.

The demo's running edition holds three case paths and no day's work: no outing, no referral waiting, nobody on
the waiting list, no transfer, no funder report, no export. Each function below writes one role's day as that role
would (``acting_in``), dated today, so the pages that show one record (an outing, a contact, a referral, a
screening, a place to offer, a transfer, a permit to issue or renew, an activity, a report, an export, a co-funding
line) are linked from the pages the walk opens first.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

from approdi.accounts.models import User
from approdi.accounts.scoping import membership_scope
from approdi.network.models import Area, Programme
from tests.builders.indicators import indicator_lists


@contextmanager
def acting_in(user: User, programme: Programme):
    user.active_membership = user.memberships.select_related("organisation", "programme").get(programme=programme)
    with membership_scope(user.active_membership):
        yield user


def _user(username: str) -> User:
    return User.objects.get(username=username)


def outreach_night(programme: Programme, today: date):
    """Tonight's outing with a contact, and the referral the street operator made of her: (contact, referral)."""
    from approdi.outreach.services import create_outing, record_contact, record_referral
    from approdi.people.person_code import code_from_identifier

    strada = _user("strada")
    with acting_in(strada, programme):
        area = Area.objects.get(code="MI")
        outing = create_outing(
            actor=strada, team="Unità Nord", date=today, shift="night", area=area, sites=[("Viale Fulvio Testi", 4)]
        )
        code = code_from_identifier("walk-street-contact")
        contact = record_contact(
            actor=strada,
            channel="street",
            outing=outing,
            headcount=1,
            person_code=code,
            gender="woman",
            nationality="NG",
            exploitation="sexual",
            age_band="21-23",
        )
        referral = record_referral(
            actor=strada,
            date=today,
            source_type="outreach",
            person_code=code,
            gender="woman",
            exploitation="sexual",
            urgency="priority",
            consent_to_share=True,
        )
    return contact, referral


def filtro_day(programme: Programme, today: date, referral) -> None:
    """The Filtro registers the referred woman, screens her and decides a shelter: she waits for a place."""
    from approdi.intake.models import Decision
    from approdi.intake.services import decide, record_consent, register_person, screen
    from approdi.people.models import ConsentPurpose, Person

    filtro = _user("filtro")
    with acting_in(filtro, programme):
        person = register_person(actor=filtro, referral=referral, gender="woman", nationality="NG")
        record_consent(actor=filtro, person=person, purpose=ConsentPurpose.SERVICES, granted=True, day=today)
        decide(
            actor=filtro,
            person=person,
            kind=Decision.Kind.RESIDENTIAL,
            stage="emergency",
            reason="Pronta accoglienza",
            referral=referral,
        )
        # Whichever person's record the walk opens has a screening to link.
        indicator_lists()
        for someone in Person.objects.filter(programme=programme):
            screen(
                actor=filtro,
                person=someone,
                list_code="adult_sexual",
                refs=["AS-DR-01"],
                conclusion="unclear",
                notes="Colloquio con mediatrice",
            )


def case_work(programme: Programme, today: date) -> None:
    """On every open case of the case worker: a course under way, a permit applied for and one issued (renewable);
    one case proposed to a colleague of another organisation (the legal advisor answers it on My work)."""
    from approdi.cases.models import Case
    from approdi.cases.services import case as case_services
    from approdi.cases.services import integration, legal

    worker, advisor = _user("operatrice"), _user("legale")
    with acting_in(worker, programme):
        cases = list(Case.objects.filter(case_manager=worker, programme=programme).exclude(status="closed"))
        for case in cases:
            integration.record_activity(
                actor=worker,
                case=case,
                kind="italian_course",
                provider="CPIA 5 Milano",
                level="A1",
                start=today - timedelta(days=20),
            )
            legal.apply_for_permit(
                actor=worker,
                case=case,
                type="international_protection",
                application_date=today - timedelta(days=5),
                questura="Milano",
            )
            issued = legal.apply_for_permit(
                actor=worker,
                case=case,
                type="art18_social",
                application_date=today - timedelta(days=60),
                questura="Milano",
            )
            legal.issue_permit(
                actor=worker, permit=issued, issue_date=today - timedelta(days=30), expiry=today + timedelta(days=10)
            )
        case_services.request_transfer(
            actor=worker, case=cases[-1], to_user=advisor, reason="Segue già la parte legale"
        )


def coordination(programme: Programme, today: date) -> None:
    """A co-funding line, a funder report waiting for the second coordinator's approval, an export done."""
    from approdi.network import editions
    from approdi.reports.funder import approval
    from approdi.reports.jobs import services as jobs

    coordinator = _user("coordinatrice")
    with acting_in(coordinator, programme):
        editions.add_co_funding(
            actor=coordinator,
            programme=programme,
            contributor="Regione Lombardia",
            kind="money",
            amount=Decimal("25000.00"),
        )
        start, end = programme.start, min(programme.end, today - timedelta(days=1))
        approval.prepare(actor=coordinator, start=start, end=end)
        jobs.request_export(actor=coordinator, kind="summary", fmt="csv", start=start, end=end)
