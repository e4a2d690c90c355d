"""The ledger as xlsx: the export (columns of a 台账, no complainant) and the all-or-nothing import."""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from jiayuan.audit.models import AuditEvent
from jiayuan.cases.choices import Source, State, Urgency
from jiayuan.cases.ledger_xlsx import CASE_LEDGER, HEADER_ROW, export_headers, ledger_import, ledger_template
from jiayuan.cases.models import Case
from jiayuan.cases.services import case_accept
from jiayuan.cases.tests.factories import NOW, file, step
from jiayuan.core.exceptions import ImportRejected
from jiayuan.policy.loader import active_preset

pytestmark = pytest.mark.django_db

IMPORT_HEADERS = ["小区", "问题类别", "问题描述", "问题来源", "紧急程度", "诉求人", "联系电话"]


def log_in(client, world, persona):
    client.force_login(world.users[persona])
    return client


def exported(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(content)).active


def rows_of(sheet):
    """The header row and the data rows below it (the title and the export time are above)."""
    return list(sheet.iter_rows(min_row=HEADER_ROW, values_only=True))


def test_the_export_has_the_ledger_columns_and_the_cases_in_scope(client, world, actor_of):
    sub = actor_of("subdistrict_a1_officer")
    mine = file(sub, world.estate_a1a)
    file(actor_of("district_b_officer"), world.estate_b1a)
    sheet = exported(log_in(client, world, "subdistrict_a1_officer").get(reverse("cases:export")))
    rows = rows_of(sheet)
    assert list(rows[0]) == export_headers()
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["序号"], row["案件编号"], row["小区"]) == (1, mine.number, world.estate_a1a.name)
    assert row["问题类别"] == active_preset().categories[mine.category].name
    assert row["问题来源"] == "12345热线" and row["是否销号"] == "否"
    assert isinstance(row["整改时限"], dt.datetime)
    assert sheet.cell(row=HEADER_ROW, column=1).font.bold
    values = " ".join(str(value) for value in rows[1] if value)
    assert "王小明" not in values and "13812345678" not in values


def cell_texts(html, tag):
    return [
        re.sub(r"<[^>]+>|\s+", " ", cell).split()
        for cell in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", html, re.S)
    ]


def as_text(value):
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d")
    return str(value) if value else "—"


def test_the_export_has_the_screens_columns_and_words(client, world, actor_of):
    sub = actor_of("subdistrict_a1_officer")
    late = file(sub, world.estate_a1a, urgency="urgent")
    on_time = file(sub, world.estate_a1b, category="po_animals", source="random_check", urgency="low")
    step(case_accept, sub, on_time)
    Case.objects.filter(pk=late.pk).update(accept_due_at=NOW - dt.timedelta(hours=1))
    log_in(client, world, "subdistrict_a1_officer")
    page = client.get(reverse("cases:ledger")).content.decode()
    table = re.search(r'<table class="stack case-ledger">.*?</table>', page, re.S).group(0)
    sheet = exported(client.get(reverse("cases:export")))
    rows = rows_of(sheet)
    screen_headers = [" ".join(words) for words in cell_texts(table, "th")]
    assert list(rows[0][1 : 1 + len(screen_headers)]) == screen_headers
    screen_rows = re.findall(r"<tr>\s*<td.*?</tr>", table, re.S)
    assert len(screen_rows) == len(rows) - 1 == 2
    for html, row in zip(screen_rows, rows[1:], strict=True):
        # The first word of each cell of the screen (which adds badges after it) is the export's.
        shown = [words[0] for words in cell_texts(html, "td")]
        assert shown == [as_text(value) for value in row[1 : 1 + len(shown)]]
    by_number = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    with translation.override("zh-hans"):
        assert by_number[late.number]["状态"] == str(State.SUBMITTED.label)
        assert by_number[on_time.number]["状态"] == str(State.ACCEPTED.label)
        assert by_number[on_time.number][str(gettext_lazy("Source"))] == str(Source.RANDOM_CHECK.label)
        assert by_number[late.number][str(gettext_lazy("Urgency"))] == str(Urgency.URGENT.label)
        overdue = str(gettext_lazy("Overdue?"))
    assert (by_number[late.number][overdue], by_number[on_time.number][overdue]) == ("是", "否")
    assert by_number[late.number][str(translation.gettext("Filing date"))] == dt.datetime(2026, 3, 16)


