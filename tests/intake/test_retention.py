"""Retention (issue 17, point 1): on a seeded random programme, ``apply_retention`` anonymises or deletes exactly what
is due and nothing else; every funder figure of every closed period is the same before and after; no identity nor
blind index is left for an anonymised person (the raw database read with a cursor); a dry run changes nothing; the
run is audited with counts; a second run does nothing; the command runs end to end."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.models import Notification
from approdi.audit.models import Action, AuditEntry
from approdi.audit.services import record
from approdi.cases.models import Case, Document
from approdi.core import files
from approdi.core.retention import RULES, Kind
from approdi.intake.retention import OBJECT_TYPE, apply_retention
from approdi.network.models import RetentionPeriod
from approdi.outreach.models import Contact, Referral, SyncKey
from approdi.people.models import Person, PersonKey
from approdi.people.services import index_person
from approdi.reports.funder.summary import funder_summary
from approdi.shelter.models import Bed, Placement

# Run as on this day, every programme's period set to ten years: the cutoff of every kind is 2025-01-01, so
# records of 2024 are due and those of 2025 are not.
TODAY = date(2035, 1, 1)
CUTOFF = date(2025, 1, 1)
FIRST, LAST = date(2024, 1, 1), date(2025, 12, 31)
SOURCES = ("police", "helpline", "self", "outreach", "cas", "union")
GENDERS = ("woman", "man", "trans_woman", "trans_man", "non_binary", "")
CHANNELS = ("street", "indoor", "drop_in")
CODES = [f"RF-{n:03d}" for n in range(6)]  # a few codes shared by referrals: distinct people are counted by them


def _day(rng: random.Random, start: date = FIRST, end: date = LAST) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def _closed_periods() -> list[tuple[date, date]]:
    """Every year and quarter of the records, and a few months (each closed once reported)."""
    periods = [(date(y, 1, 1), date(y, 12, 31)) for y in (2024, 2025)]
    for year in (2024, 2025):
        periods += [
            (date(year, q, 1), date(year + q // 10, (q + 2) % 12 + 1, 1) - timedelta(days=1)) for q in (1, 4, 7, 10)
        ]
        periods += [(date(year, m, 1), date(year, m + 1, 1) - timedelta(days=1)) for m in (2, 6, 11)]
    return periods


def _figures(programme) -> list[dict]:
    return [funder_summary(programme=programme, start=start, end=end) for start, end in _closed_periods()]


@dataclass
class World:
    due_people: set[int] = field(default_factory=set)
    kept_people: set[int] = field(default_factory=set)
    due_referrals: set[int] = field(default_factory=set)
    kept_referrals: set[int] = field(default_factory=set)
    due_contacts: set[int] = field(default_factory=set)
    kept_contacts: set[int] = field(default_factory=set)
    due_documents: set[int] = field(default_factory=set)
    kept_documents: set[int] = field(default_factory=set)
    due_audit: set[int] = field(default_factory=set)
    due_sync: int = 0
    due_notifications: int = 0


def _build(network, user, seed: int) -> World:
    """A random programme: people with identities and name keys, closed and open cases, stays (some open),
    referrals with and without a person, contacts alone and in groups, documents, old and new audit rows, sync
    keys and notifications, across 2024 (due) and 2025 (not yet)."""
    rng = random.Random(seed)
    world = World()
    programme = network.programme
    for kind in RULES:  # ten years for every kind, within each one's bounds
        RetentionPeriod.objects.create(programme=programme, kind=kind, months=120)
    with scopes_disabled():
        beds = iter(range(10_000))
        for n in range(rng.randint(6, 12)):
            person = Person.objects.create(
                programme=programme,
                organisation=network.lead,
                code=f"AP-{seed}-{n:03d}",
                gender=rng.choice(GENDERS),
                given_name=f"Nome{n}",
                family_name=f"Cognome{n}",
                birth_date=date(1990, 1, 1) + timedelta(days=n),
                phone=f"+39 333 00{n:04d}",
                identity_index=f"{n:064x}",
                birth_index=f"{n + 1:064x}",
                created_by=user,
            )
            index_person(person)
            ends = []
            for _ in range(rng.randint(0, 2)):
                start = _day(rng, FIRST, date(2024, 9, 1))
                end = _day(rng, start, LAST)
                ends.append(end)
                Case.objects.create(
                    programme=programme,
                    person=person,
                    lead_organisation=network.lead,
                    type="territorial",
                    status="closed",
                    start=start,
                    end=end,
                    outcome="autonomy",
                )
            still_open = rng.random() < 0.2
            if still_open:
                Case.objects.create(
                    programme=programme,
                    person=person,
                    lead_organisation=network.lead,
                    type="territorial",
                    start=_day(rng),
                )
            stay_open = False
            for _ in range(rng.randint(0, 2)):
                structure = rng.choice([network.structure, network.other_structure])
                start = _day(rng)
                open_stay = not stay_open and rng.random() < 0.2
                stay_open = stay_open or open_stay
                length = rng.randint(0, 200)
                Placement.objects.create(
                    programme=programme,
                    person=person,
                    structure=structure,
                    bed=Bed.objects.create(structure=structure, label=f"b{next(beds)}", in_use=False),
                    stage="first",
                    start=start,
                    end=None if open_stay else start + timedelta(days=length),
                    exit_reason="" if open_stay else "autonomy",
                )
            for _ in range(rng.randint(0, 2)):
                Referral.objects.create(
                    programme=programme,
                    organisation=network.lead,
                    date=_day(rng),
                    source_type=rng.choice(SOURCES),
                    person_code=person.code,
                    given_name=f"Nome{n}",
                    family_name=f"Cognome{n}",
                    phone="+39 333 1111111",
                    person=person,
                    status="decided",
                )
            cases = list(Case.objects.filter(person=person))
            for _ in range(rng.randint(0, 2)):
                case = rng.choice([*cases, None]) if cases else None
                if case is not None and case.status != "closed":
                    case = None
                day = _day(rng)
                document = Document.objects.create(
                    person=person,
                    case=case,
                    kind="identity",
                    date=day,
                    domain="general",
                    confidentiality="team",
                    filename="passaporto-segreto.pdf",
                    content_type="application/pdf",
                    size=5,
                    stored_as=files.store(b"%PDF-"),
                    author=user,
                )
                due = (case.end <= CUTOFF) if case is not None else (day <= CUTOFF and not still_open)
                (world.due_documents if due else world.kept_documents).add(document.pk)
            due = bool(ends) and not still_open and not stay_open and max(ends) <= CUTOFF
            (world.due_people if due else world.kept_people).add(person.pk)
        for n in range(rng.randint(5, 15)):
            day = _day(rng)
            referral = Referral.objects.create(
                programme=programme,
                organisation=rng.choice([network.lead, network.partner]),
                date=day,
                source_type=rng.choice(SOURCES),
                person_code=rng.choice([*CODES, ""]),
                given_name=rng.choice(["Amina", ""]),
                family_name="Senzanome",
                birth_date=rng.choice([date(2000, 2, 2), None]),
                phone="+39 320 9999999",
                notes="Chiede aiuto",
                reference=f"R{seed}{n:05d}",
                status=rng.choice(["new", "closed"]),
            )
            (world.due_referrals if day <= CUTOFF else world.kept_referrals).add(referral.pk)
        for _ in range(rng.randint(8, 25)):
            day = _day(rng)
            group = rng.random() < 0.3
            contact = Contact.objects.create(
                programme=programme,
                organisation=rng.choice([network.lead, network.partner]),
                channel=rng.choice(CHANNELS),
                date=day,
                headcount=rng.randint(2, 5) if group else 1,
                person_code="" if group else rng.choice(CODES),
                gender=rng.choice(["woman", "man", ""]),
            )
            if contact.person_code:
                (world.due_contacts if day <= CUTOFF else world.kept_contacts).add(contact.pk)
    for n in range(rng.randint(2, 6)):
        # Before November 2024 (due, and older than the two years the database insists on) or after the cutoff.
        day = rng.choice([_day(rng, date(2023, 1, 1), date(2024, 10, 31)), _day(rng, date(2025, 2, 1), LAST)])
        with mock.patch("django.utils.timezone.now", return_value=_at(day)):
            entry = record(action=Action.VIEW, object_type="intake.person", object_id=n, programme_id=programme.pk)
            SyncKey.objects.create(
                programme=programme, organisation=network.lead, actor=user, key=uuid.uuid4(), kind="outing", object_id=n
            )
            Notification.objects.create(programme=programme, recipient=user, kind="assigned", code="AP-1", path="/")
        if day < CUTOFF:
            world.due_audit.add(entry.pk)
            world.due_sync += 1
            world.due_notifications += 1
    return world


def _raw(table: str, pk: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608 (the tests' own table names)
        names = [c[0] for c in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def _snapshot() -> dict:
    """Every row retention may touch, as the database holds it."""
    found = {}
    with connection.cursor() as cursor:
        for table in (
            "intake_person",
            "intake_personkey",
            "outreach_referral",
            "outreach_contact",
            "cases_document",
            "audit_auditentry",
            "outreach_synckey",
            "accounts_notification",
            "network_retentionperiod",
        ):
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608
            found[table] = cursor.fetchall()
    return found


@pytest.fixture
def author(network, make_user):
    return make_user("autore", network.lead, "filtro", network.programme)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_retention_on_a_random_programme_keeps_every_figure_and_no_identity(
    network, author, seed, django_capture_on_commit_callbacks
):
    world = _build(network, author, seed)
    programme = network.programme
    before = _figures(programme)
    snapshot = _snapshot()
    stored = {pk: _raw("cases_document", pk)["stored_as"] for pk in world.due_documents | world.kept_documents}

    dry = {run.code: run for run in apply_retention(today=TODAY, dry_run=True)}
    assert _snapshot() == snapshot  # a dry run changes nothing, and audits nothing

    with django_capture_on_commit_callbacks(execute=True):  # the files go once the rows have
        runs = {run.code: run for run in apply_retention(today=TODAY)}
    done = runs["P-1"].counts
    expected = {
        Kind.CASES: len(world.due_people),
        Kind.DOCUMENTS: len(world.due_documents),
        Kind.REFERRALS: len(world.due_referrals),
        Kind.CONTACTS: len(world.due_contacts),
        Kind.AUDIT: len(world.due_audit),
        Kind.SYNC_KEYS: world.due_sync,
        Kind.NOTIFICATIONS: world.due_notifications,
    }
    assert done == expected
    assert dry["P-1"].counts == expected  # the dry run counted what the run then did

    # Every funder figure of every closed period is the same.
    assert _figures(programme) == before

    with scopes_disabled():
        for pk in world.due_people:
            row = _raw("intake_person", pk)
            for column in (*Person.IDENTITY_FIELDS, "identity_index", "birth_index"):
                assert row[column] in ("", None), column
            assert row["code"] and row["anonymised_at"] is not None and row["gender"] is not None
            assert not PersonKey.objects.filter(person_id=pk).exists()
            for referral in Referral.objects.filter(person_id=pk).values_list("pk", flat=True):
                raw = _raw("outreach_referral", referral)
                assert raw["given_name"] == raw["family_name"] == raw["phone"] == ""
                assert raw["person_code"]  # the people referred are counted by it
            for document in Document.objects.filter(person_id=pk).values_list("pk", flat=True):
                assert _raw("cases_document", document)["filename"] == ""
        for pk in world.kept_people:  # not yet due: untouched
            row = _raw("intake_person", pk)
            assert row["given_name"] and row["identity_index"] and row["anonymised_at"] is None
            assert PersonKey.objects.filter(person_id=pk).exists()
        for pk in world.due_referrals:
            raw = _raw("outreach_referral", pk)
            assert [raw[c] for c in ("given_name", "family_name", "phone", "notes", "reference")] == [""] * 5
            assert raw["birth_date"] is None
        for pk in world.kept_referrals:
            raw = _raw("outreach_referral", pk)
            assert raw["notes"] and raw["phone"] and raw["reference"]
        for pk in world.due_contacts:
            assert _raw("outreach_contact", pk)["person_code"] == ""
        for pk in world.kept_contacts:
            assert _raw("outreach_contact", pk)["person_code"]
        for pk in world.due_documents:
            raw = _raw("cases_document", pk)
            assert raw["stored_as"] == "" and raw["filename"] == "" and raw["purged_at"] is not None
            assert not (files.directory() / stored[pk]).exists()
        for pk in world.kept_documents:
            assert _raw("cases_document", pk)["stored_as"] == stored[pk]
            assert (files.directory() / stored[pk]).exists()
        assert not AuditEntry.objects.filter(pk__in=world.due_audit).exists()

        # The run is audited with its counts, never a value.
        entry = AuditEntry.objects.get(object_type=OBJECT_TYPE, object_id="P-1")
        assert entry.action == Action.DELETE and entry.programme_id == programme.pk
        assert entry.reason == " ".join(f"{kind}={expected[kind]}" for kind in RULES)
        assert "Nome" not in entry.reason and "passaporto" not in entry.reason

    # Idempotent: a second run finds nothing due and changes nothing but its own audit row.
    after = _snapshot()
    again = {run.code: run for run in apply_retention(today=TODAY)}
    assert set(again["P-1"].counts.values()) == {0}
    second = _snapshot()
    assert {t: rows for t, rows in second.items() if t != "audit_auditentry"} == {
        t: rows for t, rows in after.items() if t != "audit_auditentry"
    }
    assert _figures(programme) == before


def test_a_programme_keeps_its_records_as_long_as_it_says(network, author):
    """With the defaults (ten years after a case closes), nothing of 2024 is due in 2030; a programme's own
    shorter period makes it due."""
    with scopes_disabled():
        person = Person.objects.create(
            programme=network.programme,
            organisation=network.lead,
            code="AP-KEEP",
            given_name="Grace",
            identity_index="c" * 64,
            created_by=author,
        )
        Case.objects.create(
            programme=network.programme,
            person=person,
            lead_organisation=network.lead,
            type="territorial",
            status="closed",
            start=date(2024, 1, 1),
            end=date(2024, 6, 1),
            outcome="autonomy",
        )
    run = apply_retention(today=date(2030, 1, 1), programme="P-1")[0]
    assert run.counts[Kind.CASES] == 0
    assert _raw("intake_person", person.pk)["given_name"] not in ("", "Grace")  # kept, encrypted
    RetentionPeriod.objects.create(programme=network.programme, kind=Kind.CASES, months=60)
    run = apply_retention(today=date(2030, 1, 1), programme="P-1")[0]
    assert run.counts[Kind.CASES] == 1
    assert _raw("intake_person", person.pk)["given_name"] == ""


def test_the_database_refuses_to_delete_a_recent_audit_row(network):
    """Retention may delete audit rows older than two years, and the database refuses anything else."""
    from approdi.audit.services import expire

    entry = record(action=Action.VIEW, object_type="intake.person", object_id=1, programme_id=network.programme.pk)
    with mock.patch("django.utils.timezone.now", return_value=_at(date(2020, 1, 1))):
        old = record(action=Action.VIEW, object_type="intake.person", object_id=2)
    with scopes_disabled():
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            expire(AuditEntry.objects.filter(pk=entry.pk))
        with pytest.raises(Exception, match="append-only"), transaction.atomic():  # outside retention, none goes
            AuditEntry.objects.filter(pk=old.pk).delete()
        assert AuditEntry.objects.filter(pk__in=[entry.pk, old.pk]).count() == 2
        with transaction.atomic():
            assert expire(AuditEntry.objects.filter(pk=old.pk)) == 1


def test_the_command_runs_end_to_end(network, author, capsys):
    with scopes_disabled():
        contact = Contact.objects.create(
            programme=network.programme,
            organisation=network.lead,
            channel="street",
            date=date(2024, 2, 1),
            headcount=1,
            person_code="RF-001",
        )
    call_command("apply_retention", "--dry-run", "--today", "2027-06-01")
    out = capsys.readouterr().out
    assert "P-1\tcontacts\tdue\t1\t2025-06-01" in out and "P-1\tcases\tdue\t0" in out
    assert _raw("outreach_contact", contact.pk)["person_code"] == "RF-001"
    with scopes_disabled():
        assert not AuditEntry.objects.filter(object_type=OBJECT_TYPE).exists()
    call_command("apply_retention", "--today", "2027-06-01")
    assert "P-1\tcontacts\tdone\t1" in capsys.readouterr().out
    assert _raw("outreach_contact", contact.pk)["person_code"] == ""
    with scopes_disabled():  # one audit row per programme, and one for the rows of no programme
        assert AuditEntry.objects.filter(object_type=OBJECT_TYPE).count() == 3


def test_someone_never_taken_in_is_anonymised_after_the_period_from_her_registration(network, author):
    with scopes_disabled(), mock.patch("django.utils.timezone.now", return_value=_at(date(2024, 3, 1))):
        old = Person.objects.create(
            programme=network.programme, organisation=network.lead, code="AP-OLD", given_name="Ada", created_by=author
        )
    with scopes_disabled():
        recent = Person.objects.create(
            programme=network.programme, organisation=network.lead, code="AP-NEW", given_name="Eva", created_by=author
        )
    run = apply_retention(today=date(2034, 6, 1), programme="P-1")[0]
    assert run.counts[Kind.CASES] == 1
    assert _raw("intake_person", old.pk)["given_name"] == ""
    assert _raw("intake_person", recent.pk)["given_name"] not in ("", "Eva")
