"""The problem ledger (问题整改台账) as xlsx: the export of a (filtered) ledger and the import of one.

The export has the ledger page's columns with the page's words (state, source and urgency as the
page names them, filing date, deadline, overdue yes or no), then the columns a 台账 adds; it is
written in Chinese whatever the interface language, with an autofilter and set up for printing. The
complainant is never in it. The import files one case per row through `case_file`, all or nothing:
every row is checked first and one bad row writes nothing; its template offers the catalogue's
categories as a dropdown. Its headers and labels are the clerks' Chinese (data, not interface text),
as in every xlsx ledger.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from jiayuan.audit.services import record_event
from jiayuan.cases.choices import Source, State, Urgency
from jiayuan.cases.models import Case
from jiayuan.cases.services import case_file
from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.core.exceptions import DomainError
from jiayuan.core.filters import parse_id
from jiayuan.core.text import printable
from jiayuan.core.xlsx import Choice, Column, ImportResult, Row, Sheet, SheetSpec, Text
from jiayuan.core.xlsx.template import style_header
from jiayuan.estates.models import Estate
from jiayuan.imports.registry import ImportKind
from jiayuan.policy.loader import active_preset

# The import's words for source and urgency: the first label of each goes into the template's
# dropdown and is the word the screen shows (zh-hans); the older words a ledger may hold are aliases.
SOURCE_LABELS: dict[str, str] = {
    Source.HOTLINE_12345: "12345热线",
    Source.QR_CODE: "业主扫码",
    Source.COMMUNITY_PATROL: "社区巡查",
    Source.INSPECTION: "检查",
    Source.RANDOM_CHECK: "双随机抽查",
    Source.MEDIA: "媒体",
    Source.MAILBOX: "信箱",
    Source.API: "接口",
}
SOURCE_ALIASES: dict[str, str] = {
    "12345": Source.HOTLINE_12345,
    "热线": Source.HOTLINE_12345,
    "随机抽查": Source.RANDOM_CHECK,
}
URGENCY_LABELS: dict[str, str] = {Urgency.URGENT: "紧急", Urgency.NORMAL: "一般", Urgency.LOW: "较缓"}
URGENCY_ALIASES: dict[str, str] = {"普通": Urgency.NORMAL, "不紧急": Urgency.LOW, "较低": Urgency.LOW}

# --- export -------------------------------------------------------------------------------------------

# The 台账 is a Chinese document whatever the interface language: the export is written in zh-hans.
EXPORT_LANGUAGE = "zh-hans"
EXPORT_TITLE = "问题整改台账"
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class ExportColumn:
    """A column of the export: its header, its width, and its value for a case (dates as dates)."""

    header: Any  # a lazy interface string for the screen's columns, else the 台账's own Chinese
    width: int
    value: Callable[[Case, dict[str, Any]], Any]
    date: bool = False


def local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


def yes_no(value: bool) -> str:
    return str(_("Yes") if value else _("No"))


def category_name(case: Case, categories: dict[str, Any]) -> str:
    category = categories.get(case.category)
    return str(category.name) if category else case.category


# The ledger page's columns (templates/cases/_case_table.html), in its order and with its words:
# headers and choice labels are the same interface strings, rendered in the export's language.
SCREEN_COLUMNS: tuple[ExportColumn, ...] = (
    ExportColumn(gettext_lazy("Number"), 18, lambda case, _c: case.number),
    ExportColumn(gettext_lazy("Filing date"), 12, lambda case, _c: local_date(case.created_at), date=True),
    ExportColumn(gettext_lazy("Estate"), 20, lambda case, _c: case.estate.name),
    ExportColumn(gettext_lazy("Category"), 18, category_name),
    ExportColumn(gettext_lazy("Source"), 12, lambda case, _c: case.get_source_display()),
    ExportColumn(gettext_lazy("Urgency"), 10, lambda case, _c: case.get_urgency_display()),
    ExportColumn(gettext_lazy("State"), 12, lambda case, _c: case.get_state_display()),
    ExportColumn(gettext_lazy("Responsible body"), 22, lambda case, _c: responsible_body(case)),
    ExportColumn(gettext_lazy("Responsible person"), 10, lambda case, _c: case.responsible_person),
    ExportColumn(gettext_lazy("Deadline"), 12, lambda case, _c: local_date(case.deadline), date=True),
    ExportColumn(gettext_lazy("Overdue?"), 10, lambda case, _c: yes_no(bool(case.is_overdue))),  # type: ignore[attr-defined]
)


def outcome_words(case: Case) -> str:
    return str(case.get_outcome_display()) if case.state == State.CLOSED_OUT and case.outcome else ""


# What a 台账 has beyond the screen (RULES §6): the problem, the measures, the close-out.
LEDGER_COLUMNS: tuple[ExportColumn, ...] = (
    ExportColumn("问题描述", 40, lambda case, _c: case.description),
    ExportColumn("整改措施", 30, lambda case, _c: case.measures),
    ExportColumn("整改情况", 24, lambda case, _c: case.evidence),
    ExportColumn("是否销号", 8, lambda case, _c: yes_no(case.state == State.CLOSED_OUT)),
    ExportColumn("销号日期", 12, lambda case, _c: local_date(case.closed_at), date=True),
    ExportColumn("办结方式", 12, lambda case, _c: outcome_words(case)),
)
SERIAL_HEADER = "序号"
EXPORT_COLUMNS: tuple[ExportColumn, ...] = (
    ExportColumn(SERIAL_HEADER, 6, lambda case, _c: None),
    *SCREEN_COLUMNS,
    *LEDGER_COLUMNS,
)
# Rows above the data: the title, the export time and count, then the header row.
TITLE_ROW, INFO_ROW, HEADER_ROW = 1, 2, 3


def export_headers() -> list[str]:
    """The export's header row (in the export's language)."""
    with translation.override(EXPORT_LANGUAGE):
        return [str(column.header) for column in EXPORT_COLUMNS]


def responsible_body(case: Case) -> str:
    """The name of the body the case is dispatched to (selected with the ledger: no query)."""
    for body in (case.handler_enterprise, case.handler_department, case.handler_region):
        if body is not None:
            return str(body.name)
    return ""


def export_row(serial: int, case: Case, categories: dict[str, Any]) -> list[Any]:
    values = [column.value(case, categories) for column in EXPORT_COLUMNS]
    values[0] = serial
    return [printable(v) if isinstance(v, str) else v for v in values]


def ledger_export(*, cases: Iterable[Case], now: dt.datetime | None = None) -> bytes:
    """The ledger as a workbook with the screen's columns and words, then the 台账's own columns.

    `cases` comes from the ledger selector (scoped, related rows selected, `is_overdue` annotated);
    it is read once. Above the header: the title and the export time with the number of cases; an
    autofilter on the header; set up to print landscape, one page wide, the header row on every
    page, the title and the print date in the page header.
    """
    now = now or timezone.now()
    categories = active_preset().categories
    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = EXPORT_TITLE
    last_column = get_column_letter(len(EXPORT_COLUMNS))
    date_indexes = [index for index, column in enumerate(EXPORT_COLUMNS, start=1) if column.date]
    with translation.override(EXPORT_LANGUAGE):
        sheet.append([EXPORT_TITLE])
        sheet.append([])
        sheet.append([str(column.header) for column in EXPORT_COLUMNS])
        count = 0
        for count, case in enumerate(cases, start=1):
            sheet.append(export_row(count, case, categories))
            for index in date_indexes:
                sheet.cell(row=HEADER_ROW + count, column=index).number_format = DATE_FORMAT
    exported_at = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
    sheet.cell(row=INFO_ROW, column=1, value=f"导出时间：{exported_at}　共 {count} 件")
    style_export(sheet, last_column, last_row=HEADER_ROW + count)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def style_export(sheet: Any, last_column: str, *, last_row: int) -> None:
    """Title, header, widths, frozen header, autofilter and the print setup."""
    sheet.merge_cells(f"A{TITLE_ROW}:{last_column}{TITLE_ROW}")
    sheet.merge_cells(f"A{INFO_ROW}:{last_column}{INFO_ROW}")
    title = sheet.cell(row=TITLE_ROW, column=1)
    title.font = Font(bold=True, size=14)
    title.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[TITLE_ROW].height = 24
    style_header(sheet[HEADER_ROW])
    for index, column in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{last_row}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.oddHeader.center.text = EXPORT_TITLE
    sheet.oddHeader.right.text = "打印日期：&D"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


# --- import -------------------------------------------------------------------------------------------


class CategoryText(Text):
    """A category's name (or code): the template offers the active preset's names as a dropdown (on
    a hidden sheet, the list being long); `find_category` resolves it when the file comes back."""

    def options(self) -> list[str]:
        return [str(category.name) for category in active_preset().categories.values()]


CASE_LEDGER = SheetSpec(
    title="问题整改台账",
    max_rows=2000,
    columns=(
        Column(
            "小区",
            "estate",
            Text(max_length=100),
            required=True,
            help=gettext_lazy("The estate's name as the platform spells it, or its id."),
            example="阳光花园",
            width=20,
            aliases=("小区名称",),
        ),
        Column(
            "问题类别",
            "category",
            CategoryText(max_length=100),
            required=True,
            help=gettext_lazy(
                "A category of the catalogue: pick its name from the list (its code is accepted too)."
            ),
            width=24,
        ),
        Column("问题描述", "description", Text(max_length=2000), required=True, example="楼道垃圾无人清理"),
        Column(
            "问题来源",
            "source",
            Choice(list(SOURCE_LABELS.items()), aliases=SOURCE_ALIASES),
            required=True,
            example=SOURCE_LABELS[Source.HOTLINE_12345],
        ),
        Column(
            "紧急程度",
            "urgency",
            Choice(list(URGENCY_LABELS.items()), aliases=URGENCY_ALIASES),
            help=gettext_lazy("Empty means normal."),
            example=URGENCY_LABELS[Urgency.NORMAL],
        ),
        Column("诉求人", "complainant_name", Text(max_length=64), example="王先生", aliases=("投诉人",)),
        Column("联系电话", "complainant_phone", Text(max_length=32), example="13800000000", width=16),
    ),
    notes=(
        gettext_lazy(
            "Each row is filed as its own case, even when an open case on the same problem exists; "
            "the timeline records that the importer confirmed it."
        ),
    ),
)


class EstateFinder:
    """Finds each row's estate by id or by name among the estates the actor may file cases at."""

    def __init__(self, actor: Actor, rows: list[Row]) -> None:
        keys = {str(row["estate"]) for row in rows if row["estate"]}
        ids = {pk for pk in map(parse_id, keys) if pk is not None}
        estates = Estate.objects.visible_to(actor).filter(name__in=keys) | Estate.objects.visible_to(
            actor
        ).filter(pk__in=ids)
        scope = actor.scope_for(permissions.CASES_FILE)
        allowed = set(
            Estate.objects.filter(Estate.scope_filter(scope), pk__in=[e.pk for e in estates]).values_list(
                "pk", flat=True
            )
        )
        self.by_id = {estate.pk: estate for estate in estates if estate.pk in allowed}
        self.by_name: dict[str, list[Estate]] = {}
        for estate in self.by_id.values():
            self.by_name.setdefault(estate.name, []).append(estate)

    def find(self, sheet: Sheet, row: Row) -> Estate | None:
        key = str(row["estate"])
        named = self.by_name.get(key, [])
        if len(named) > 1:
            sheet.add_error(
                row, "estate", _("Several estates are named %(name)s; give its id.") % {"name": key}
            )
            return None
        found = named[0] if named else self.by_id.get(parse_id(key) or 0)
        if found is None:
            sheet.add_error(
                row, "estate", _("%(name)s is not an estate in your jurisdiction.") % {"name": key}
            )
        return found


