"""The import's bulk path applies the rules of the form and the service, row by row, at the speed of the database.

Issue #20, point 3: ``full_clean`` per row is replaced by the same field rules prepared once (``core.bulk.FieldRules``)
and ``bulk_create`` by one executemany/COPY of prepared values (``core.bulk.insert``), audit rows included; the file is
read a chunk at a time; the limits are rows, not bytes.
"""

from __future__ import annotations

import io
import random
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.core import bulk, importing
from approdi.core.importing import ImportFailed
from approdi.outreach import services
from approdi.outreach.forms import ImportForm
from approdi.outreach.models import Contact, Referral
from tests.builders import acting
from tests.security.test_bad_imports import CONTACT_HEADER, contacts, messages, run

pytestmark = pytest.mark.django_db

LINE = "2024-03-01,partner,street,MI,,woman,21-23,NG,sexual,yes\n"


def _values(rng: random.Random) -> dict:
    """Field values of a contact, valid or not in every way a field rule looks at."""
    return {
        "channel": rng.choice(["street", "indoor", "drop_in", "bus", "", None, "STREET"]),
        "date": rng.choice([date(2024, 3, 1), None, "2024-03-01", "01/03/2024", "nonsense"]),
        "headcount": rng.choice([1, 2, 500, 501, 0, -1, None, "3", "x", True, 10**12]),
        "person_code": rng.choice(["", "AP-AAAAA-BBBBB", "X" * 20, "X" * 21, None]),
        "first_contact": rng.choice([True, False, None, "yes", "maybe"]),
        "gender": rng.choice(["", "woman", "man", "alien", None]),
        "age_band": rng.choice(["", "18-20", "99-99"]),
        "nationality": rng.choice(["", "NG", "XX", "ng", None]),
        "languages": rng.choice(["", "it, en", "x" * 101]),
        "exploitation": rng.choice(["", "sexual", "labour", "fun"]),
        "services": rng.choice([[], ["condoms"], [1, 2], "condoms", None]),
        "referred_to": rng.choice(["", "x" * 200, "x" * 201]),
        "mediator": rng.choice([True, False, None, "yes"]),
    }


def _full_clean_errors(obj, exclude) -> dict[str, list[str]]:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return error.message_dict
    return {}


def _rules_errors(rules: bulk.FieldRules, obj) -> dict[str, list[str]]:
    try:
        rules.clean(obj)
    except ValidationError as error:
        return error.message_dict
    return {}


@pytest.mark.parametrize("model", [Contact, Referral])
def test_field_rules_find_exactly_what_full_clean_finds(model):
    """500 records, valid and invalid in every field: the same errors, the same messages, the same cleaned values."""
    rng = random.Random(20)
    exclude = [f.name for f in model._meta.concrete_fields if f.is_relation]
    rules = bulk.FieldRules(model, exclude=exclude)
    names = {f.name for f in model._meta.concrete_fields}
    attnames = sorted(f.attname for f in model._meta.concrete_fields if not f.is_relation)
    refused = 0
    with translation.override("en"):
        for _ in range(500):
            values = {k: v for k, v in _values(rng).items() if k in names}
            if model is Referral:
                values |= {"source_type": rng.choice(["police", "self", "nobody"]), "notes": rng.choice(["", "why"])}
            one, other = model(**values), model(**values)
            expected = _full_clean_errors(one, exclude)
            assert _rules_errors(rules, other) == expected, values
            assert [getattr(other, n) for n in attnames] == [getattr(one, n) for n in attnames]
            refused += bool(expected)
    assert 0 < refused < 500  # both kinds were tried


def test_insert_stores_what_bulk_create_stores_and_gives_ids(network):
    def contact(i: int) -> Contact:
        return Contact(
            programme=network.programme,
            organisation=network.partner,
            channel="drop_in",
            date=date(2024, 3, 1 + i),
            area=network.area,
            headcount=1,
            person_code=f"AP-AAAAA-BBBB{i}",
            first_contact=bool(i % 2),
            nationality="NG",
            services=["meal", "shower"],
            mediator=True,
        )

    with scopes_disabled():
        by_django = Contact.objects.bulk_create([contact(i) for i in range(3)])
        by_insert = bulk.insert([contact(i) for i in range(3)])
        assert all(c.pk and not c._state.adding for c in by_insert)
        ids = [c.pk for c in by_insert]
        assert ids == sorted(ids) and min(ids) > max(c.pk for c in by_django)
        columns = [f.attname for f in Contact._meta.concrete_fields if f.attname not in ("id", "created_at")]
        rows = {row[0]: row[1:] for row in Contact.objects.values_list("pk", *columns)}
        assert set(rows) == {c.pk for c in by_django + by_insert}
        assert [rows[c.pk] for c in by_insert] == [rows[c.pk] for c in by_django]
        assert all(c.created_at is not None for c in Contact.objects.filter(pk__in=ids))
        # A record saved the usual way afterwards gets a new id: the sequence went on past the inserted ones.
        Contact.objects.filter(pk=max(ids)).delete()
        later = Contact.objects.create(**{f: getattr(contact(0), f) for f in ("programme", "organisation", "date")})
        assert later.pk > max(ids)


