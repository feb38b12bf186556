"""Encrypted backups that restore: ``manage.py backup --output F`` and ``manage.py restore F``.

The archive is a tar stream, encrypted as it is written, holding:

- ``manifest.json``: the database's vendor, each table's row count and checksum, each file's SHA-256;
- the database: ``database.sqlite3`` (SQLite's online backup API: one consistent copy while the server runs) or
  ``database.pgdump`` (``pg_dump --format=custom`` of a snapshot exported by a REPEATABLE READ transaction, the
  same one that counts the rows, so the manifest describes exactly what is dumped while writes go on);
- ``media/...``: the files of the default storage, if any exist (exports live in the database);
- ``documents/...``: the files of the documents kept with people and cases (``APPRODI_DOCUMENTS_DIR``), as they are
  stored: already encrypted with the data keys (approdi/core/files.py). They are listed after the database is
  dumped, so every document the dump names has its file in the archive.

Never a key: neither ``SECRET_KEY`` nor the encryption or index keys are in it, and the identities it holds stay
encrypted with the data keys. The archive is encrypted with ``APPRODI_BACKUP_KEY`` (AES-256-GCM in 1 MiB chunks,
each authenticated with its position and whether it is the last, under a key derived with HKDF from the backup
key and a salt of the archive), so a wrong key, a changed byte, chunks moved or a truncated file are refused.

A restore decrypts into a private temporary directory, checks every file against the manifest, refuses a database
that is not empty, restores, then counts and checksums every table again against the manifest.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import constant_time, hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections
from django.utils import timezone

FORMAT = 1
MAGIC = b"APPRODI-BACKUP-1\n"
SALT_BYTES = 16
CHECK_BYTES = 32
CHUNK = 1 << 20
MANIFEST = "manifest.json"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Connection settings pg_dump and pg_restore understand (libpq's names).
LIBPQ = {"host", "port", "user", "dbname", "sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "options"}


class BackupError(Exception):
    """A backup or restore that must not go on; the message says why, for the operator."""


# --- the backup key and the encrypted stream ----------------------------------------------------------


def backup_key() -> bytes:
    """``APPRODI_BACKUP_KEY`` (or the file ``APPRODI_BACKUP_KEY_FILE`` names): 32 bytes, URL-safe base64."""
    text = settings.APPRODI_BACKUP_KEY
    if not text:
        raise BackupError(
            "APPRODI_BACKUP_KEY is not set (or APPRODI_BACKUP_KEY_FILE naming a file that holds it). Generate one "
            "with: .venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
            " and keep it apart from the backups (README.md, 'Backups')."
        )
    if text in settings.APPRODI_ENCRYPTION_KEYS or text == settings.APPRODI_INDEX_KEY:
        raise BackupError("APPRODI_BACKUP_KEY must be a key of its own, not one of the data keys.")
    try:
        key = base64.urlsafe_b64decode(text.encode())
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise BackupError("APPRODI_BACKUP_KEY is not a key: 32 bytes in URL-safe base64 (44 characters) expected.")
    return key


def _derive(key: bytes, salt: bytes) -> tuple[AESGCM, bytes]:
    material = HKDF(algorithm=hashes.SHA256(), length=32 + CHECK_BYTES, salt=salt, info=b"approdi backup").derive(key)
    return AESGCM(material[:32]), material[32:]


def _nonce(index: int, final: bool) -> bytes:
    return index.to_bytes(8, "big") + (b"\x00\x00\x00\x01" if final else b"\x00\x00\x00\x00")


class EncryptingWriter(io.RawIOBase):
    """A write-only stream: what is written goes to ``target`` encrypted, chunk by chunk; ``close`` seals it."""

    def __init__(self, target: IO[bytes], key: bytes):
        salt = os.urandom(SALT_BYTES)
        self.cipher, check = _derive(key, salt)
        self.header = MAGIC + salt + check
        self.target, self.buffer, self.index = target, bytearray(), 0
        target.write(self.header)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:
            self._emit(bytes(self.buffer[:CHUNK]), final=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _emit(self, plain: bytes, *, final: bool) -> None:
        sealed = self.cipher.encrypt(_nonce(self.index, final), plain, self.header)
        self.target.write(len(sealed).to_bytes(4, "big") + sealed)
        self.index += 1

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self.buffer), final=True)
            self.buffer.clear()
        super().close()


class DecryptingReader(io.RawIOBase):
    """Reads an archive ``EncryptingWriter`` wrote; every chunk is authenticated before a byte of it is given."""

    def __init__(self, source: IO[bytes], key: bytes):
        self.source = source
        self.header = source.read(len(MAGIC) + SALT_BYTES + CHECK_BYTES)
        if not self.header.startswith(MAGIC) or len(self.header) != len(MAGIC) + SALT_BYTES + CHECK_BYTES:
            raise BackupError("This file is not an Approdi backup archive.")
        salt, check = self.header[len(MAGIC) : len(MAGIC) + SALT_BYTES], self.header[len(MAGIC) + SALT_BYTES :]
        self.cipher, expected = _derive(key, salt)
        if not constant_time.bytes_eq(check, expected):
            raise BackupError("Wrong backup key: this archive was made with another APPRODI_BACKUP_KEY.")
        self.plain, self.index, self.ended = b"", 0, False

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> None:
        length = self.source.read(4)
        if len(length) < 4:
            raise BackupError("The archive is truncated: it ends before its last part.")
        size = int.from_bytes(length, "big")
        sealed = self.source.read(size) if size <= CHUNK + 16 else b""
        if len(sealed) != size or size < 16:
            raise BackupError("The archive is damaged or was altered: it cannot be restored.")
        for final in (False, True):
            try:
                self.plain = self.cipher.decrypt(_nonce(self.index, final), sealed, self.header)
            except InvalidTag:
                continue
            self.index, self.ended = self.index + 1, final
            if final and self.source.read(1):
                raise BackupError("The archive is damaged or was altered: data follows its last part.")
            return
        raise BackupError("The archive is damaged or was altered: it cannot be restored.")

    def readinto(self, target: Any) -> int:
        while not self.plain and not self.ended:
            self._next_chunk()
        count = min(len(target), len(self.plain))
        target[:count] = self.plain[:count]
        self.plain = self.plain[count:]
        return count

    def read_to_end(self) -> None:
        """Reads (and so authenticates) what the tar reader left, up to the sealed end."""
        while self.readinto(bytearray(CHUNK)):
            pass


# --- what the manifest records ------------------------------------------------------------------------


def _fold(rows: Iterator[Any]) -> tuple[int, str]:
    """(row count, checksum): the sum of each row's hash, so the order rows come in does not matter."""
    count, total = 0, 0
    for row in rows:
        count += 1
        total = (total + int.from_bytes(hashlib.sha256(repr(tuple(row)).encode()).digest()[:8], "big")) % (1 << 64)
    return count, f"{total:016x}"


