"""Importing the baseline ledger of estates: every row checked, errors by row and column, all or nothing."""

from __future__ import annotations

import io
from decimal import Decimal
from urllib.parse import quote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from jiayuan.audit.models import AuditEvent
from jiayuan.core.exceptions import ImportRejected, NotPermitted
from jiayuan.core.xlsx import INSTRUCTIONS_TITLE
from jiayuan.estates.imports import estate_import, estate_template
from jiayuan.estates.models import Estate


@pytest.fixture(autouse=True)
def in_english():
    """These tests read the English message ids; test_errors_are_chinese_by_default checks zh-hans."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db

HEADERS = [
    "序号",
    "区县",
    "街道（乡镇）",
    "社区（村）",
    "社区代码",
    "小区名称",
    "小区地址",
    "管理模式",
    "小区类型",
    "建成年份",
    "房屋套数",
    "专有部分总面积（㎡）",
    "经度",
    "纬度",
]
# One good row by names (银古社区, district A) and one by code (文化社区, district A).
GOOD_ROWS = [
    [
        1,
        "兴庆区",
        "凤凰北街街道",
        "银古社区",
        None,
        "银古新城",
        "银古路8号",
        "物业服务企业",
        "商品房",
        2015,
        320,
        31250.5,
        106.2785,
        38.4664,
    ],
    [
        2,
        None,
        None,
        None,
        "640104002001",
        "文化苑二期",
        "文化街2号",
        "准物业",
        "老旧小区",
        "1998年",
        "120套",
        "8,400.00",
        None,
        None,
    ],
]


def ledger(rows: list[list[object]], headers: list[str] = HEADERS, name: str = "兴庆区摸底台账.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["兴庆区住宅小区物业管理情况摸底统计台账"])  # a title row above the headers, as clerks do
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile(name, output.getvalue())


def with_row(**changes: object) -> list[list[object]]:
    """The good rows plus a third one, a copy of the first with some cells changed (by header)."""
    third = list(GOOD_ROWS[0])
    third[5] = "银古新城三期"
    for header, value in changes.items():
        third[HEADERS.index(header)] = value
    return [*GOOD_ROWS, third]


def snapshot() -> tuple[int, int]:
    return Estate.objects.count(), AuditEvent.objects.count()


def test_a_good_ledger_registers_every_estate_with_one_audit_event(world, actor_of):
    before = Estate.objects.count()
    result = estate_import(actor=actor_of("district_a_officer"), file=ledger(GOOD_ROWS))
    assert result.created == 2
    assert Estate.objects.count() == before + 2
    first = Estate.objects.get(name="银古新城")
    assert first.community == world.com_a1a
    assert (first.management_mode, first.estate_type, first.year_built) == ("enterprise", "commercial", 2015)
    assert (first.unit_count, first.total_exclusive_area) == (320, Decimal("31250.50"))
    assert (first.longitude, first.latitude) == (Decimal("106.278500"), Decimal("38.466400"))
    second = Estate.objects.get(name="文化苑二期")
    assert (second.community, second.management_mode, second.estate_type) == (
        world.com_a2a,
        "quasi_property",
        "old_estate",
    )
    assert (second.year_built, second.unit_count, second.total_exclusive_area) == (
        1998,
        120,
        Decimal("8400.00"),
    )
    events = AuditEvent.objects.filter(action="estates.imported")
    assert events.count() == 1
    event = events.get()
    assert event.actor == world.district_a_officer
    assert event.data["file_name"] == "兴庆区摸底台账.xlsx"
    assert event.data["created"] == 2
    assert sorted(event.data["estate_ids"]) == sorted(result.ids)
    assert first.history.count() == 1  # model history is written too


@pytest.mark.parametrize(
    ("changes", "column", "header", "phrase"),
    [
        ({"社区（村）": "不存在社区"}, "D", "社区（村）", "不存在社区"),
        ({"街道（乡镇）": "黄河东路街道"}, "C", "街道（乡镇）", "黄河东路街道"),
        ({"社区代码": "640106001001"}, "E", "社区代码", "not in your jurisdiction"),
        ({"社区代码": "640104999999"}, "E", "社区代码", "640104999999"),
        ({"社区代码": "64010400100"}, "E", "社区代码", "12 digits"),
        (
            {"区县": "金凤区", "街道（乡镇）": "黄河东路街道", "社区（村）": "阅海社区"},
            "D",
            "社区（村）",
            "jurisdiction",
        ),
        ({"区县": None}, "B", "区县", "community code"),
        ({"房屋套数": "约300"}, "K", "房屋套数", "约300"),
        ({"房屋套数": 0}, "K", "房屋套数", "from 1"),
        ({"专有部分总面积（㎡）": "很大"}, "L", "专有部分总面积（㎡）", "很大"),
        ({"管理模式": "物业托管"}, "H", "管理模式", "物业服务企业"),
        ({"小区类型": None}, "I", "小区类型", "required"),
        ({"建成年份": 2999}, "J", "建成年份", "this year"),
        ({"经度": 38.46}, "M", "经度", "73"),
        ({"纬度": None}, "N", "纬度", "both"),
        ({"小区名称": "银古新城"}, "F", "小区名称", "row 3"),
        ({"小区名称": "银古花园"}, "F", "小区名称", "already has"),
        ({"小区名称": "名" * 101}, "F", "小区名称", "100"),
    ],
)
def test_one_bad_row_refuses_the_whole_file(world, actor_of, changes, column, header, phrase):
    before = snapshot()
    with pytest.raises(ImportRejected) as caught:
        estate_import(actor=actor_of("district_a_officer"), file=ledger(with_row(**changes)))
    errors = caught.value.errors
    assert [(e["row"], e["column"], e["header"]) for e in errors] == [(5, column, header)]
    assert phrase in errors[0]["message"]
    assert snapshot() == before  # nothing written, not even the good rows or an audit event


def test_every_bad_row_is_reported_at_once(world, actor_of):
    first = list(GOOD_ROWS[0])
    first[HEADERS.index("房屋套数")] = "abc"
    rows = [first, GOOD_ROWS[1], [*GOOD_ROWS[0][:5], "", "", "", "", None, "x", None]]
    with pytest.raises(ImportRejected) as caught:
        estate_import(actor=actor_of("district_a_officer"), file=ledger(rows))
    located = [(e["row"], e["column"]) for e in caught.value.errors]
    assert located == [(3, "K"), (5, "F"), (5, "G"), (5, "H"), (5, "I"), (5, "K"), (5, "L")]


def test_a_missing_required_column_is_reported(world, actor_of):
    headers = [h for h in HEADERS if h != "房屋套数"]
    rows = [[cell for i, cell in enumerate(row) if HEADERS[i] != "房屋套数"] for row in GOOD_ROWS]
    before = snapshot()
    with pytest.raises(ImportRejected) as caught:
        estate_import(actor=actor_of("district_a_officer"), file=ledger(rows, headers=headers))
    assert caught.value.errors == [
        {"row": 2, "column": "", "header": "房屋套数", "message": "This required column is missing."}
    ]
    assert snapshot() == before


def test_a_file_that_is_not_xlsx_is_refused(world, actor_of):
    before = snapshot()
    with pytest.raises(ImportRejected, match="xlsx"):
        estate_import(
            actor=actor_of("district_a_officer"),
            file=SimpleUploadedFile("台账.csv", "小区名称\n银古\n".encode()),
        )
    assert snapshot() == before


def test_a_district_officer_imports_only_into_their_district(world, actor_of):
    with pytest.raises(ImportRejected) as caught:
        estate_import(actor=actor_of("district_b_officer"), file=ledger(GOOD_ROWS))
    assert {(e["row"], e["column"]) for e in caught.value.errors} == {(3, "D"), (4, "E")}
    assert all("jurisdiction" in e["message"] for e in caught.value.errors)
    assert estate_import(actor=actor_of("city_admin"), file=ledger(GOOD_ROWS)).created == 2


@pytest.mark.parametrize(
    "persona", ["community_a1a_officer", "enterprise_x_staff", "owner_of_a1a_101", "auditor"]
)
def test_roles_without_the_permission_cannot_import(world, actor_of, persona):
    with pytest.raises(NotPermitted):
        estate_import(actor=actor_of(persona), file=ledger(GOOD_ROWS))


def test_the_template_filled_with_its_example_row_imports(world, actor_of):
    actor = actor_of("district_a_officer")
    workbook = openpyxl.load_workbook(io.BytesIO(estate_template(actor=actor)))
    assert workbook.sheetnames == ["小区摸底台账", INSTRUCTIONS_TITLE, "社区代码"]
    sheet = workbook["小区摸底台账"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    example = [
        row[4] for row in workbook[INSTRUCTIONS_TITLE].iter_rows(min_row=2, max_row=15, values_only=True)
    ]
    sheet.append(example)
    codes = {row[3] for row in workbook["社区代码"].iter_rows(min_row=2, values_only=True)}
    assert codes == {"640104001001", "640104001002", "640104002001"}  # district A's communities only
    output = io.BytesIO()
    workbook.save(output)
    result = estate_import(actor=actor, file=SimpleUploadedFile("模板.xlsx", output.getvalue()))
    assert result.created == 1
    assert Estate.objects.get(pk=result.ids[0]).community.code == example[4]


def test_the_template_without_an_actor_has_the_headers():
    workbook = openpyxl.load_workbook(io.BytesIO(estate_template()))
    assert [cell.value for cell in workbook.worksheets[0][1]] == HEADERS


# --------------------------------------------------------------------------------------------- pages


def test_the_upload_page_shows_the_form_and_the_columns(world, client):
    client.force_login(world.district_a_officer)
    response = client.get(reverse("estates_import:upload"))
    assert response.status_code == 200
    assert [c.header for c in response.context["spec"].columns] == HEADERS
    assert response.context["template_url"] == reverse("estates_import:template")
    assert "style=" not in response.content.decode()


@pytest.mark.parametrize("persona", ["owner_of_a1a_101", "enterprise_x_staff", "community_a1a_officer"])
def test_roles_without_the_permission_get_403(world, client, persona):
    client.force_login(world.users[persona])
    assert client.get(reverse("estates_import:upload")).status_code == 403
    assert client.post(reverse("estates_import:upload"), {"file": ledger(GOOD_ROWS)}).status_code == 403
    assert client.get(reverse("estates_import:template")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(world, client):
    response = client.get(reverse("estates_import:upload"))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_posting_a_good_ledger_imports_and_redirects_with_a_message(world, client):
    client.force_login(world.district_a_officer)
    before = Estate.objects.count()
    response = client.post(reverse("estates_import:upload"), {"file": ledger(GOOD_ROWS)})
    assert response.status_code == 302
    assert response["Location"] == reverse("estates:list")
    assert Estate.objects.count() == before + 2
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("2" in m and "兴庆区摸底台账.xlsx" in m for m in messages)


def test_posting_a_bad_ledger_shows_every_error_and_imports_nothing(world, client):
    client.force_login(world.district_a_officer)
    before = snapshot()
    response = client.post(reverse("estates_import:upload"), {"file": ledger(with_row(房屋套数="约300"))})
    assert response.status_code == 200
    assert response.context["errors"] == [
        {"row": 5, "column": "K", "header": "房屋套数", "message": response.context["errors"][0]["message"]}
    ]
    content = response.content.decode()
    assert "房屋套数" in content and "约300" in content
    assert snapshot() == before


def test_posting_no_file_shows_the_form_again(world, client):
    client.force_login(world.district_a_officer)
    response = client.post(reverse("estates_import:upload"), {})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_the_template_downloads_with_its_chinese_name(world, client):
    client.force_login(world.district_a_officer)
    response = client.get(reverse("estates_import:template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"filename*=UTF-8''{quote('小区摸底台账模板.xlsx')}" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in workbook.worksheets[0][1]] == HEADERS


def test_errors_are_chinese_by_default(world, actor_of):
    with translation.override("zh-hans"), pytest.raises(ImportRejected) as caught:
        estate_import(actor=actor_of("district_a_officer"), file=ledger(with_row(房屋套数="约300")))
    error = caught.value.errors[0]
    assert (error["row"], error["column"], error["header"]) == (5, "K", "房屋套数")
    assert any("\u4e00" <= char <= "\u9fff" for char in error["message"]), error["message"]
    assert any("\u4e00" <= char <= "\u9fff" for char in str(caught.value.message))