@pytest.mark.parametrize("model", [Contact, Referral])
def test_new_builds_what_the_model_builds(network, model):
    """``bulk.New(model)(**values)`` equals ``model(**values)``: attributes, cached relations, state; 300 random sets
    of values (relations given or None, values valid or not, fields left to their defaults)."""
    rng = random.Random(21)
    new = bulk.New(model)
    names = {f.name for f in model._meta.concrete_fields}
    relations = {
        "programme": [network.programme],
        "organisation": [network.partner, network.lead],
        "area": [network.area, None],
        "created_by": [None],
    }
    with scopes_disabled():
        for _ in range(300):
            values = {k: v for k, v in _values(rng).items() if k in names and rng.random() < 0.7}
            values |= {k: rng.choice(v) for k, v in relations.items() if k in names and rng.random() < 0.8}
            expected, built = model(**values), new(**values)
            assert type(built) is model
            assert {k: v for k, v in vars(built).items() if k != "_state"} == {
                k: v for k, v in vars(expected).items() if k != "_state"
            }
            assert built._state.fields_cache == expected._state.fields_cache
            assert (built._state.db, built._state.adding) == (expected._state.db, expected._state.adding)
            assert built.nationality == expected.nationality if "nationality" in names else True
        with pytest.raises(ValueError):  # the model's own refusal of a record of another model
            new(programme=network.partner)
        with pytest.raises(TypeError):
            new(no_such_field=1)


def _service_refusal(network, **values) -> tuple[str, str]:
    """The column and message with which the service refuses a contact built from ``values``."""
    with scopes_disabled(), translation.override("en"), pytest.raises(ValidationError) as refused:
        services.build_contact(programme=network.programme, organisation=network.partner, channel="street", **values)
    ((column, found),) = refused.value.message_dict.items()
    return column, found[0]


@pytest.fixture
def approved_march(network, make_user):
    """March 2024 of P-1 reported to the funder and approved: a closed period."""
    from approdi.reports.models import FunderReport

    user = make_user("preparer", network.lead, "coordinator", network.programme)
    now = timezone.now()
    with scopes_disabled():
        return FunderReport.objects.create(
            programme=network.programme,
            start=date(2024, 3, 1),
            end=date(2024, 3, 31),
            status="approved",
            figures={},
            figures_hash="0" * 64,
            language="it",
            prepared_by=user,
            prepared_at=now,
            approved_by=user,
            approved_at=now,
            self_approved=True,
            xlsx=b"x",
            csv=b"x",
            pdf=b"x",
            content_hash="0" * 64,
        )


@pytest.mark.parametrize(
    ("row", "values"),
    [
        # A legacy reference with nothing in it: the service cannot map it into the network's codes.
        ("2024-04-02,partner,street,MI,!!!,woman,21-23,NG,sexual,\n", {"date": date(2024, 4, 2), "person_code": "!!!"}),
        # March 2024 is closed: only the lead coordinator, giving a reason, may add to it.
        ("2024-03-12,partner,street,MI,,woman,21-23,NG,sexual,\n", {"date": date(2024, 3, 12)}),
    ],
    ids=["person-code", "closed-period"],
)
def test_a_row_the_service_refuses_is_refused_with_its_row_number(network, approved_march, monkeypatch, row, values):
    column, message = _service_refusal(network, **values)
    monkeypatch.setattr(importing, "CHUNK_ROWS", 2)  # the bad row in the third chunk, after two written
    good = "2024-04-01,partner,street,MI,,woman,21-23,NG,sexual,yes\n"
    with pytest.raises(ImportFailed) as failure:
        run("contacts", (CONTACT_HEADER + "\n" + good * 4 + row + good).encode(), "c.csv", network)
    assert messages(failure) == [f"row 6, column {column}: {message}"]
    assert contacts(network) == 0


def test_every_imported_contact_is_audited_as_the_service_audits_a_file(network, people, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK_ROWS", 4)
    actor = people("coordinator", at=network.lead).owner
    with acting(actor), scopes_disabled():
        before = AuditEntry.objects.count()
        written = run_import_as(actor, (CONTACT_HEADER + "\n" + LINE * 10).encode(), network)
        ids = {str(pk) for pk in Contact.objects.values_list("pk", flat=True)}
        entries = AuditEntry.objects.filter(object_type="outreach.contact")
        assert written == 10 and entries.count() == 10 and AuditEntry.objects.count() == before + 11  # + the file
        assert set(entries.values_list("object_id", flat=True)) == ids
        written_as = entries.values_list("actor_id", "actor_username", "action", "reason", "fields")
        assert {(*row[:4], tuple(row[4])) for row in written_as} == {
            (actor.pk, actor.username, "create", "import", ("import",))
        }
        membership = actor.active_membership
        assert set(entries.values_list("organisation_id", "programme_id", "role")) == {
            (membership.organisation_id, membership.programme_id, membership.role)
        }


def run_import_as(actor, content: bytes, network) -> int:
    from approdi.network.imports import run_import

    with translation.override("en"):
        return run_import("contacts", content, "c.csv", options={"programme": network.programme, "actor": actor})


def test_the_file_is_read_a_chunk_at_a_time_as_it_is_written(network, monkeypatch):
    """Rows are pulled from the file as chunks are written, not all before: memory holds a chunk, not the file."""
    monkeypatch.setattr(importing, "CHUNK_ROWS", 5)
    pulled: list[int] = []
    read_rows = importing.read_rows

    def counting(source, filename):
        for item in read_rows(source, filename):
            pulled.append(item[0])
            yield item

    pulled_at_write: list[int] = []
    save_contacts = services.save_contacts

    def saving(**kwargs):
        pulled_at_write.append(len(pulled))
        return save_contacts(**kwargs)

    monkeypatch.setattr(importing, "read_rows", counting)
    monkeypatch.setattr(services, "save_contacts", saving)
    assert run("contacts", (CONTACT_HEADER + "\n" + LINE * 50).encode(), "c.csv", network) == 50
    # The header, the first row (looked at to refuse a file without rows) and a chunk before the first write.
    assert pulled_at_write[0] <= 1 + 1 + 5
    assert len(pulled_at_write) == 10 and pulled_at_write == sorted(pulled_at_write)
    assert contacts(network) == 50


def _full_column_file(rows: int) -> bytes:
    """The widest contacts file a partner exports: every column, ~72 bytes a row (bench/import_scale.py's rows)."""
    header = CONTACT_HEADER + ",headcount\n"
    line = "21/03/2024,partner,drop_in,MI,AP-K7Q2M-X9P4D,trans_woman,18-20,NG,sexual,yes,1\n"
    return (header + line * rows).encode()


def test_a_full_column_file_of_100000_rows_is_within_the_limits(settings):
    """7.2 MB and 100,000 rows pass the page's size check and the reader's limits; a row over the limit does not."""
    content = _full_column_file(100_000)
    assert len(content) > 7_000_000
    form = ImportForm(data={"kind": "contacts"}, files={"file": SimpleUploadedFile("c.csv", content)})
    assert form.is_valid(), form.errors
    assert sum(1 for _ in importing.read_rows(io.BytesIO(content), "c.csv")) == 100_001
    settings.APPRODI_IMPORT_MAX_ROWS = 99_999
    with translation.override("en"), pytest.raises(ImportFailed) as failure:
        importing.read_rows(io.BytesIO(content), "c.csv")
    assert messages(failure) == ["row 0, column -: the file has more than 99,999 rows: split it"]


def test_dates_are_read_quickly_as_strptime_reads_them():
    """``quick_date`` reads what the two formats' ``strptime`` reads, and leaves everything else to it."""
    rng = random.Random(3)
    samples = ["2024-03-01", "01/03/2024", "2024-02-30", "31/02/2024", "2024-3-01", "1/3/2024", "0000-01-01"]
    samples += ["２０２４-03-01", "2024-03-1 ", " 2024-03-1", "2024/03/01", "01-03-2024", "20240301", "2024-+3-01"]
    for _ in range(3000):
        samples.append("".join(rng.choice("0123456789-/ +") for _ in range(rng.choice([8, 9, 10, 10, 10]))))
    for value in samples:
        expected = None
        for fmt in importing.DATE_FORMATS:
            try:
                expected = datetime.strptime(value, fmt).date()
                break
            except ValueError:
                continue
        quick = importing.quick_date(value)
        assert quick is None or quick == expected, value
    for day in (date(2023, 12, 25) + timedelta(days=d) for d in range(0, 800, 3)):
        assert importing.quick_date(day.isoformat()) == day
        assert importing.quick_date(day.strftime("%d/%m/%Y")) == day