def sqlite_tables(connection: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    tables = {}
    for name in names:
        quoted = name.replace('"', '""')
        count, checksum = _fold(connection.execute(f'SELECT * FROM "{quoted}"'))  # noqa: S608 - a table's name
        tables[name] = {"rows": count, "checksum": checksum}
    return tables


# The text form of a row depends on these; both ends of a backup set them alike.
PG_SESSION = (
    "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1"
)


def postgres_tables(connection: Any) -> dict[str, dict[str, Any]]:
    """Each table of the schemas Approdi uses, counted and summed in the database (no rows leave it)."""
    names = connection.execute(
        "SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') "
        "ORDER BY 1, 2"
    ).fetchall()
    tables = {}
    for schema, table in names:
        qualified = '"{}"."{}"'.format(schema.replace('"', '""'), table.replace('"', '""'))
        count, total = connection.execute(
            "SELECT count(*), COALESCE(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0)::text "  # noqa: S608
            f"FROM {qualified} t"
        ).fetchone()
        key = table if schema == "public" else f"{schema}.{table}"
        tables[key] = {"rows": count, "checksum": total}
    return tables


# --- the database -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    """The database a backup reads or a restore writes: Django's settings of one alias."""

    vendor: str
    settings: dict[str, Any]

    @classmethod
    def of(cls, alias: str = "default") -> Database:
        wrapper = connections[alias]
        if wrapper.vendor not in DUMPS:
            raise BackupError(f"Backups support SQLite and PostgreSQL, not {wrapper.vendor}.")
        return cls(vendor=wrapper.vendor, settings=dict(wrapper.settings_dict))

    def libpq(self) -> tuple[str, dict[str, str]]:
        """(conninfo without the password, environment with PGPASSWORD) for psql's tools and psycopg."""
        from psycopg.conninfo import make_conninfo

        s = self.settings
        params = {"dbname": s["NAME"], "user": s.get("USER"), "host": s.get("HOST"), "port": s.get("PORT")}
        params |= {k: v for k, v in (s.get("OPTIONS") or {}).items() if k in LIBPQ}
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        if s.get("PASSWORD"):
            env["PGPASSWORD"] = str(s["PASSWORD"])
        return make_conninfo(**{k: str(v) for k, v in params.items() if v not in (None, "")}), env

    @contextmanager
    def postgres(self) -> Iterator[Any]:
        import psycopg

        conninfo, env = self.libpq()
        with psycopg.connect(conninfo, password=env.get("PGPASSWORD"), autocommit=True) as connection:
            connection.execute(PG_SESSION)
            yield connection

    def sqlite_path(self) -> str:
        return str(self.settings["NAME"])

    def is_empty(self) -> bool:
        if self.vendor == "sqlite":
            with closing(sqlite3.connect(self.sqlite_path(), uri=True)) as connection:
                return not connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        with self.postgres() as connection:
            return not connection.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            ).fetchone()[0]

    def tables(self) -> dict[str, dict[str, Any]]:
        if self.vendor == "sqlite":
            with closing(sqlite3.connect(self.sqlite_path(), uri=True)) as connection:
                return sqlite_tables(connection)
        with self.postgres() as connection:
            return postgres_tables(connection)


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - fixed tools
    if done.returncode:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:2000]}")


