"""Backups that restore: ``manage.py backup`` writes an encrypted archive, ``manage.py restore`` puts it into an empty
database and checks it against the manifest. On the database the suite runs on: SQLite in ``make test``,
PostgreSQL (``pg_dump``/``pg_restore``) in CI's PostgreSQL pass. The restore target is a second, empty database
(a file, or a PostgreSQL database of its own); the restored rows are read back through an alias of their own,
with the keys of the running settings.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import threading
from datetime import date
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django_scopes import scopes_disabled

from approdi.core.backup import (
    MANIFEST,
    BackupError,
    Database,
    DecryptingReader,
    EncryptingWriter,
    restore_backup,
    write_backup,
)
from approdi.outreach.models import Contact
from approdi.people.models import Person
from tests.builders.network import make_user
from tests.builders.people import registered_person
from tests.platform.test_read_replica import allow_connections

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump and the SQLite copy see committed rows only
RESTORED = "restored"


@pytest.fixture
def key(settings) -> bytes:
    settings.APPRODI_BACKUP_KEY = Fernet.generate_key().decode()
    from approdi.core.backup import backup_key

    return backup_key()


@pytest.fixture
def target(tmp_path):
    """An empty database to restore into, and its alias to read it back."""
    primary = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "sqlite":
        name = str(tmp_path / "restored.sqlite3")
        drop = None
    else:
        name = f"{primary.settings_dict['NAME']}_restored"

        def drop() -> None:
            with primary._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        drop()
        with primary._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    database = Database(vendor=connection.vendor, settings={**primary.settings_dict, "NAME": name})
    yield database
    if RESTORED in connections.settings:
        connections[RESTORED].close()
        del connections[RESTORED]
        del connections.settings[RESTORED]
    if drop:
        drop()


def read_back(database: Database) -> None:
    connections.settings[RESTORED] = {**connections[DEFAULT_DB_ALIAS].settings_dict, "NAME": database.settings["NAME"]}
    allow_connections(connections[RESTORED])


@pytest.fixture
def world(network):
    filtro = make_user("filtro", network.lead, "filtro", network.programme)
    person = registered_person(network, code="AP-BACKU-PAAAA", created_by=filtro)
    with scopes_disabled():
        person.given_name, person.family_name, person.birth_date = "Blessing", "Okafor", date(1999, 4, 2)
        person.save()
        for n in range(30):
            Contact.objects.create(
                programme=network.programme,
                organisation=network.partner,
                channel="street",
                date=date(2024, 3, 1),
                person_code=f"AP-{n:05d}-BKPAA",
            )
    return person


def plaintext(archive: Path, key: bytes) -> bytes:
    with archive.open("rb") as source:
        return DecryptingReader(source, key).readall()


def test_a_backup_restores_with_the_same_counts_checksums_and_readable_identities(world, key, target, tmp_path):
    archive = tmp_path / "approdi.backup"
    call_command("backup", f"--output={archive}", stdout=io.StringIO())

    manifest = restore_backup(archive, key=key, database=target)

    source = Database.of()
    assert target.tables() == manifest["tables"] == source.tables()
    assert (
        manifest["tables"]["outreach_contact"]["rows"] == 30 and manifest["tables"][Person._meta.db_table]["rows"] == 1
    )
    read_back(target)
    with scopes_disabled():
        restored = Person.objects.using(RESTORED).get(code="AP-BACKU-PAAAA")
    assert (restored.given_name, restored.family_name, restored.birth_date) == ("Blessing", "Okafor", date(1999, 4, 2))
    # Inside the archive: no key of any kind, and the identities encrypted as in the database.
    inside = plaintext(archive, key)
    secrets = [django_settings.SECRET_KEY, django_settings.APPRODI_INDEX_KEY, django_settings.APPRODI_BACKUP_KEY]
    for secret in [*secrets, *django_settings.APPRODI_ENCRYPTION_KEYS]:
        assert secret.encode() not in inside
    assert b"Blessing" not in inside and b"Okafor" not in inside
    assert b"Blessing" not in archive.read_bytes() and b"AP-00001-BKPAA" not in archive.read_bytes()


def test_restore_refuses_a_database_that_is_not_empty(world, key, tmp_path):
    archive = tmp_path / "approdi.backup"
    call_command("backup", f"--output={archive}", stdout=io.StringIO())
    with pytest.raises(CommandError, match="is not empty: a backup is restored only into an empty database"):
        call_command("restore", str(archive), stdout=io.StringIO())  # the running (test) database
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", f"--output={archive}", stdout=io.StringIO())


def test_a_wrong_key_a_changed_byte_a_truncated_file_and_a_false_manifest_are_refused(world, key, target, tmp_path):
    archive = tmp_path / "approdi.backup"
    write_backup(archive, key=key)
    content = archive.read_bytes()

    def refused(data: bytes, message: str, *, with_key: bytes = key) -> None:
        path = tmp_path / "candidate.backup"
        path.write_bytes(data)
        with pytest.raises(Exception, match=message):
            restore_backup(path, key=with_key, database=target)
        assert target.is_empty()  # nothing was restored

    refused(content, "Wrong backup key", with_key=Fernet(Fernet.generate_key())._signing_key * 2)
    middle = len(content) // 2
    refused(content[:middle] + bytes([content[middle] ^ 1]) + content[middle + 1 :], "damaged or was altered")
    refused(content[: len(content) - 100], "truncated|damaged")
    refused(b"PK\x03\x04 a spreadsheet", "not an Approdi backup archive")

    # A well-encrypted archive whose database is not the one its manifest describes.
    forged = io.BytesIO()
    with archive.open("rb") as source, tarfile.open(fileobj=DecryptingReader(source, key), mode="r|") as original:
        with EncryptingWriter(forged, key) as sealed, tarfile.open(fileobj=sealed, mode="w|") as copy:
            for member in original:
                data = original.extractfile(member).read()
                if member.name != MANIFEST:
                    data = data[:-1] + bytes([data[-1] ^ 1])
                member.size = len(data)
                copy.addfile(member, io.BytesIO(data))
        refused(forged.getvalue(), "does not match its manifest")

    # Through the command: the operator reads one clear line, no traceback.
    wrong = tmp_path / "wrong.backup"
    wrong.write_bytes(content)
    django_settings.APPRODI_BACKUP_KEY = Fernet.generate_key().decode()
    with pytest.raises(CommandError, match=r"^Wrong backup key"):
        call_command("restore", str(wrong), stdout=io.StringIO())
    another = Fernet.generate_key().decode()
    run = subprocess.run(  # as the operator types it
        [sys.executable, "manage.py", "restore", str(wrong)],
        cwd=Path(__file__).resolve().parents[2],
        env=os.environ | {"APPRODI_VAR_DIR": str(tmp_path / "var"), "APPRODI_BACKUP_KEY": another},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert run.stderr.strip().splitlines()[-1].startswith("CommandError: Wrong backup key"), run.stderr


def test_a_backup_taken_while_contacts_are_written_restores_a_consistent_state(world, network, key, target, tmp_path):
    """A writer saves contacts two by two, each pair in one transaction, before, during and after the backup."""
    stop, written = threading.Event(), []

    def write() -> None:
        from django.db import transaction

        n = 0
        try:
            while not stop.is_set() or n < 5:
                try:
                    with scopes_disabled(), transaction.atomic():
                        for half in "AB":
                            Contact.objects.create(
                                programme_id=network.programme.pk,
                                organisation_id=network.partner.pk,
                                channel="street",
                                date=date(2024, 3, 2),
                                person_code=f"AP-{n:05d}-WRIT{half}",
                            )
                except OperationalError:  # SQLite: the copy holds the lock a moment
                    continue
                written.append(n)
                n += 1
        finally:
            connections.close_all()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(written) < 5:
            stop.wait(0.01)
        archive = tmp_path / "approdi.backup"
        write_backup(archive, key=key)
    finally:
        stop.set()
        writer.join(60)

    manifest = restore_backup(archive, key=key, database=target)  # counts and checksums checked inside

    read_back(target)
    with scopes_disabled():
        codes = set(Contact.objects.using(RESTORED).filter(date=date(2024, 3, 2)).values_list("person_code", flat=True))
    pairs = sorted({int(code[3:8]) for code in codes})
    assert len(codes) == 2 * len(pairs) and pairs == list(range(len(pairs)))  # whole pairs, none skipped
    assert len(pairs) >= 5 and manifest["tables"]["outreach_contact"]["rows"] == 30 + len(codes)


def test_the_documents_files_are_archived_as_stored_and_restored(world, key, target, tmp_path, settings):
    from approdi.cases.models import Document
    from approdi.core import files

    settings.APPRODI_DOCUMENTS_DIR = tmp_path / "documents"
    marker = b"%PDF-1.4 DOCUMENT-MARKER-5521"
    with scopes_disabled():
        document = Document.objects.create(
            person=world,
            kind="identity",
            date=date(2024, 3, 1),
            domain="general",
            confidentiality="team",
            content_type="application/pdf",
            size=len(marker),
            stored_as=files.store(marker),
            author=world.created_by,
        )
    stored = (settings.APPRODI_DOCUMENTS_DIR / document.stored_as).read_bytes()
    archive = tmp_path / "approdi.backup"
    manifest = write_backup(archive, key=key)
    assert f"documents/{document.stored_as}" in manifest["files"]
    assert marker not in plaintext(archive, key)  # archived as stored: encrypted with the data keys

    # Restored into an empty documents directory of the new server, byte for byte, and readable with the keys.
    settings.APPRODI_DOCUMENTS_DIR = tmp_path / "restored-documents"
    restore_backup(archive, key=key, database=target)
    assert (settings.APPRODI_DOCUMENTS_DIR / document.stored_as).read_bytes() == stored
    assert files.load(document.stored_as) == marker


def test_restore_refuses_a_documents_directory_holding_the_archives_files(world, key, target, tmp_path, settings):
    from approdi.core import files

    settings.APPRODI_DOCUMENTS_DIR = tmp_path / "documents"
    files.store(b"%PDF-1.4 kept")
    archive = tmp_path / "approdi.backup"
    write_backup(archive, key=key)
    with pytest.raises(BackupError, match="already holds files of the archive"):
        restore_backup(archive, key=key, database=target)
    assert target.is_empty()