def find_category(sheet: Sheet, row: Row) -> str | None:
    categories = active_preset().categories
    value = str(row["category"])
    if value in categories:
        return value
    for category in categories.values():
        if value in (category.name, category.name_en):
            return category.code
    sheet.add_error(row, "category", _("%(value)s is not a category of the catalogue.") % {"value": value})
    return None


@transaction.atomic
def ledger_import(*, actor: Actor, file: Any) -> ImportResult:
    """File a case for every row of a ledger, or none (see the module docstring); one audit event.

    Each row goes through `case_file`, which checks permission and scope and writes the row's own
    timeline entry and audit event; a refusal becomes an error of its row and cell.
    """
    actor.require(permissions.CASES_FILE)
    actor.require(permissions.CASES_ACCEPT)
    sheet = CASE_LEDGER.read(file)
    finder = EstateFinder(actor, [row for row in sheet.rows if "estate" not in row.bad])
    ids: list[int] = []
    for row in sheet.rows:
        estate = finder.find(sheet, row) if "estate" not in row.bad else None
        category = find_category(sheet, row) if "category" not in row.bad else None
        if estate is None or category is None or not row.ok:
            continue
        try:
            with transaction.atomic():
                case = case_file(
                    actor=actor,
                    estate=estate,
                    category=category,
                    description=row["description"],
                    source=row["source"],
                    urgency=row["urgency"] or Urgency.NORMAL,
                    complainant_name=row["complainant_name"] or "",
                    complainant_phone=row["complainant_phone"] or "",
                    confirm_not_duplicate=True,
                )
        except DomainError as refused:
            field = refused.field if refused.field in CASE_LEDGER.columns_by_field else "estate"
            sheet.add_error(row, str(field), refused.message)
            continue
        ids.append(case.pk)
    # Raising here rolls back every case filed above: the import is all or nothing.
    sheet.raise_if_errors()
    record_event(
        actor=actor,
        action="cases.imported",
        data={"file_name": sheet.file_name, "rows": len(sheet.rows), "created": len(ids), "case_ids": ids},
    )
    return ImportResult(created=len(ids), file_name=sheet.file_name, ids=tuple(ids))


