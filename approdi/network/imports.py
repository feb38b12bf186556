"""Running an import into a programme: all or nothing, each file once, audited.

Reading and validating the file is ``approdi.core.importing``'s; this half writes, so it audits, and it
remembers each file by its hash in the programme it was imported into.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.importing import REGISTRY, ImportFailed, RowError, refused, validate_file
from approdi.core.models import ImportedFile


def run_import(
    kind: str,
    content: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    force: bool = False,
    options: dict | None = None,
) -> int:
    """Validates the whole file and writes it only when every row is valid. Returns rows written.

    A file already imported into the programme is refused unless ``force``: its rows would count twice.
    """
    importer = REGISTRY[kind]
    options = dict(options or {})
    if importer.needs_programme and options.get("programme") is None:
        raise ImportFailed([RowError(0, "", _("this kind of import needs a programme"))])
    digest = hashlib.sha256(content).hexdigest()
    earlier = _earlier_import(kind, digest, options) if importer.needs_programme else None
    if earlier is not None and not force:
        raise refused(_already_imported(earlier))
    values, lookups = validate_file(importer, content, filename, options)
    if dry_run:
        return len(values)
    with transaction.atomic():
        if importer.needs_programme:
            _remember(kind, digest, filename, len(values), forced=earlier is not None, options=options)
        return importer.write(values, {**options, **lookups})


def _earlier_import(kind: str, digest: str, options: dict):
    found = ImportedFile.objects.filter(programme=options["programme"], kind=kind, sha256=digest)
    return found.order_by("imported_at").first()


def _already_imported(earlier) -> str:
    return _(
        "this file was imported into the programme on %(date)s (%(rows)s rows): importing it again would count "
        "every row twice. Import it again only if that is what you mean (the page's “import it again” box, "
        "or --force)"
    ) % {"date": date_format(timezone.localtime(earlier.imported_at), "SHORT_DATETIME_FORMAT"), "rows": earlier.rows}


def _remember(kind: str, digest: str, filename: str, rows: int, *, forced: bool, options: dict) -> None:
    """Records the file's hash in the import's transaction; a concurrent import of the same file loses."""
    actor = options.get("actor")
    try:
        with transaction.atomic():
            entry = ImportedFile.objects.create(
                programme=options["programme"],
                kind=kind,
                sha256=digest,
                filename=Path(filename).name[:255],
                rows=rows,
                forced=forced,
                imported_by=actor if actor is not None and actor.is_authenticated else None,
            )
    except IntegrityError:
        raise refused(_already_imported(_earlier_import(kind, digest, options))) from None
    reason = "a file imported before, imported again on purpose (forced)" if forced else "import"
    record(actor=actor, action=Action.CREATE, obj=entry, fields=["kind", "sha256", "rows", "forced"], reason=reason)
