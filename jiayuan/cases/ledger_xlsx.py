"""The problem ledger (问题整改台账) as xlsx: the export of a (filtered) ledger and the import of one.

The export has the columns a 台账 has; the complainant is never in it. The import files one case per
row through `case_file`, all or nothing: every row is checked first and one bad row writes nothing.
Its headers and labels are the clerks' Chinese (data, not interface text), as in every xlsx ledger.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from jiayuan.audit.services import record_event
from jiayuan.cases.choices import Outcome, Source, State, Urgency
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

SOURCE_LABELS: dict[str, str] = {
    Source.HOTLINE_12345: "12345热线",
    Source.QR_CODE: "业主扫码",
    Source.COMMUNITY_PATROL: "社区巡查",
    Source.INSPECTION: "检查",
    Source.RANDOM_CHECK: "随机抽查",
    Source.MEDIA: "媒体",
    Source.MAILBOX: "信箱",
    Source.API: "接口",
}
SOURCE_ALIASES: dict[str, str] = {"12345": Source.HOTLINE_12345, "热线": Source.HOTLINE_12345}
URGENCY_LABELS: dict[str, str] = {Urgency.URGENT: "紧急", Urgency.NORMAL: "一般", Urgency.LOW: "较低"}
URGENCY_ALIASES: dict[str, str] = {"普通": Urgency.NORMAL, "不紧急": Urgency.LOW}
STATE_LABELS: dict[str, str] = {
    State.SUBMITTED: "已登记",
    State.ACCEPTED: "已受理",
    State.REJECTED: "不予受理",
    State.DISPATCHED: "已派单",
    State.IN_PROGRESS: "整改中",
    State.RECTIFIED: "已整改待核查",
    State.VERIFIED: "已核查",
    State.CLOSED_OUT: "已销号",
}
OUTCOME_LABELS: dict[str, str] = {
    Outcome.FIXED: "整改完成",
    Outcome.UNFOUNDED: "反映不实",
    Outcome.DUPLICATE: "重复件",
    Outcome.OUTSIDE_REMIT: "不属职责范围",
    Outcome.WITHDRAWN: "撤回",
}

# --- export -------------------------------------------------------------------------------------------

EXPORT_COLUMNS: tuple[tuple[str, int], ...] = (
    ("序号", 6),
    ("案件编号", 18),
    ("小区", 20),
    ("问题类别", 18),
    ("问题描述", 40),
    ("问题来源", 12),
    ("责任单位", 22),
    ("责任人", 10),
    ("整改时限", 12),
    ("整改措施", 30),
    ("整改情况", 24),
    ("是否销号", 8),
    ("销号日期", 12),
    ("办结方式", 12),
)
DATE_FORMAT = "yyyy-mm-dd"
DATE_COLUMNS = ("整改时限", "销号日期")


def responsible_body(case: Case) -> str:
    """The name of the body the case is dispatched to (selected with the ledger: no query)."""
    for body in (case.handler_enterprise, case.handler_department, case.handler_region):
        if body is not None:
            return str(body.name)
    return ""


def export_row(serial: int, case: Case, categories: dict[str, Any]) -> list[Any]:
    category = categories.get(case.category)
    situation = STATE_LABELS.get(case.state, case.state)
    if case.evidence:
        situation = f"{situation}：{case.evidence}"
    closed = case.state == State.CLOSED_OUT
    return [
        serial,
        case.number,
        case.estate.name,
        category.name if category else case.category,
        case.description,
        SOURCE_LABELS.get(case.source, case.source),
        responsible_body(case),
        case.responsible_person,
        timezone.localtime(case.deadline).date(),
        case.measures,
        situation,
        "是" if closed else "否",
        timezone.localtime(case.closed_at).date() if case.closed_at else None,
        OUTCOME_LABELS.get(case.outcome, "") if closed else "",
    ]


def ledger_export(*, cases: Iterable[Case]) -> bytes:
    """The ledger as a workbook: styled header, column widths, deadlines and close-out dates as dates.

    `cases` comes from the ledger selector (scoped, related rows selected); it is read once.
    """
    categories = active_preset().categories
    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = "问题整改台账"
    sheet.append([header for header, _width in EXPORT_COLUMNS])
    style_header(sheet[1])
    for index, (_header, width) in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    date_indexes = [i for i, (header, _w) in enumerate(EXPORT_COLUMNS) if header in DATE_COLUMNS]
    for serial, case in enumerate(cases, start=1):
        sheet.append(
            [printable(v) if isinstance(v, str) else v for v in export_row(serial, case, categories)]
        )
        for i in date_indexes:
            sheet.cell(row=serial + 1, column=i + 1).number_format = DATE_FORMAT
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- import -------------------------------------------------------------------------------------------

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
            Text(max_length=100),
            required=True,
            help=gettext_lazy("A category of the catalogue, by its name or its code."),
            example="楼道卫生",
            width=18,
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


def ledger_template(*, actor: Actor | None = None) -> bytes:
    """The empty ledger to fill in; the example estate is one the actor may file cases at."""
    example: dict[str, Any] = {}
    if actor is not None:
        estate = Estate.objects.visible_to(actor).order_by("name").first()
        if estate is not None:
            example["estate"] = estate.name
    return CASE_LEDGER.template(example=example, reference=None)


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