# The group whose categories make the examples (everyday service: what a clerk files most), if the
# preset has it; else the catalogue's first category.
EXAMPLE_GROUP = "everyday"


def example_estate(actor: Actor) -> str | None:
    """An estate the actor may file cases at, as the import finds it: its name, or its id when
    another estate in reach has the same name."""
    scope = actor.scope_for(permissions.CASES_FILE)
    visible = Estate.objects.visible_to(actor)
    estate = visible.filter(Estate.scope_filter(scope)).order_by("name", "pk").first()
    if estate is None:
        return None
    if visible.filter(name=estate.name).count() > 1:
        return str(estate.pk)
    return str(estate.name)


def example_categories() -> list[str]:
    categories = list(active_preset().categories.values())
    everyday = [category for category in categories if category.group == EXAMPLE_GROUP]
    return [str(category.name) for category in (everyday or categories)[:2]]


def ledger_template(*, actor: Actor | None = None) -> bytes:
    """The empty ledger to fill in, with the catalogue's categories as a dropdown and, on 填写示例,
    rows that its own import accepts as they stand: the estate is one the actor may file cases at
    and the categories are the active preset's (tested by importing them)."""
    categories = example_categories()
    first = {
        "estate": CASE_LEDGER.columns_by_field["estate"].example,
        "category": categories[0],
        "description": "楼道垃圾无人清理",
        "source": SOURCE_LABELS[Source.HOTLINE_12345],
        "urgency": URGENCY_LABELS[Urgency.NORMAL],
        "complainant_name": "王先生",
        "complainant_phone": "13800000000",
    }
    if actor is not None:
        estate = example_estate(actor)
        if estate is not None:
            first["estate"] = estate
    second = {
        "estate": first["estate"],
        "category": categories[-1],
        "description": "小区绿化带堆放杂物",
        "source": SOURCE_LABELS[Source.COMMUNITY_PATROL],
    }
    return CASE_LEDGER.template(example=first, reference=None, examples=[first, second])


__all__ = ["CASE_LEDGER", "ledger_export", "ledger_import", "ledger_template"]


def case_ledger_import_message(result: ImportResult) -> str:
    return ngettext(
        "Imported %(count)d case from %(file)s.",
        "Imported %(count)d cases from %(file)s.",
        result.created,
    ) % {"count": result.created, "file": result.file_name}


# What the worker runs for a large file uploaded on the import page (jiayuan/imports); registered
# from the AppConfig's ready.
CASE_LEDGER_IMPORT = ImportKind(
    name="cases",
    label=gettext_lazy("Ledger of cases"),
    spec=CASE_LEDGER,
    permission=permissions.CASES_ACCEPT,
    run=ledger_import,
    success_message=case_ledger_import_message,
    success_url_name="cases:ledger",
)