def test_the_export_has_a_title_an_autofilter_and_prints_landscape_one_page_wide(client, world, actor_of):
    sub = actor_of("subdistrict_a1_officer")
    for estate in (world.estate_a1a, world.estate_a1b):
        file(sub, estate)
    sheet = exported(log_in(client, world, "subdistrict_a1_officer").get(reverse("cases:export")))
    last = get_column_letter(len(export_headers()))
    assert sheet["A1"].value == "问题整改台账" and f"A1:{last}1" in sheet.merged_cells
    assert sheet["A2"].value == "导出时间：2026-03-16 10:00　共 2 件"
    assert sheet.auto_filter.ref == f"A{HEADER_ROW}:{last}{HEADER_ROW + 2}"
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    setup = sheet.page_setup
    assert setup.orientation == "landscape"
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.oddHeader.center.text == "问题整改台账"
    assert "&D" in sheet.oddHeader.right.text and "&P" in sheet.oddFooter.center.text


def test_the_export_follows_the_order_of_the_page(client, world, actor_of):
    sub = actor_of("subdistrict_a1_officer")
    first = file(sub, world.estate_a1a)
    second = file(sub, world.estate_a1b, now=NOW + dt.timedelta(minutes=5))
    Case.objects.filter(pk=first.pk).update(deadline=NOW + dt.timedelta(days=60))
    log_in(client, world, "subdistrict_a1_officer")

    def numbers(**params):
        return [row[1] for row in rows_of(exported(client.get(reverse("cases:export"), params)))[1:]]

    assert numbers(sort="deadline") == [second.number, first.number]
    assert numbers(sort="-deadline") == [first.number, second.number]
    assert numbers() == [second.number, first.number]
    assert numbers(sort="filed") == [first.number, second.number]


def test_the_export_follows_the_filters(client, world, actor_of):
    sub = actor_of("subdistrict_a1_officer")
    file(sub, world.estate_a1a)
    other = file(sub, world.estate_a1b, category="po_animals", source="media")
    log_in(client, world, "subdistrict_a1_officer")
    sheet = exported(client.get(reverse("cases:export"), {"source": "media"}))
    assert [row[1] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)] == [other.number]


def test_the_import_reads_the_words_the_screen_and_the_export_use(world, actor_of):
    source = CASE_LEDGER.columns_by_field["source"].parser
    urgency = CASE_LEDGER.columns_by_field["urgency"].parser
    with translation.override("zh-hans"):
        assert {value: source.parse(str(label)) for value, label in Source.choices} == {
            value: value for value in Source.values
        }
        assert {value: urgency.parse(str(label)) for value, label in Urgency.choices} == {
            value: value for value in Urgency.values
        }


def workbook(rows, headers=IMPORT_HEADERS):
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return SimpleUploadedFile("台账.xlsx", output.getvalue())


def good_rows(world):
    cleaning = active_preset().categories["everyday_cleaning"].name
    return [
        [world.estate_a1a.name, cleaning, "楼道垃圾无人清理", "12345热线", "一般", "张三", "13800000001"],
        [str(world.estate_a1b.pk), "everyday_cleaning", "绿化带杂物", "社区巡查", None, None, None],
        [world.estate_a1a.name, "everyday_cleaning", "又一处垃圾", "媒体", "紧急", None, None],
    ]


def test_a_good_ledger_files_every_row_with_one_import_event(world, actor_of):
    result = ledger_import(actor=actor_of("subdistrict_a1_officer"), file=workbook(good_rows(world)))
    assert result.created == 3
    cases = Case.objects.order_by("pk")
    assert [c.estate for c in cases] == [world.estate_a1a, world.estate_a1b, world.estate_a1a]
    assert [c.source for c in cases] == ["hotline_12345", "community_patrol", "media"]
    assert [c.urgency for c in cases] == ["normal", "normal", "urgent"]
    assert AuditEvent.objects.filter(action="cases.imported").count() == 1


