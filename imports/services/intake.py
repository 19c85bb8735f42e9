"""Checks on the uploaded bytes before any parser sees them: hash, type, zip sanity.

Every rejection is an IntakeError with a one-line message a modeller understands
(RELIABILITY.md 1.1-1.2): not a workbook, an old .xls, password-protected, damaged,
a zip bomb, a binary .xlsb.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

# Apache POI's ZipSecureFile model: entry count, sizes, and an inflate ratio checked
# only above a grace size.
MAX_ENTRIES = 10_000
MAX_TOTAL_UNCOMPRESSED = 2 * 1024**3
MAX_ENTRY_UNCOMPRESSED = 1024**3
MAX_RATIO = 100
RATIO_GRACE_BYTES = 1024 * 1024


class IntakeError(Exception):
    """The file is not something we can import; the message says why, in one line."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


@dataclass
class FileFacts:
    sha256: str
    size: int
    kind: str = ""  # xlsx / xlsm
    has_macros: bool = False


def hash_file(path: Path) -> FileFacts:
    """SHA-256 and size of the file, streamed."""
    with open(path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256")
    return FileFacts(sha256=digest.hexdigest(), size=path.stat().st_size)


def inspect_file(path: Path, facts: FileFacts) -> FileFacts:
    """Reject anything that is not a sane .xlsx/.xlsm zip; say what it is instead."""
    if facts.size == 0:
        raise IntakeError("The file is empty (0 bytes).", "empty")
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(CFB_MAGIC):
        raise _cfb_error(path)
    if not head.startswith(ZIP_MAGIC):
        raise IntakeError(
            "This is not an Excel workbook (.xlsx/.xlsm): the file is not a zip archive.",
            "not_a_workbook",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            names = _check_archive(archive)
            bad = archive.testzip() if facts.size < 64 * 1024 * 1024 else None
    except zipfile.BadZipFile as exc:
        raise IntakeError(f"The workbook is damaged or truncated ({exc}).", "damaged") from exc
    if bad is not None:
        raise IntakeError(f"The workbook is damaged: part {bad} fails its checksum.", "damaged")
    return _classify_parts(names, facts)


def _check_archive(archive: zipfile.ZipFile) -> set[str]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise IntakeError(
            f"The archive has {len(infos)} parts; a workbook has far fewer.", "zip_bomb"
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_ENTRY_UNCOMPRESSED or total > MAX_TOTAL_UNCOMPRESSED:
            raise IntakeError(
                "The archive inflates to more than we accept (zip bomb?).", "zip_bomb"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_GRACE_BYTES and ratio > MAX_RATIO:
            raise IntakeError(
                f"Part {info.filename} expands {ratio:.0f}-fold; refusing a likely zip bomb.",
                "zip_bomb",
            )
    return {info.filename for info in infos}


def _classify_parts(names: set[str], facts: FileFacts) -> FileFacts:
    if "xl/workbook.bin" in names:
        raise IntakeError(
            "This is a binary workbook (.xlsb); save it as .xlsx and upload again.", "xlsb"
        )
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names or "ppt/presentation.xml" in names:
            raise IntakeError(
                "This is a Word or PowerPoint file, not an Excel workbook.", "not_a_workbook"
            )
        raise IntakeError(
            "This zip archive is not an Excel workbook (it has no xl/workbook.xml).",
            "not_a_workbook",
        )
    if "[Content_Types].xml" not in names:
        raise IntakeError("The workbook is damaged: [Content_Types].xml is missing.", "damaged")
    facts.has_macros = "xl/vbaProject.bin" in names
    facts.kind = "xlsm" if facts.has_macros else "xlsx"
    return facts


def _cfb_error(path: Path) -> IntakeError:
    """An OLE compound file is either a password-protected .xlsx or a legacy .xls."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir()}
    except Exception:  # noqa: BLE001 - any parse failure means: damaged CFB
        return IntakeError("This is an Office compound file that cannot be read.", "damaged")
    if "encryptedpackage" in streams or "encryptioninfo" in streams:
        return IntakeError(
            "This workbook is password-protected; remove the password in Excel and upload again.",
            "encrypted",
        )
    if "workbook" in streams or "book" in streams:
        return IntakeError(
            "This is an old Excel 97-2003 .xls file; save it as .xlsx and upload again.", "xls"
        )
    return IntakeError("This is an Office compound file, not an Excel workbook.", "not_a_workbook")