def _dump(database: Database, target: Path) -> dict[str, dict[str, Any]]:
    """Writes a consistent copy of the database to ``target``; answers the tables as that copy holds them."""
    if database.vendor == "sqlite":
        live = connections["default"]
        live.ensure_connection()
        with closing(sqlite3.connect(target)) as copy:
            live.connection.backup(copy)  # one step: a consistent copy, writers wait for it
            return sqlite_tables(copy)
    conninfo, env = database.libpq()
    with database.postgres() as connection:
        connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}", conninfo], env)
        tables = postgres_tables(connection)  # in the snapshot pg_dump read
        connection.execute("COMMIT")
    return tables


def _load(database: Database, source: Path) -> None:
    if database.vendor == "sqlite":
        connections["default"].close()
        with closing(sqlite3.connect(source)) as copy, closing(sqlite3.connect(database.sqlite_path(), uri=True)) as db:
            copy.backup(db)
        return
    conninfo, env = database.libpq()
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={conninfo}", str(source)], env)


# --- files --------------------------------------------------------------------------------------------


def _media_root() -> Path | None:
    location = getattr(default_storage, "location", None)
    return Path(location) if location else None


def _documents_root() -> Path | None:
    location = getattr(settings, "APPRODI_DOCUMENTS_DIR", None)
    return Path(location) if location else None


# Where each kind of file of the archive lives: its prefix in the archive and the directory it comes from.
_FILE_ROOTS = {"media/": _media_root, "documents/": _documents_root}


def _media_files() -> dict[str, Path]:
    """The files of every root of ``_FILE_ROOTS`` (a document still being written, ``.part``, is not one)."""
    found: dict[str, Path] = {}
    for prefix, root_of in _FILE_ROOTS.items():
        root = root_of()
        if root is None or not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix != ".part":
                found[prefix + path.relative_to(root).as_posix()] = path
    return found


def _file_target(name: str) -> Path | None:
    """Where a file of the archive is restored: under its root, by its prefix."""
    for prefix, root_of in _FILE_ROOTS.items():
        if name.startswith(prefix):
            root = root_of()
            return None if root is None else root / name.removeprefix(prefix)
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


# --- backup and restore -------------------------------------------------------------------------------


