"""The xlsx layer reads ledgers cell by cell, names every problem by row and column, and builds templates."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from urllib.parse import quote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from jiayuan.core.exceptions import ImportRejected
from jiayuan.core.xlsx import (
    INSTRUCTIONS_TITLE,
    Choice,
    Column,
    Date,
    Integer,
    Number,
    ReferenceSheet,
    SheetSpec,
    Text,
    Year,
    code,
    xlsx_response,
)


@pytest.fixture(autouse=True)
def in_english():
    """These tests read the English message ids; test_errors_are_chinese_by_default checks zh-hans."""
    with translation.override("en"):
        yield


SPEC = SheetSpec(
    title="测试台账",
    max_rows=5,
    columns=(
        Column("名称", "name", Text(max_length=10), required=True, example="甲"),
        Column("代码", "code", code(r"\d{6}", pattern_help="A code has 6 digits."), example="640104"),
        Column(
            "套数", "count", Integer(min_value=1, max_value=10000, units=("套",)), required=True, example=3
        ),
        Column("面积(㎡)", "area", Number(places=2, min_value=Decimal("0.01")), example=Decimal("10.50")),
        Column(
            "类型",
            "kind",
            Choice([("a", "商品房"), ("b", "房改房")], aliases={"商品住宅": "a"}),
            example="商品房",
        ),
        Column("日期", "day", Date()),
        Column("年份", "year", Year()),
    ),
)


def workbook_bytes(rows: list[list[object]], *, title_rows: int = 0) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for _ in range(title_rows):
        sheet.append(["某某区住宅小区摸底统计台账"])
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(rows: list[list[object]], name: str = "台账.xlsx", **kwargs: object) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, workbook_bytes(rows, **kwargs))


HEADERS = ["名称", "代码", "套数", "面积(㎡)", "类型", "日期", "年份"]


def test_it_parses_every_kind_of_cell():
    sheet = SPEC.read(
        upload(
            [
                HEADERS,
                ["甲", 640104, "1,200套", 12.5, "商品房", dt.datetime(2024, 3, 15), "2010年"],
                ["  乙 ", "640105", 7.0, "12.30", "商品住宅", "2024年3月5日", 1999.0],
            ]
        )
    )
    assert sheet.errors == []
    assert sheet.file_name == "台账.xlsx"
    first, second = sheet.rows
    assert first.number == 2
    assert first.values == {
        "name": "甲",
        "code": "640104",
        "count": 1200,
        "area": Decimal("12.50"),
        "kind": "a",
        "day": dt.date(2024, 3, 15),
        "year": 2010,
    }
    assert (second["name"], second["count"], second["area"], second["day"]) == (
        "乙",
        7,
        Decimal("12.30"),
        dt.date(2024, 3, 5),
    )


def test_it_finds_the_header_below_title_rows_and_ignores_extra_columns():
    sheet = SPEC.read(
        upload(
            [
                ["备注", "套数", "（必填）名称 ", "面积（㎡）"],
                ["随便", 3, "甲", 1],
            ],
            title_rows=2,
        )
    )
    assert sheet.header_row == 3
    assert sheet.letters == {"count": "B", "name": "C", "area": "D"}
    assert sheet.rows[0].number == 4
    assert sheet.rows[0]["name"] == "甲"
    assert sheet.rows[0]["code"] == ""  # an optional column not in the file is blank


def test_it_names_row_column_and_header_of_each_bad_cell():
    with pytest.raises(ImportRejected) as caught:
        SPEC.read(
            upload(
                [
                    HEADERS,
                    ["甲", "64010", "约300", 1, "别墅", "明天", 1800],
                    [],
                    ["", "640104", 5, "1.234", "房改房", None, None],
                ]
            )
        ).raise_if_errors()
    errors = caught.value.errors
    assert [(e["row"], e["column"], e["header"]) for e in errors] == [
        (2, "B", "代码"),
        (2, "C", "套数"),
        (2, "E", "类型"),
        (2, "F", "日期"),
        (2, "G", "年份"),
        (4, "A", "名称"),
        (4, "D", "面积(㎡)"),
    ]
    assert errors[0]["message"] == "A code has 6 digits."
    assert "约300" in errors[1]["message"]
    assert "商品房" in errors[2]["message"]  # the allowed labels are listed
    assert "Nothing was changed" in caught.value.message


def test_a_missing_required_column_is_reported_by_its_header():
    with pytest.raises(ImportRejected) as caught:
        SPEC.read(upload([["名称", "代码"], ["甲", "640104"]]))
    assert caught.value.errors == [
        {"row": 1, "column": "", "header": "套数", "message": "This required column is missing."}
    ]


def test_a_column_given_twice_is_refused():
    with pytest.raises(ImportRejected) as caught:
        SPEC.read(upload([["名称", "套数", "名称"], ["甲", 1, "乙"]]))
    assert caught.value.errors[0]["column"] == "C"


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (b"", "empty"),
        (b"name,count\nfoo,1\n", ".xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "97-2003"),
        (b"PK\x03\x04 broken zip", ".xlsx"),
    ],
)
def test_it_refuses_what_is_not_an_xlsx_workbook(content, phrase):
    with pytest.raises(ImportRejected) as caught:
        SPEC.read(SimpleUploadedFile("台账.xlsx", content))
    assert phrase in caught.value.message
    assert caught.value.errors == []


def test_it_refuses_a_zip_that_is_not_a_workbook():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(ImportRejected, match="xlsx"):
        SPEC.read(output.getvalue())


def test_it_refuses_too_many_rows_a_too_big_file_and_a_file_without_rows():
    with pytest.raises(ImportRejected, match="more than 5 rows"):
        SPEC.read(upload([HEADERS] + [["甲", "", 1]] * 6))
    with pytest.raises(ImportRejected, match="larger than"):
        SheetSpec(title="t", columns=SPEC.columns, max_bytes=1024 * 1024).read(b"x" * (1024 * 1024 + 1))
    with pytest.raises(ImportRejected, match="no rows"):
        SPEC.read(upload([HEADERS, [], [None, None]]))
    with pytest.raises(ImportRejected, match="No header row"):
        SPEC.read(upload([["foo", "bar"], [1, 2]]))


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_excel():
    sheet = SPEC.read(upload([HEADERS, ["甲", "", 1], [], [], ["乙", "", 2]]))
    assert [row.number for row in sheet.rows] == [2, 5]


def test_float_noise_is_rounded_but_a_third_decimal_place_is_refused():
    sheet = SPEC.read(upload([HEADERS, ["甲", "", 1, 0.1 + 0.2]]))
    assert sheet.rows[0]["area"] == Decimal("0.30")
    with pytest.raises(ImportRejected) as caught:
        SPEC.read(upload([HEADERS, ["甲", "", 1, 12.345]])).raise_if_errors()
    assert caught.value.errors[0]["message"] == "Use at most 2 decimal places."


def test_the_template_has_headers_instructions_dropdowns_and_comments():
    reference = ReferenceSheet(title="代码表", headers=("名称", "代码"), rows=[("兴庆区", "640104000000")])
    workbook = openpyxl.load_workbook(io.BytesIO(SPEC.template(example={"name": "乙"}, reference=reference)))
    assert workbook.sheetnames == ["测试台账", INSTRUCTIONS_TITLE, "代码表"]
    sheet = workbook["测试台账"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.max_row == 1  # no example data that could be imported by mistake
    assert sheet["A1"].font.bold
    assert "乙" in sheet["A1"].comment.text
    assert sheet.column_dimensions["B"].number_format == "@"  # codes keep their digits
    validations = sheet.data_validations.dataValidation
    assert [(v.formula1, str(v.sqref)) for v in validations] == [('"商品房,房改房"', "E2:E6")]
    instructions = workbook[INSTRUCTIONS_TITLE]
    by_header = {row[1]: row for row in instructions.iter_rows(min_row=2, values_only=True) if row[1]}
    assert by_header["名称"][0] == "A"
    assert by_header["名称"][4] == "乙"
    assert by_header["套数"][4] == "3"
    assert workbook["代码表"]["B2"].value == "640104000000"


def test_a_long_choice_list_goes_to_a_hidden_sheet():
    labels = [(str(i), f"选项{i:03d}很长的名称") for i in range(40)]
    spec = SheetSpec(title="t", columns=(Column("类型", "kind", Choice(labels)),))
    workbook = openpyxl.load_workbook(io.BytesIO(spec.template()))
    assert workbook["_lists"].sheet_state == "hidden"
    assert workbook["t"].data_validations.dataValidation[0].formula1 == "_lists!$A$1:$A$40"


def test_a_filled_template_reads_back():
    workbook = openpyxl.load_workbook(io.BytesIO(SPEC.template()))
    workbook["测试台账"].append(["甲", "640104", 3, 10.5, "房改房"])
    output = io.BytesIO()
    workbook.save(output)
    sheet = SPEC.read(output.getvalue())
    assert sheet.rows[0]["kind"] == "b"
    assert sheet.errors == []


def test_the_download_response_names_the_file_in_chinese_and_ascii():
    response = xlsx_response(b"data", file_name="小区摸底台账模板.xlsx", ascii_name="ledger.xlsx")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="ledger.xlsx"; ')
    assert f"filename*=UTF-8''{quote('小区摸底台账模板.xlsx')}" in disposition
