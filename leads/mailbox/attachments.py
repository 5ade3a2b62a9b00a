"""What an attachment really is, read from its first bytes: the sender's Content-Type is never trusted."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

OCTET_STREAM = "application/octet-stream"

# (magic bytes at offset 0, content type, file extension)
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"GIF87a", "image/gif", ".gif"),
    (b"GIF89a", "image/gif", ".gif"),
    (b"II*\x00", "image/tiff", ".tif"),
    (b"MM\x00*", "image/tiff", ".tif"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "application/x-ole-storage",
        ".bin",
    ),  # legacy Office: may hold macros
    (b"{\\rtf", "application/rtf", ".rtf"),
    (b"Rar!\x1a\x07", "application/vnd.rar", ".rar"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed", ".7z"),
    (b"\x1f\x8b", "application/gzip", ".gz"),
)
# Files that run when opened: kept for the record, stored as inert bytes, never offered as their type.
_EXECUTABLE: tuple[bytes, ...] = (
    b"MZ",
    b"\x7fELF",
    b"#!",
    b"\xca\xfe\xba\xbe",
    b"\xcf\xfa\xed\xfe",
    b"\xfe\xed\xfa",
)
_OOXML = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
}


@dataclass(frozen=True, slots=True)
class Sniffed:
    content_type: str
    extension: str  # for the stored file name; from the bytes, never from the sender's file name
    is_executable: bool = False


def sniff(data: bytes) -> Sniffed:
    """The content type the bytes show; application/octet-stream for anything unrecognized or executable."""
    head = data[:64]
    if head.startswith(_EXECUTABLE):
        return Sniffed(OCTET_STREAM, ".bin", is_executable=True)
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return Sniffed("image/webp", ".webp")
    for magic, content_type, extension in _MAGIC:
        if head.startswith(magic):
            return Sniffed(content_type, extension)
    if _is_text(data[:8192]):
        lowered = data[:512].lstrip().lower()
        if lowered.startswith((b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml")):
            # Markup can run script in a browser: stored, but only ever handed out as plain bytes.
            return Sniffed(OCTET_STREAM, ".bin")
        return Sniffed("text/plain", ".txt")
    return Sniffed(OCTET_STREAM, ".bin")


def _zip_kind(data: bytes) -> Sniffed:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return Sniffed("application/zip", ".zip")
    if "[Content_Types].xml" in names:
        for prefix, (content_type, extension) in _OOXML.items():
            if any(name.startswith(prefix) for name in names):
                if any(name.lower().endswith("vbaproject.bin") for name in names):
                    return Sniffed(OCTET_STREAM, ".bin", is_executable=True)  # macro-enabled
                return Sniffed(content_type, extension)
    return Sniffed("application/zip", ".zip")


def _is_text(sample: bytes) -> bool:
    if not sample or b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        # The sample may end inside a multibyte character.
        return error.start >= len(sample) - 3
    return True
