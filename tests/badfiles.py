"""Builders of the bad inputs users really upload, made from corpus workbooks at test time."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

GOOD = "pycel/circular.xlsx"


def empty(tmp: Path) -> Path:
    path = tmp / "empty.xlsx"
    path.write_bytes(b"")
    return path


def not_a_zip(tmp: Path) -> Path:
    path = tmp / "notes.xlsx"
    path.write_text("quarter,revenue\nQ1,100\n")
    return path


def truncated(tmp: Path, good: Path) -> Path:
    data = good.read_bytes()
    path = tmp / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def legacy_xls(tmp: Path) -> Path:
    import xlwt

    book = xlwt.Workbook()
    book.add_sheet("Sheet1").write(0, 0, 1)
    path = tmp / "old-format.xlsx"  # renamed, as users do
    book.save(str(path))
    return path


def encrypted(tmp: Path, good: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    path = tmp / "protected.xlsx"
    with open(good, "rb") as source, open(path, "wb") as target:
        OOXMLFile(source).encrypt("secret", target)
    return path


def no_sheets(tmp: Path, good: Path) -> Path:
    """The same package with every <sheet> removed from xl/workbook.xml."""
    path = tmp / "no-sheets.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                text = data.decode("utf-8")
                text = re.sub(r"<sheets>.*?</sheets>", "<sheets/>", text, flags=re.S)
                text = re.sub(r"<definedNames>.*?</definedNames>", "", text, flags=re.S)
                data = text.encode("utf-8")
            target.writestr(info, data)
    return path


def zip_bomb(tmp: Path) -> Path:
    """A small archive whose one part inflates to 200 MB of zeros."""
    path = tmp / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        chunk = b"\0" * (1024 * 1024)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for _ in range(200):
                part.write(chunk)
    return path


def word_document(tmp: Path) -> Path:
    path = tmp / "report.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    path.write_bytes(buffer.getvalue())
    return path


def with_cached_values(tmp: Path, good: Path, sheet_part: str, changes: dict[str, str]) -> Path:
    """A copy whose cached <v> values of the given cells (A1 -> new text) are altered."""
    path = tmp / ("altered-" + good.name)
    with (
        zipfile.ZipFile(good) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == sheet_part:
                text = data.decode("utf-8")
                for ref, value in changes.items():
                    pattern = re.compile(rf'(<c r="{ref}"[^>]*>.*?<v>)([^<]*)(</v>)', re.S)
                    text, count = pattern.subn(lambda m, v=value: m.group(1) + v + m.group(3), text)
                    assert count == 1, f"cell {ref} not found in {sheet_part}"
                data = text.encode("utf-8")
            target.writestr(info, data)
    return path
