"""Importing the list of enterprises: credit codes checked, errors by row and column, all or nothing."""

from __future__ import annotations

import io
from urllib.parse import quote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from jiayuan.audit.models import AuditEvent
from jiayuan.core.exceptions import ImportRejected, NotPermitted
from jiayuan.core.xlsx import INSTRUCTIONS_TITLE
from jiayuan.enterprises.imports import enterprise_import, enterprise_template, validate_phone
from jiayuan.enterprises.models import Enterprise
from jiayuan.enterprises.uscc import build_uscc


@pytest.fixture(autouse=True)
def in_english():
    """These tests read the English message ids; test_errors_are_chinese_by_default checks zh-hans."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db

HEADERS = ["序号", "企业名称", "统一社会信用代码", "法定代表人", "注册区县", "地址", "服务电话"]
USCC_1 = build_uscc("640104", "MA7K3LNQ1")
USCC_2 = build_uscc("640104", "MA7K3LNQ2")
USCC_3 = build_uscc("640104", "MA7K3LNQ3")
GOOD_ROWS = [
    [1, "银川安居物业服务有限公司", USCC_1, "王建国", "兴庆区", "解放东街100号", "0951-6012345"],
    [2, "宁夏丽园物业管理有限公司", USCC_2.lower(), None, "640104", None, "139 1234 5678、400-123-4567"],
]


def enterprise_list(rows: list[list[object]], headers: list[str] = HEADERS, name: str = "企业名录.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile(name, output.getvalue())


def with_row(**changes: object) -> list[list[object]]:
    """The good rows plus a third good one with some cells changed (by header)."""
    third = [3, "凤凰城物业有限公司", USCC_3, "李红", "兴庆区", None, "13812345678"]
    for header, value in changes.items():
        third[HEADERS.index(header)] = value
    return [*GOOD_ROWS, third]


def snapshot() -> tuple[int, int]:
    return Enterprise.objects.count(), AuditEvent.objects.count()


def wrong_check_character(code: str) -> str:
    return code[:17] + ("0" if code[17] != "0" else "1")


def test_a_good_list_registers_every_enterprise_with_one_audit_event(world, actor_of):
    before = Enterprise.objects.count()
    result = enterprise_import(actor=actor_of("district_a_officer"), file=enterprise_list(GOOD_ROWS))
    assert result.created == 2
    assert Enterprise.objects.count() == before + 2
    first = Enterprise.objects.get(uscc=USCC_1)
    assert (first.name, first.legal_representative, first.phone) == (
        "银川安居物业服务有限公司",
        "王建国",
        "0951-6012345",
    )
    assert first.registered_region == world.district_a
    second = Enterprise.objects.get(uscc=USCC_2)  # stored upper-case
    assert second.registered_region == world.district_a  # given by its 6-digit code
    event = AuditEvent.objects.get(action="enterprises.imported")
    assert event.actor == world.district_a_officer
    assert event.data["file_name"] == "企业名录.xlsx"
    assert event.data["created"] == 2
    assert sorted(event.data["enterprise_ids"]) == sorted(result.ids)


@pytest.mark.parametrize(
    ("changes", "column", "header", "phrase"),
    [
        ({"统一社会信用代码": wrong_check_character(USCC_3)}, "C", "统一社会信用代码", "check character"),
        ({"统一社会信用代码": USCC_3[:17]}, "C", "统一社会信用代码", "18 characters"),
        ({"统一社会信用代码": USCC_1}, "C", "统一社会信用代码", "row 2"),
        ({"统一社会信用代码": None}, "C", "统一社会信用代码", "required"),
        ({"企业名称": None}, "B", "企业名称", "required"),
        ({"注册区县": "金凤区"}, "E", "注册区县", "not in your jurisdiction"),
        ({"注册区县": "不存在区"}, "E", "注册区县", "不存在区"),
        ({"注册区县": "凤凰北街街道"}, "E", "注册区县", "凤凰北街街道"),  # a subdistrict is not a district
        ({"服务电话": "12345"}, "G", "服务电话", "12345"),
        ({"法定代表人": "名" * 65}, "D", "法定代表人", "64"),
    ],
)
def test_one_bad_row_refuses_the_whole_list(world, actor_of, changes, column, header, phrase):
    before = snapshot()
    with pytest.raises(ImportRejected) as caught:
        enterprise_import(actor=actor_of("district_a_officer"), file=enterprise_list(with_row(**changes)))
    errors = caught.value.errors
    assert [(e["row"], e["column"], e["header"]) for e in errors] == [(4, column, header)]
    assert phrase in errors[0]["message"]
    assert snapshot() == before


def test_a_code_already_registered_is_refused(world, actor_of):
    existing = world.enterprise_x
    before = snapshot()
    with pytest.raises(ImportRejected) as caught:
        enterprise_import(
            actor=actor_of("city_admin"), file=enterprise_list(with_row(统一社会信用代码=existing.uscc))
        )
    [error] = caught.value.errors
    assert (error["row"], error["column"]) == (4, "C")
    assert existing.name in error["message"]
    assert snapshot() == before


def test_a_missing_required_column_is_reported(world, actor_of):
    headers = [h for h in HEADERS if h != "统一社会信用代码"]
    rows = [[cell for i, cell in enumerate(row) if HEADERS[i] != "统一社会信用代码"] for row in GOOD_ROWS]
    with pytest.raises(ImportRejected) as caught:
        enterprise_import(actor=actor_of("district_a_officer"), file=enterprise_list(rows, headers=headers))
    assert [(e["row"], e["column"], e["header"]) for e in caught.value.errors] == [
        (1, "", "统一社会信用代码")
    ]


def test_a_file_that_is_not_xlsx_is_refused(world, actor_of):
    before = snapshot()
    with pytest.raises(ImportRejected, match="xlsx"):
        enterprise_import(
            actor=actor_of("city_admin"), file=SimpleUploadedFile("名录.xlsx", b"not a workbook")
        )
    assert snapshot() == before


def test_a_district_officer_registers_only_in_their_district(world, actor_of):
    with pytest.raises(ImportRejected) as caught:
        enterprise_import(actor=actor_of("district_b_officer"), file=enterprise_list(GOOD_ROWS))
    assert [(e["row"], e["column"]) for e in caught.value.errors] == [(2, "E"), (3, "E")]
    assert enterprise_import(actor=actor_of("city_admin"), file=enterprise_list(GOOD_ROWS)).created == 2


def test_a_district_officer_must_give_the_district_of_every_row(world, actor_of):
    before = snapshot()
    with pytest.raises(ImportRejected) as caught:
        enterprise_import(actor=actor_of("district_a_officer"), file=enterprise_list(with_row(注册区县=None)))
    errors = caught.value.errors
    assert [(e["row"], e["column"], e["header"]) for e in errors] == [(4, "E", "注册区县")]
    assert "would not appear in your lists" in errors[0]["message"]
    assert snapshot() == before


def test_a_district_officer_cannot_leave_out_the_district_column(world, actor_of):
    headers = [h for h in HEADERS if h != "注册区县"]
    rows = [[cell for i, cell in enumerate(row) if HEADERS[i] != "注册区县"] for row in GOOD_ROWS]
    with pytest.raises(ImportRejected) as caught:
        enterprise_import(actor=actor_of("district_a_officer"), file=enterprise_list(rows, headers=headers))
    errors = caught.value.errors
    assert [(e["row"], e["column"], e["header"]) for e in errors] == [(1, "", "注册区县")]
    assert "would not appear in your lists" in errors[0]["message"]


def test_a_city_admin_may_leave_the_district_out(world, actor_of):
    result = enterprise_import(actor=actor_of("city_admin"), file=enterprise_list(with_row(注册区县=None)))
    assert result.created == 3
    assert Enterprise.objects.get(uscc=USCC_3).registered_region is None
    # and the enterprise stays in the city admin's lists
    assert Enterprise.objects.visible_to(actor_of("city_admin")).filter(uscc=USCC_3).exists()


@pytest.mark.parametrize("persona", ["subdistrict_a1_officer", "enterprise_x_staff", "owner_of_a1a_101"])
def test_roles_without_the_permission_cannot_import(world, actor_of, persona):
    with pytest.raises(NotPermitted):
        enterprise_import(actor=actor_of(persona), file=enterprise_list(GOOD_ROWS))


@pytest.mark.parametrize(
    "phone", ["13912345678", "0951-6012345", "(0951)6012345", "400-123-4567", "6012345", "+86 139 1234 5678"]
)
def test_plausible_phone_numbers_pass(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["12345", "1391234567", "电话", "0951-12", "23912345678"])
def test_implausible_phone_numbers_fail(phone):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_phone(phone)


def test_the_template_filled_with_its_example_row_imports(world, actor_of):
    actor = actor_of("district_b_officer")
    workbook = openpyxl.load_workbook(io.BytesIO(enterprise_template(actor=actor)))
    assert workbook.sheetnames == ["物业服务企业名录", INSTRUCTIONS_TITLE, "区县代码"]
    sheet = workbook["物业服务企业名录"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    example = [
        row[4] for row in workbook[INSTRUCTIONS_TITLE].iter_rows(min_row=2, max_row=8, values_only=True)
    ]
    assert example[4] == "金凤区"  # the example district is one of the actor's
    sheet.append(example)
    output = io.BytesIO()
    workbook.save(output)
    result = enterprise_import(actor=actor, file=SimpleUploadedFile("模板.xlsx", output.getvalue()))
    assert result.created == 1
    assert Enterprise.objects.get(pk=result.ids[0]).registered_region == world.district_b


# --------------------------------------------------------------------------------------------- pages


def test_the_upload_page_shows_the_form(world, client):
    client.force_login(world.city_admin)
    response = client.get(reverse("enterprises_import:upload"))
    assert response.status_code == 200
    assert [c.header for c in response.context["spec"].columns] == HEADERS


@pytest.mark.parametrize("persona", ["owner_of_a1a_101", "enterprise_x_staff", "subdistrict_a1_officer"])
def test_roles_without_the_permission_get_403(world, client, persona):
    client.force_login(world.users[persona])
    assert client.get(reverse("enterprises_import:upload")).status_code == 403
    assert (
        client.post(reverse("enterprises_import:upload"), {"file": enterprise_list(GOOD_ROWS)}).status_code
        == 403
    )
    assert client.get(reverse("enterprises_import:template")).status_code == 403


def test_posting_a_good_list_imports_and_redirects(world, client):
    client.force_login(world.district_a_officer)
    before = Enterprise.objects.count()
    response = client.post(reverse("enterprises_import:upload"), {"file": enterprise_list(GOOD_ROWS)})
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:list")
    assert Enterprise.objects.count() == before + 2


def test_posting_a_bad_list_shows_the_errors_and_imports_nothing(world, client):
    client.force_login(world.district_a_officer)
    before = snapshot()
    bad = with_row(统一社会信用代码=wrong_check_character(USCC_3))
    response = client.post(reverse("enterprises_import:upload"), {"file": enterprise_list(bad)})
    assert response.status_code == 200
    assert [(e["row"], e["column"], e["header"]) for e in response.context["errors"]] == [
        (4, "C", "统一社会信用代码")
    ]
    assert "统一社会信用代码" in response.content.decode()
    assert snapshot() == before


def test_the_template_downloads_with_its_chinese_name(world, client):
    client.force_login(world.city_admin)
    response = client.get(reverse("enterprises_import:template"))
    assert response.status_code == 200
    assert f"filename*=UTF-8''{quote('物业服务企业名录模板.xlsx')}" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in workbook.worksheets[0][1]] == HEADERS
