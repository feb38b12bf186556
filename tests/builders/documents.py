"""Files for the documents' tests: a PDF with a marker in plain text, a program renamed ``.pdf``, photos whose
EXIF says where they were taken."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, PngImagePlugin

MARKER = b"OKORO-BLESSING-MARKER-7731"


def pdf_with_marker() -> bytes:
    """A small PDF whose page text holds ``MARKER`` uncompressed."""
    stream = b"BT /F1 12 Tf 72 720 Td (" + MARKER + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    for number, body in enumerate(objects, start=1):
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    return out + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def executable() -> bytes:
    """The first bytes of a Windows program (MZ header), then padding."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program cannot be run"


GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (45.0, 28.0, 1.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (9.0, 11.0, 2.0),
}


def _exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Camera-Model-XY"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    return exif


def jpeg_with_gps() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="JPEG", exif=_exif_with_gps(), comment=b"Via Roma 1")
    return out.getvalue()


def png_with_gps() -> bytes:
    out = io.BytesIO()
    text = PngImagePlugin.PngInfo()
    text.add_text("Location", "Via Roma 1, Milano")
    Image.new("RGB", (40, 30), (30, 200, 30)).save(out, format="PNG", exif=_exif_with_gps(), pnginfo=text)
    return out.getvalue()


def has_gps(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))


def upload(content: bytes, name: str = "permesso-okoro.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def form(content: bytes, *, name: str = "permesso-okoro.pdf", **fields) -> dict:
    """What the page posts to keep a document: a permit copy dated 5 March 2024, for the whole team."""
    return {
        "file": upload(content, name),
        "kind": "permit_copy",
        "day": "2024-03-05",
        "expiry": "",
        "domain": "general",
        "confidentiality": "team",
        **fields,
    }
