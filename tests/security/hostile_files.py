"""Hostile uploads for the form fuzz (tests/security/test_fuzz_forms.py and
test_fuzz_admin_forms.py): empty files, a decompression-bomb PNG, files whose extension lies,
ZIP bombs and broken ZIPs where a SCORM package is expected, NUL bytes, path separators and 300
characters in the file name, over-long CSV cells, UTF-16 text, script in an SVG."""

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st


@dataclass(frozen=True)
class HostileFile:
    name: str
    content: bytes
    content_type: str

    def __repr__(self):
        return f"<file {self.name[:40]!r}, {len(self.content)} bytes>"


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width, height):
    """A valid PNG of width × height black pixels (one bit each): 13,000 × 13,000 in ~20 KB."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


MANIFEST = b"""<?xml version="1.0"?>
<manifest identifier="bomb" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>Bomb</title>
    <item identifier="i" identifierref="r"><title>Bomb</title></item>
  </organization></organizations>
  <resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="index.html">
    <file href="index.html"/></resource></resources>
</manifest>"""


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


@cache
def hostile_files():
    small_png = png(8, 8)
    zeros = b"\x00" * (64 * 1024 * 1024)
    return (
        HostileFile("empty.png", b"", "image/png"),
        HostileFile("empty.zip", b"", "application/zip"),
        HostileFile("bomb.png", png(13_000, 13_000), "image/png"),
        HostileFile("photo.csv", small_png, "text/csv"),
        HostileFile("listing.png", b"title;waste_code\nJersey;04 02 22\n", "image/png"),
        HostileFile("a\x00b.png", small_png, "image/png"),
        HostileFile("x" * 300 + ".png", small_png, "image/png"),
        HostileFile("../../etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n", "text/plain"),
        HostileFile("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml"),
        # SCORM: 64 MB of zeros behind a valid manifest, 5,000 entries, a truncated archive.
        HostileFile("bomb.zip", _zip([("imsmanifest.xml", MANIFEST), ("index.html", zeros)]), "application/zip"),
        HostileFile("many.zip", _zip([("imsmanifest.xml", MANIFEST)] + [(f"f{n}.html", b"") for n in range(5000)]), "application/zip"),
        HostileFile("broken.zip", _zip([("imsmanifest.xml", MANIFEST)])[:60], "application/zip"),
        HostileFile("evil.zip", _zip([("imsmanifest.xml", MANIFEST), ("../../index.html", b"x")]), "application/zip"),
        # Text files of the importers (GIFT, Aiken, CSV).
        HostileFile("bank.gift", b"::Q1:: What?\x00 {=a ~b}\n\n::Q2 {#1e400}", "text/plain"),
        HostileFile("bank.txt", "Question?\nA. yes\nANSWER: Z\n".encode("utf-16"), "text/plain"),
        HostileFile("big.csv", b"title;waste_code\n" + b"a" * 200_000 + b";x\n", "text/csv"),
        HostileFile("nul.csv", b"title\x00;waste_code\n\x00;\x00\n", "text/csv"),
        HostileFile("latin.csv", "tytuł;kod\nŁódź;04 02 22\n".encode("cp1250"), "text/csv"),
    )  # fmt: skip


def hostile_file():
    return st.sampled_from(hostile_files())


def upload(file: HostileFile):
    return SimpleUploadedFile(file.name, file.content, file.content_type)
