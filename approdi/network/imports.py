"""Running an import into a programme: all or nothing, each file once, audited.

Reading and validating the file is ``approdi.core.importing``'s; this half writes, so it audits, and it
remembers each file by its hash in the programme it was imported into.
"""

from __future__ import annotations

import hashlib
import io
from contextlib import nullcontext
from pathlib import Path
from typing import BinaryIO

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.importing import REGISTRY, ImportFailed, Reading, RowError, refused
from approdi.core.models import ImportedFile
from approdi.network.closing import reports_read_once
from approdi.network.dates import today_read_once


def run_import(
    kind: str,
    content: bytes | BinaryIO,
    filename: str,
    *,
    dry_run: bool = False,
    force: bool = False,
    options: dict | None = None,
) -> int:
    """Validates the whole file and keeps it only when every row is valid. Returns the rows written (or valid).

    ``content``: the file's bytes or an open binary file (an upload), read a chunk of rows at a time. The rows
    are written chunk by chunk, in one transaction: an error in any row, the last included, undoes them all.
    Once a row has failed nothing more is written, but every row is still checked, to report every error.
    A file already imported into the programme is refused unless ``force``: its rows would count twice.
    """
    importer = REGISTRY[kind]
    options = dict(options or {})
    if importer.needs_programme and options.get("programme") is None:
        raise ImportFailed([RowError(0, "", _("this kind of import needs a programme"))])
    source = io.BytesIO(content) if isinstance(content, bytes) else content
    digest = _sha256(source)
    earlier = _earlier_import(kind, digest, options) if importer.needs_programme else None
    if earlier is not None and not force:
        raise refused(_already_imported(earlier))
    with reports_read_once(), today_read_once(), nullcontext() if dry_run else transaction.atomic():
        reading = Reading(importer, source, filename, options)
        if importer.needs_programme and not dry_run:
            entry = _remember(kind, digest, filename, forced=earlier is not None, options=options)
        writes = {**options, **reading.lookups}
        written, kept = 0, []
        for values in reading.chunks():
            if dry_run or reading.errors:
                continue
            if importer.chunked:
                written += importer.write(values, writes)
            else:
                kept += values
        if reading.errors:
            raise ImportFailed(reading.errors)
        if dry_run:
            return reading.count
        if not importer.chunked:
            written = importer.write(kept, writes)
        if importer.needs_programme:
            ImportedFile.objects.filter(pk=entry.pk).update(rows=reading.count)
        return written


def _sha256(source: BinaryIO) -> str:
    digest = hashlib.sha256()
    source.seek(0)
    while block := source.read(1024 * 1024):
        digest.update(block)
    source.seek(0)
    return digest.hexdigest()


def _earlier_import(kind: str, digest: str, options: dict):
    found = ImportedFile.objects.filter(programme=options["programme"], kind=kind, sha256=digest)
    return found.order_by("imported_at").first()


def _already_imported(earlier) -> str:
    return ngettext(
        "this file was imported into the programme on %(date)s (%(rows)s row): importing it again would count "
        "every row twice. Import it again only if that is what you mean (the page's “import it again” box, "
        "or --force)",
        "this file was imported into the programme on %(date)s (%(rows)s rows): importing it again would count "
        "every row twice. Import it again only if that is what you mean (the page's “import it again” box, "
        "or --force)",
        earlier.rows,
    ) % {"date": date_format(timezone.localtime(earlier.imported_at), "SHORT_DATETIME_FORMAT"), "rows": earlier.rows}


def _remember(kind: str, digest: str, filename: str, *, forced: bool, options: dict) -> ImportedFile:
    """Records the file's hash in the import's transaction; a concurrent import of the same file loses.

    Its rows are counted once the file is read: the entry is written first, so that a second import of the
    same file waits on it (PostgreSQL) instead of writing every row before it is refused.
    """
    actor = options.get("actor")
    try:
        with transaction.atomic():
            entry = ImportedFile.objects.create(
                programme=options["programme"],
                kind=kind,
                sha256=digest,
                filename=Path(filename).name[:255],
                rows=0,
                forced=forced,
                imported_by=actor if actor is not None and actor.is_authenticated else None,
            )
    except IntegrityError:
        raise refused(_already_imported(_earlier_import(kind, digest, options))) from None
    reason = "a file imported before, imported again on purpose (forced)" if forced else "import"
    record(actor=actor, action=Action.CREATE, obj=entry, fields=["kind", "sha256", "rows", "forced"], reason=reason)
    return entry
