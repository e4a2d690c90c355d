"""Imports read within limits: files built to hold a worker are refused with a message, quickly."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.utils import translation

from jiayuan.core.exceptions import ImportRejected
from jiayuan.core.tests.test_xlsx import HEADERS, SPEC, upload
from jiayuan.core.xlsx import reading


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def good_row() -> list[object]:
    return ["甲", "640104", 3, "10.5", "商品房", None, None]


def test_a_sheet_of_blank_rows_is_refused_without_reading_them_all():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(good_row())
    sheet.cell(row=SPEC.blank_rows_allowed + 10, column=1, value="甲")  # far below: blank rows between
    output = io.BytesIO()
    workbook.save(output)
    with pytest.raises(ImportRejected) as rejected:
        SPEC.read(output.getvalue())
    assert "empty rows" in rejected.value.message


def test_a_few_blank_rows_between_data_are_fine():
    rows = [HEADERS, good_row(), *([[None]] * 5), good_row()]
    assert len(SPEC.read(upload(rows)).rows) == 2


def with_text_replaced(data: bytes, placeholder: str, text: str) -> bytes:
    """The workbook with a placeholder's text replaced in every part (openpyxl truncates long cells)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info).replace(placeholder.encode(), text.encode()))
    return output.getvalue()


def test_a_cell_longer_than_excel_allows_is_a_located_error():
    row = good_row()
    row[0] = "PLACEHOLDER"
    data = with_text_replaced(
        upload([HEADERS, row]).read(), "PLACEHOLDER", "甲" * (reading.MAX_CELL_CHARACTERS + 1)
    )
    sheet = SPEC.read(data)
    assert [(e.row, e.column) for e in sheet.errors] == [(2, "A")]
    assert "32767" in sheet.errors[0].message


def zipped(parts: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return output.getvalue()


def test_one_huge_part_is_refused_before_openpyxl_reads_it():
    data = zipped(
        {"xl/workbook.xml": b"<workbook/>", "xl/sharedStrings.xml": b"x" * (reading.MAX_PART_BYTES + 1)}
    )
    assert len(data) < 1024 * 1024  # small on the wire, as the attacker's was
    with pytest.raises(ImportRejected) as rejected:
        SPEC.read(data)
    assert "too large once unpacked" in rejected.value.message


def test_reading_is_bounded_in_time(settings):
    settings.JIAYUAN_IMPORT_MAX_SECONDS = -1  # already past the deadline at the first row
    with pytest.raises(ImportRejected) as rejected:
        SPEC.read(upload([HEADERS, good_row()]))
    assert "took too long" in rejected.value.message


def test_columns_far_to_the_right_are_not_read():
    row = good_row() + [None] * 200 + ["远处的值"]
    assert len(SPEC.read(upload([HEADERS, row])).rows) == 1
