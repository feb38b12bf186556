"""Files kept for people (documents with a person or a case): what they are, cleaned, encrypted at rest.

A file's type is read from its first bytes (its "magic number"), never from its name or from what the browser
says: a program renamed ``.pdf`` is refused. Images are decoded and saved again without their metadata (EXIF,
GPS position, camera, XMP, comments). The content is stored as a Fernet token under the same keys as the
identity fields (``crypto.encrypt_bytes``), in ``settings.APPRODI_DOCUMENTS_DIR`` (a private directory of var/),
under a random name that says nothing about the person.
"""

from __future__ import annotations

import io
import os
import secrets
import warnings
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .crypto import decrypt_bytes, encrypt_bytes, fernet

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
_SIGNATURES = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
# An image is decoded to be cleaned: more pixels than a 50-megapixel photograph are refused (a "decompression
# bomb" would fill the memory).
MAX_PIXELS = 50_000_000
_NAME_LENGTH = 32  # hexadecimal characters of a stored file's random name


def sniff(head: bytes) -> str | None:
    """The content type the first bytes show, among PDF, JPEG and PNG; None for anything else."""
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def accepted(data: bytes) -> tuple[str, bytes]:
    """The content type and the content to keep: a PDF as it is, an image without its metadata.

    Raises ``ValidationError`` (with a message for the person who uploads) for any other file.
    """
    content_type = sniff(data[:16])
    if content_type is None:
        raise ValidationError(
            _("This file is not a PDF, JPEG or PNG (whatever its name says): it was not saved."), code="type"
        )
    if content_type == PDF:
        return content_type, data
    return content_type, without_metadata(data, content_type)


def without_metadata(data: bytes, content_type: str) -> bytes:
    """The image drawn again, turned as its EXIF orientation said, with no EXIF, GPS, XMP, comment or text."""
    unreadable = ValidationError(_("This image cannot be read: it was not saved."), code="image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise ValidationError(_("This image is too large to be kept: it was not saved."), code="pixels")
                image.load()
                upright = ImageOps.exif_transpose(image) or image
                clean = upright.copy()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise unreadable from error
    except Image.DecompressionBombWarning as error:
        raise ValidationError(_("This image is too large to be kept: it was not saved."), code="pixels") from error
    clean.info = {}  # the comment, EXIF, XMP and text chunks Pillow would otherwise write back
    out = io.BytesIO()
    if content_type == JPEG:
        if clean.mode not in ("RGB", "L", "CMYK"):
            clean = clean.convert("RGB")
        clean.save(out, format="JPEG", quality=92)
    else:
        clean.save(out, format="PNG")
    return out.getvalue()


def directory() -> Path:
    """The private directory of stored documents, created (mode 0700) on first use."""
    path = Path(settings.APPRODI_DOCUMENTS_DIR)
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def _path(name: str) -> Path:
    if len(name) != _NAME_LENGTH or not all(c in "0123456789abcdef" for c in name):
        raise ValueError("Not the name of a stored document")
    return directory() / name


def _write(path: Path, token: bytes) -> None:
    """Writes ``token`` to ``path`` whole or not at all (a partial file, then renamed), mode 0600."""
    partial = path.with_suffix(".part")
    fd = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(token)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)


def store(data: bytes) -> str:
    """Encrypts ``data`` into a new file (mode 0600, written whole or not at all) and returns its name."""
    name = secrets.token_hex(_NAME_LENGTH // 2)
    path = _path(name)
    if path.exists():  # 128 random bits: never, but a file is never overwritten
        raise FileExistsError(path)
    _write(path, encrypt_bytes(data))
    return name


def load(name: str) -> bytes:
    return decrypt_bytes(_path(name).read_bytes())


def remove(name: str) -> None:
    """Deletes a stored file (a file already gone is not an error: the purge may be run again)."""
    _path(name).unlink(missing_ok=True)


def reencrypt_all() -> int:
    """Re-encrypts every stored file with the newest key (``manage.py rotate_encryption_keys``); answers how many."""
    root = Path(settings.APPRODI_DOCUMENTS_DIR)
    if not root.is_dir():
        return 0
    count = 0
    for path in sorted(root.iterdir()):
        if path.is_file() and path.suffix != ".part":
            _write(path, fernet().rotate(path.read_bytes()))
            count += 1
    return count
