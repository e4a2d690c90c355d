"""The ledger as xlsx: the export (columns of a 台账, no complainant) and the all-or-nothing import."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from jiayuan.audit.models import AuditEvent
from jiayuan.cases.ledger_xlsx import EXPORT_COLUMNS, ledger_import
from jiayuan.cases.models import Case
from jiayuan.cases.tests.factories import file
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


def test_the_export_has_the_ledger_columns_and_the_cases_in_scope(client, world, actor_of):
    sub = actor_of("subdistrict_a1_officer")
    mine = file(sub, world.estate_a1a)
    file(actor_of("district_b_officer"), world.estate_b1a)
    sheet = exported(log_in(client, world, "subdistrict_a1_officer").get(reverse("cases:export")))
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [header for header, _width in EXPORT_COLUMNS]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["序号"], row["案件编号"], row["小区"]) == (1, mine.number, world.estate_a1a.name)
    assert row["问题类别"] == active_preset().categories[mine.category].name
    assert row["问题来源"] == "12345热线" and row["是否销号"] == "否"
    assert isinstance(row["整改时限"], dt.datetime)
    assert sheet["A1"].font.bold
    values = " ".join(str(value) for value in rows[1] if value)
    assert "王小明" not in values and "13812345678" not in values


def test_the_export_follows_the_filters(client, world, actor_of):
    sub = actor_of("subdistrict_a1_officer")
    file(sub, world.estate_a1a)
    other = file(sub, world.estate_a1b, category="po_animals", source="media")
    log_in(client, world, "subdistrict_a1_officer")
    sheet = exported(client.get(reverse("cases:export"), {"source": "media"}))
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [other.number]


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