def test_a_broken_row_is_reported_by_row_and_column_and_nothing_is_filed(world, actor_of):
    rows = good_rows(world)
    rows[1][1] = "不存在的类别"
    rows[2][3] = "飞鸽传书"
    rows.append([world.estate_b1a.name, "everyday_cleaning", "别区的小区", "媒体", None, None, None])
    with pytest.raises(ImportRejected) as rejected:
        ledger_import(actor=actor_of("subdistrict_a1_officer"), file=workbook(rows))
    cells = {(error["row"], error["column"]) for error in rejected.value.errors}
    assert cells == {(3, "B"), (4, "D"), (5, "A")}
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="case").exists()


def test_a_ledger_headed_with_the_older_word_for_complainant_is_read_the_same(world, actor_of):
    headers = [("投诉人" if header == "诉求人" else header) for header in IMPORT_HEADERS]
    ledger_import(actor=actor_of("subdistrict_a1_officer"), file=workbook(good_rows(world), headers))
    assert Case.objects.filter(complainant_name="张三").count() == 1


def test_the_import_page_imports_or_lists_the_problems(client, world):
    log_in(client, world, "subdistrict_a1_officer")
    assert client.get(reverse("cases:import")).status_code == 200
    template = client.get(reverse("cases:import_template"))
    assert template.status_code == 200
    rows = good_rows(world)
    rows[0][2] = None
    refused = client.post(reverse("cases:import"), {"file": workbook(rows)})
    assert refused.status_code == 200
    assert {(e["row"], e["column"]) for e in refused.context["errors"]} == {(2, "C")}
    assert not Case.objects.exists()
    done = client.post(reverse("cases:import"), {"file": workbook(good_rows(world))})
    assert done.status_code == 302
    assert Case.objects.count() == 3


def test_handlers_cannot_import(client, world):
    assert log_in(client, world, "enterprise_x_staff").get(reverse("cases:import")).status_code == 403


def test_the_template_offers_the_catalogues_categories_as_a_list(world, actor_of):
    book = load_workbook(io.BytesIO(ledger_template(actor=actor_of("subdistrict_a1_officer"))))
    sheet = book.worksheets[0]
    column = get_column_letter(IMPORT_HEADERS.index("问题类别") + 1)
    validations = [v for v in sheet.data_validations.dataValidation if str(v.sqref).startswith(f"{column}2")]
    assert len(validations) == 1 and validations[0].type == "list"
    lists_sheet, cells = validations[0].formula1.split("!")
    hidden = book[lists_sheet]
    assert hidden.sheet_state == "hidden"
    first, last = cells.replace("$", "").split(":")
    listed = [row[0].value for row in hidden[f"{first}:{last}"]]
    assert listed == [category.name for category in active_preset().categories.values()]


def test_the_templates_example_rows_pass_its_own_import(world, actor_of):
    officer = actor_of("subdistrict_a1_officer")
    book = load_workbook(io.BytesIO(ledger_template(actor=officer)))
    assert book.worksheets[0].max_row == 1  # no example on the sheet that is imported
    examples = book["填写示例"]
    assert examples.max_row >= 3
    # Imported as the clerk would after copying them to the first sheet: the example sheet first.
    book.move_sheet(examples, offset=-book.index(examples))
    output = io.BytesIO()
    book.save(output)
    result = ledger_import(actor=officer, file=SimpleUploadedFile("模板.xlsx", output.getvalue()))
    assert result.created == examples.max_row - 1
    categories = {category.name: code for code, category in active_preset().categories.items()}
    for case, row in zip(
        Case.objects.order_by("pk"), examples.iter_rows(min_row=2, values_only=True), strict=True
    ):
        assert case.estate.name == row[0] and case.category == categories[row[1]]
