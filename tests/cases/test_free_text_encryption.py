"""Free text that describes a person's life is stored only as ciphertext, and the pages still show it.

Each value is written through the services, as a page or the API would, then read back twice: raw from the
database (it must not contain the words) and on the page that shows it (it must)."""

from datetime import date, datetime, time
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.cases.models import Case, Permit
from approdi.cases.services import case as case_services
from approdi.cases.services import integration as integration_services
from approdi.cases.services import legal as legal_services
from approdi.cases.services import plan as plan_services
from approdi.core.crypto import encrypt_column_values
from tests.builders import acting
from tests.builders.cases import apply_for_permit, consent_to_sharing
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db

# (table, column, words written, page that shows them)
FIELDS = [
    ("cases_goal", "description", "Trovare una casa vicino a Lecco", "case"),
    ("cases_planaction", "description", "Telefonare alla zia a Benin City", "case"),
    ("cases_review", "summary", "Ha ripreso a dormire la notte", "history"),
    ("cases_goalprogress", "note", "Visita la casa di via Manzoni", "history"),
    ("cases_appointment", "title", "Visita ginecologica", "case"),
    ("cases_appointment", "place", "Consultorio di via Padova", "case"),
    ("cases_activity", "provider", "Trattoria da Gino", "case"),
    ("cases_activity", "sector", "Ristorazione notturna", "case"),
    ("cases_activity", "paid_by", "Fondazione Cariplo borse", "case"),
    ("cases_permit", "questura", "Questura di Bergamo", "case"),
    ("cases_legalmatter", "authority", "Procura di Brescia", "case"),
    ("cases_legalmatter", "outcome", "Rinvio a giudizio degli sfruttatori", "case"),
    ("cases_hearing", "place", "Aula 4 del Tribunale di Brescia", "case"),
    ("cases_hearing", "note", "Testimonia contro la madame", "case"),
    ("cases_transfer", "reason", "Il trafficante la cerca a Milano", "case"),
    ("cases_transfer", "answer", "Nessun posto libero a Torino", "case"),
    ("intake_decision", "reason", "Percorso territoriale", "person"),
]


def raw(table: str, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 - names of this test
        return repr(cursor.fetchall())


@pytest.fixture
def written(case_world):
    world = case_world
    consent_to_sharing(world)
    today = timezone.localdate()
    with acting(world.manager) as manager:
        case = Case.objects.get(pk=world.case.pk)
        goal = plan_services.add_goal(actor=manager, case=case, domain="housing", description=FIELDS[0][2])
        plan_services.add_action(actor=manager, goal=goal, description=FIELDS[1][2], owner=manager, due=today)
        plan_services.review_plan(
            actor=manager, case=case, day=today, summary=FIELDS[2][2], progress={goal.pk: ("open", FIELDS[3][2])}
        )
        plan_services.add_appointment(
            actor=manager,
            case=case,
            starts_at=timezone.make_aware(datetime.combine(today, time(10))),
            title=FIELDS[4][2],
            place=FIELDS[5][2],
            operator=manager,
        )
        integration_services.record_activity(
            actor=manager,
            case=case,
            kind="internship",
            provider=FIELDS[6][2],
            sector=FIELDS[7][2],
            hours_per_week=20,
            start=date(2024, 3, 1),
        )
        integration_services.record_activity(
            actor=manager,
            case=case,
            kind="work_grant",
            provider="Comune di Milano",
            paid_by=FIELDS[8][2],
            monthly_allowance=400,
            start=date(2024, 3, 1),
        )
        transfer = case_services.request_transfer(
            actor=manager, case=case, to_user=world.outsider, reason=FIELDS[14][2]
        )
    with acting(world.outsider) as outsider:
        case_services.reject_transfer(actor=outsider, transfer=transfer, answer=FIELDS[15][2])
    apply_for_permit(world.legal, world.case.pk, questura=FIELDS[9][2])
    with acting(world.legal) as legal:
        case = Case.objects.get(pk=world.case.pk)
        matter = legal_services.open_matter(
            actor=legal, case=case, kind="criminal_proceeding", day=date(2024, 3, 5), authority=FIELDS[10][2]
        )
        legal_services.schedule_hearing(
            actor=legal,
            matter=matter,
            starts_at=timezone.make_aware(datetime(2024, 6, 3, 9, 30)),
            place=FIELDS[12][2],
            note=FIELDS[13][2],
        )
        legal_services.close_matter(actor=legal, matter=matter, outcome=FIELDS[11][2])
    return world


@pytest.mark.parametrize(("table", "column", "words", "where"), FIELDS, ids=[f"{t}.{c}" for t, c, *_ in FIELDS])
def test_free_text_is_ciphertext_in_the_database_and_plain_on_the_page(written, table, column, words, where):
    world = written
    stored = raw(table, column)
    assert "gAAAAA" in stored  # the query reads the column: a Fernet token is there
    assert words not in stored
    address = {
        "case": reverse("cases:case_detail", args=[world.case.pk]),
        "history": reverse("cases:plan_history", args=[world.case.pk]),
        "person": reverse("intake:person", args=[world.person.pk]),
    }[where]
    reader = world.filtro if where == "person" else world.manager
    assert words in open_as(reader).get(address).content.decode()


def test_the_migration_encrypts_rows_written_in_plaintext_and_going_back_decrypts_them(case_world):
    permit = apply_for_permit(case_world.legal, case_world.case.pk, questura="Questura di Bergamo")
    with connection.cursor() as cursor:  # a row as the column held it before the migration
        cursor.execute("UPDATE cases_permit SET questura = %s WHERE id = %s", ["Questura di Bergamo", permit.pk])
    editor = SimpleNamespace(connection=connection)
    encrypt_column_values(None, editor, table="cases_permit", columns=("questura",))
    once = raw("cases_permit", "questura")
    assert "Bergamo" not in once
    encrypt_column_values(None, editor, table="cases_permit", columns=("questura",))
    assert raw("cases_permit", "questura") == once  # running it again changes nothing
    with scopes_disabled():
        assert Permit.objects.get(pk=permit.pk).questura == "Questura di Bergamo"
    encrypt_column_values(None, editor, table="cases_permit", columns=("questura",), forward=False)
    assert "Questura di Bergamo" in raw("cases_permit", "questura")
