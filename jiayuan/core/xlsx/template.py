"""Building the empty ledger clerks download: `SheetSpec.template()` calls `build_template`.

Styled headers with a comment per column, dropdowns for choice columns (and for any parser that
offers options), text format for code columns (so Excel keeps leading zeros and long digit
strings), a second sheet "填写说明" explaining each column, optionally a sheet "填写示例" of rows
filled in as they should be (never on the first sheet: a forgotten example would be imported), and
optionally a `ReferenceSheet` of data to look things up in.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jiayuan.core.xlsx.columns import cell_text

if TYPE_CHECKING:
    from jiayuan.core.xlsx.reading import SheetSpec

INSTRUCTIONS_TITLE = "填写说明"
EXAMPLES_TITLE = "填写示例"


@dataclass(frozen=True)
class ReferenceSheet:
    """An extra sheet of the template with data the clerk looks things up in (e.g. community codes)."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]


HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def style_header(cells: Iterable[Any], fill: PatternFill = HEADER_FILL) -> None:
    for cell in cells:
        cell.font = HEADER_FONT
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def build_template(
    spec: SheetSpec,
    example: Mapping[str, Any],
    reference: ReferenceSheet | None,
    examples: Sequence[Mapping[str, Any]] = (),
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = spec.title
    last_row = spec.max_rows + 1
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.header)
        style_header([cell], REQUIRED_FILL if column.required else HEADER_FILL)
        note = column.describe()
        if example.get(column.field) not in (None, ""):
            note += "\n" + _("Example: %(example)s") % {"example": cell_text(example[column.field])}
        cell.comment = Comment(note, "家园")
        cell.comment.width, cell.comment.height = 260, 120
        sheet.column_dimensions[letter].width = column.width or max(12, 2 * len(column.header) + 4)
        if column.parser.number_format:
            sheet.column_dimensions[letter].number_format = column.parser.number_format
        if column.parser.options():
            add_dropdown(workbook, sheet, f"{letter}2:{letter}{last_row}", column.parser.options())
    sheet.freeze_panes = "A2"
    write_instructions(workbook.create_sheet(INSTRUCTIONS_TITLE), spec, example, has_examples=bool(examples))
    if examples:
        write_examples(workbook.create_sheet(EXAMPLES_TITLE), spec, examples)
    if reference is not None:
        extra = workbook.create_sheet(reference.title)
        extra.append(list(reference.headers))
        style_header(extra[1])
        for values in reference.rows:
            extra.append(list(values))
        for index, header in enumerate(reference.headers, start=1):
            extra.column_dimensions[get_column_letter(index)].width = max(14, 2 * len(header) + 4)
        extra.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def add_dropdown(workbook: Any, sheet: Any, cells: str, options: list[str]) -> None:
    """A list validation; short lists inline, long ones (over Excel's 255 characters) on a hidden sheet."""
    inline = ",".join(options)
    if len(inline) <= 250 and not any('"' in o or "," in o for o in options):
        formula = f'"{inline}"'
    else:
        if "_lists" in workbook.sheetnames:
            lists = workbook["_lists"]
            col = get_column_letter(lists.max_column + 1)
        else:
            lists, col = workbook.create_sheet("_lists"), "A"
            lists.sheet_state = "hidden"
        for number, option in enumerate(options, start=1):
            lists[f"{col}{number}"] = option
        formula = f"_lists!${col}$1:${col}${len(options)}"
    validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True)
    validation.errorTitle = _("Not in the list")
    validation.error = _("Pick a value from the list.")
    validation.add(cells)
    sheet.add_data_validation(validation)


def write_examples(sheet: Any, spec: SheetSpec, examples: Sequence[Mapping[str, Any]]) -> None:
    """The first sheet's header and rows filled in as they should be: rows to copy, not to import."""
    for index, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        style_header([cell], REQUIRED_FILL if column.required else HEADER_FILL)
        sheet.column_dimensions[get_column_letter(index)].width = column.width or max(
            12, 2 * len(column.header) + 4
        )
    for values in examples:
        sheet.append([values.get(column.field) for column in spec.columns])
    sheet.freeze_panes = "A2"


def examples_note() -> str:
    return _(
        "The sheet “%(examples)s” shows rows filled in as they should be; copy them to the first sheet "
        "to use them."
    ) % {"examples": EXAMPLES_TITLE}


def write_instructions(
    sheet: Any, spec: SheetSpec, example: Mapping[str, Any], *, has_examples: bool = False
) -> None:
    sheet.append([_("Column"), _("Header"), _("Required"), _("How to fill it in"), _("Example")])
    style_header(sheet[1])
    for index, column in enumerate(spec.columns, start=1):
        sheet.append(
            [
                get_column_letter(index),
                column.header,
                _("Yes") if column.required else _("No"),
                column.describe(),
                cell_text(example.get(column.field)),
            ]
        )
    sheet.append([])
    general = [
        _("Fill in one row per record, from row 2 of the first sheet “%(title)s”.") % {"title": spec.title},
        _(
            "Keep the header row as it is; headers on an orange background are required. "
            "Extra columns are ignored."
        ),
        _("At most %(max)d rows per file.") % {"max": spec.max_rows},
        *([examples_note()] if has_examples else []),
        _("If any row has a problem, nothing is imported: the page lists every problem by row and column."),
        *[str(note) for note in spec.notes],
    ]
    for line in general:
        sheet.append(["", line])
        sheet.merge_cells(start_row=sheet.max_row, start_column=2, end_row=sheet.max_row, end_column=5)
    for letter, width in zip("ABCDE", (8, 22, 8, 60, 28), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAP
