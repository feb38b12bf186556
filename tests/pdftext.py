"""The text of the PDFs Approdi writes, for tests: no PDF library is installed, fpdf2's output is read directly."""

from __future__ import annotations

import re
import zlib

ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}


def _unescape(literal: bytes) -> bytes:
    def one(match):
        code = match.group(1)
        return bytes([int(code, 8)]) if code[:1].isdigit() else ESCAPES.get(code, code)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, literal, flags=re.S)


def _objects(content: bytes) -> dict[int, tuple[bytes, bytes]]:
    """{number: (dictionary, stream decompressed or b"")} of every object of the file.

    A stream is read by its ``/Length``: compressed bytes may happen to contain "endobj" or "endstream".
    """
    found = {}
    start = re.compile(rb"(\d+) 0 obj")
    at = 0
    while match := start.search(content, at):
        end = content.index(b"endobj", match.end())
        opens = content.find(b"stream", match.end(), end)
        stream = b""
        if opens == -1:
            head = content[match.end() : end]
        else:
            head = content[match.end() : opens]
            first = opens + len(b"stream") + (2 if content[opens + 6 : opens + 8] == b"\r\n" else 1)
            raw = content[first : first + int(re.search(rb"/Length (\d+)", head).group(1))]
            stream = zlib.decompress(raw) if b"/FlateDecode" in head else raw
            end = content.index(b"endobj", first + len(raw))
        found[int(match.group(1))] = (head, stream)
        at = end + len(b"endobj")
    return found


def _unicode_map(cmap: bytes) -> dict[int, str]:
    glyphs = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            glyphs[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, first in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                glyphs[code] = chr(int(first, 16) + offset)
    return glyphs


def pdf_text(content: bytes) -> str:
    """The text an fpdf2 PDF shows, one line per text operator, in the order it is drawn.

    fpdf2 compresses the page streams and writes text in its embedded TrueType fonts as 2-byte glyph codes,
    each font with its own codes and its own ToUnicode map (no PDF library is installed: the file is read
    directly; enough for fpdf2's output, not for any PDF).
    """
    objects = _objects(content)
    fonts: dict[bytes, dict[int, str] | None] = {}  # resource name -> glyph map (None: a simple font)
    for head, _stream in objects.values():
        for block in re.findall(rb"/Font\s*<<(.*?)>>", head, re.S):
            for name, number in re.findall(rb"/(\w+)\s+(\d+) 0 R", block):
                font = objects[int(number)][0]
                to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", font)
                fonts[name] = _unicode_map(objects[int(to_unicode.group(1))][1]) if to_unicode else None
    lines = []
    for head, _stream in objects.values():
        if b"/Type /Page" not in head or b"/Contents" not in head:
            continue
        for number in re.findall(rb"(\d+) 0 R", re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", head).group(1)):
            glyphs = None
            operators = rb"/(\w+)\s+[\d.]+\s+Tf|\(((?:[^()\\]|\\.)*)\)\s*Tj"
            for match in re.finditer(operators, objects[int(number)][1], re.S):
                if match.group(1) is not None:
                    glyphs = fonts.get(match.group(1))
                    continue
                raw = _unescape(match.group(2))
                if glyphs is None:
                    lines.append(raw.decode("latin-1"))
                else:
                    codes = (int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw) - 1, 2))
                    lines.append("".join(glyphs.get(code, "\ufffd") for code in codes))
    return "\n".join(lines)