def write_backup(output: Path, *, key: bytes, database: Database | None = None) -> dict[str, Any]:
    """Writes the encrypted archive to ``output`` (mode 0600, refused if it exists); answers its manifest."""
    database = database or Database.of()
    with tempfile.TemporaryDirectory(prefix="approdi-backup-") as work:
        dump = Path(work) / DUMPS[database.vendor]
        tables = _dump(database, dump)
        files = {DUMPS[database.vendor]: dump} | _media_files()
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "vendor": database.vendor,
            "tables": tables,
            "files": {name: _sha256(path) for name, path in files.items()},
        }
        try:
            descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise BackupError(f"{output} exists already: give a new file name.") from None
        try:
            with (
                os.fdopen(descriptor, "wb") as target,
                EncryptingWriter(target, key) as sealed,
                tarfile.open(fileobj=sealed, mode="w|") as archive,
            ):
                body = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(body)
                archive.addfile(info, io.BytesIO(body))
                for name, path in files.items():
                    archive.add(path, arcname=name, recursive=False)
        except BaseException:
            output.unlink(missing_ok=True)
            raise
    return manifest


def _unpack(archive: Path, key: bytes, into: Path) -> dict[str, Any]:
    """Decrypts and unpacks every file; answers the manifest once each file matches it."""
    found: dict[str, Path] = {}
    with archive.open("rb") as source:
        reader = DecryptingReader(source, key)
        try:
            with tarfile.open(fileobj=reader, mode="r|") as members:
                for member in members:
                    name = PurePosixPath(member.name)
                    if not member.isfile() or name.is_absolute() or ".." in name.parts or member.name in found:
                        raise BackupError(f"The archive holds an unexpected entry: {member.name!r}.")
                    path = into / f"{len(found):06d}"
                    with members.extractfile(member) as stream, path.open("wb") as target:  # type: ignore[union-attr]
                        shutil.copyfileobj(stream, target)
                    found[member.name] = path
        except tarfile.TarError as error:
            raise BackupError(f"The archive is damaged: {error}.") from None
        reader.read_to_end()
    try:
        manifest = json.loads(found.pop(MANIFEST).read_text(encoding="utf-8"))
    except (KeyError, ValueError):
        raise BackupError("The archive has no readable manifest.") from None
    if manifest.get("format") != FORMAT or manifest.get("vendor") not in DUMPS:
        raise BackupError("The archive's manifest is of an unknown format.")
    listed = manifest.get("files") or {}
    if set(listed) != set(found) or any(_sha256(found[name]) != digest for name, digest in listed.items()):
        raise BackupError("The archive does not match its manifest (files missing, added or changed): not restored.")
    manifest["_paths"] = found
    return manifest


def restore_backup(archive: Path, *, key: bytes, database: Database | None = None) -> dict[str, Any]:
    """Restores the archive into an empty database and checks every table against the manifest."""
    database = database or Database.of()
    with tempfile.TemporaryDirectory(prefix="approdi-restore-") as work:
        manifest = _unpack(archive, key, Path(work))
        paths: dict[str, Path] = manifest.pop("_paths")
        if manifest["vendor"] != database.vendor:
            raise BackupError(
                f"This archive holds a {manifest['vendor']} database; DATABASE_URL names a {database.vendor} one."
            )
        if not database.is_empty():
            raise BackupError(
                f"The database {database.settings['NAME']} is not empty: a backup is restored only into an empty "
                "database. Create a new one (or drop this one if you mean to replace it) and run restore again."
            )
        media = {n: p for n, p in paths.items() if n.startswith(tuple(_FILE_ROOTS))}
        targets = {name: _file_target(name) for name in media}
        for name, target in targets.items():
            if target is None:
                raise BackupError(f"The archive holds {name}, but no directory is configured to restore it into.")
            if target.exists():
                raise BackupError(
                    f"{target.parent} already holds files of the archive: restore into empty media and documents "
                    "directories."
                )
        _load(database, paths[DUMPS[database.vendor]])
        for name, path in media.items():
            target = targets[name]
            assert target is not None  # checked above
            target.parent.mkdir(parents=True, exist_ok=True)
            target.parent.chmod(0o700)
            shutil.copyfile(path, target)
            target.chmod(0o600)
    restored = database.tables()
    different = sorted(
        name for name in set(manifest["tables"]) | set(restored) if manifest["tables"].get(name) != restored.get(name)
    )
    if different:
        raise BackupError(
            "The restored database does not match the archive's manifest (tables: "
            + ", ".join(different[:20])
            + "). Do not use it: drop it and restore again."
        )
    return manifest
