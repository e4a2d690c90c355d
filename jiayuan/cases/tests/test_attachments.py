"""Attachments on cases: what is accepted, all or nothing, metadata stripped, scoped download, pages, API."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from PIL import Image

from jiayuan.cases import services
from jiayuan.cases.attachment_files import sanitise_name, sniff
from jiayuan.cases.models import Case, CaseAttachment, CaseEvent
from jiayuan.cases.tests.factories import file, fresh, step
from jiayuan.core.exceptions import DomainError, NotPermitted
from jiayuan.intake.services import estate_token
from jiayuan.testing import api as api_testing
from jiayuan.testing.sms import last_code

pytestmark = pytest.mark.django_db

api = api_testing.api
drf_api = api_testing.drf_api

GPS_IFD = 0x8825
EXIF_MAKE = 0x010F


# --- files to upload ----------------------------------------------------------------------------------


def image_bytes(fmt: str = "JPEG", *, gps: bool = False, size: tuple[int, int] = (32, 24)) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    out = io.BytesIO()
    options = {}
    if gps:
        exif = Image.Exif()
        exif[EXIF_MAKE] = "PhoneMaker"
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (38.0, 28.0, 0.0), 3: "E", 4: (106.0, 16.0, 0.0)})
        options["exif"] = exif.tobytes()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def office_bytes(part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return out.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def case(world, actor_of):
    return file(actor_of("community_a1a_officer"), world.estate_a1a)


@pytest.fixture
def officer(actor_of):
    return actor_of("community_a1a_officer")


# --- what is accepted ---------------------------------------------------------------------------------


def test_photos_and_documents_are_accepted_by_their_content(case, officer):
    files = [
        upload("a.jpg", image_bytes("JPEG")),
        upload("b.png", image_bytes("PNG")),
        upload("c.webp", image_bytes("WEBP")),
        upload("整改报告.pdf", PDF_BYTES),
        upload("d.docx", office_bytes("word/document.xml")),
        upload("e.xlsx", office_bytes("xl/workbook.xml")),
    ]
    stored = services.case_attach(actor=officer, case=case, files=files)
    got = [(a.kind, a.content_type, a.original_name) for a in stored]
    assert got == [
        ("photo", "image/jpeg", "a.jpg"),
        ("photo", "image/png", "b.png"),
        ("photo", "image/webp", "c.webp"),
        ("document", "application/pdf", "整改报告.pdf"),
        ("document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "d.docx"),
        ("document", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "e.xlsx"),
    ]
    pdf = stored[3]
    assert pdf.size == len(PDF_BYTES) and len(pdf.sha256) == 64
    assert "整改" not in pdf.file.name and pdf.file.name.endswith(".pdf")  # stored under a random name
    assert len(stored_files()) == 6
    note = CaseEvent.objects.get(case=case, kind="note")
    assert note.data["files"][3] == "整改报告.pdf"
    assert all(a.event_id == note.pk for a in stored)


def test_the_type_comes_from_the_content_not_the_name(case, officer):
    assert sniff(image_bytes("PNG")).content_type == "image/png"
    stored = services.case_attach(actor=officer, case=case, files=[upload("photo.pdf", image_bytes("PNG"))])
    assert stored[0].content_type == "image/png" and stored[0].file.name.endswith(".png")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("holiday.jpg", EXE_BYTES),  # a program renamed as a photo
        ("page.png", b"<html><script>alert(1)</script></html>"),
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 10),
        ("archive.docx", office_bytes("other/thing.xml")),
        ("notes.txt", b"plain text"),
    ],
)
def test_a_file_that_is_not_an_accepted_type_is_refused_by_name(case, officer, name, content):
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.case_attach(actor=officer, case=case, files=[upload(name, content)])
    assert name in str(refused.value.message)
    assert not CaseAttachment.objects.exists() and not stored_files()


def test_an_oversized_file_is_refused(case, officer, settings):
    settings.JIAYUAN_ATTACHMENT_MAX_BYTES = 1000
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.case_attach(actor=officer, case=case, files=[upload("big.pdf", PDF_BYTES + b"0" * 1000)])
    assert refused.value.code == "file_too_large"
    assert "big.pdf" in str(refused.value.message)
    assert not stored_files()


def test_too_many_files_for_a_case_are_refused(case, officer, settings):
    settings.JIAYUAN_ATTACHMENTS_PER_CASE = 3
    services.case_attach(actor=officer, case=case, files=[upload("1.pdf", PDF_BYTES)] * 2)
    with pytest.raises(DomainError) as refused:
        services.case_attach(
            actor=officer, case=case, files=[upload("2.pdf", PDF_BYTES), upload("3.pdf", PDF_BYTES)]
        )
    assert refused.value.code == "too_many_files"
    assert CaseAttachment.objects.count() == 2 and len(stored_files()) == 2


def test_one_bad_file_among_good_ones_stores_nothing(case, officer):
    files = [upload("good.jpg", image_bytes()), upload("good.pdf", PDF_BYTES), upload("bad.jpg", EXE_BYTES)]
    with translation.override("en"), pytest.raises(DomainError, match=r"bad\.jpg"):
        services.case_attach(actor=officer, case=case, files=files)
    assert not CaseAttachment.objects.exists()
    assert not CaseEvent.objects.filter(kind="note").exists()
    assert not stored_files()


def test_files_written_are_removed_when_the_transaction_rolls_back(case, officer, monkeypatch):
    # The audit event is written after the files: make it fail, as a database error would.
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("jiayuan.cases.services.attachments.record_event", broken)
    with pytest.raises(RuntimeError):
        services.case_attach(actor=officer, case=case, files=[upload("a.jpg", image_bytes())] * 2)
    assert not CaseAttachment.objects.exists()
    assert not stored_files()


def test_files_of_an_enclosing_transaction_that_rolls_back_are_removed(case, officer):
    from jiayuan.cases.attachment_files import stored_files_removed_on_error

    with pytest.raises(ZeroDivisionError), stored_files_removed_on_error(), transaction.atomic():
        services.case_attach(actor=officer, case=case, files=[upload("a.pdf", PDF_BYTES)])
        assert len(stored_files()) == 1
        _ = 1 / 0
    assert not stored_files() and not CaseAttachment.objects.exists()


def test_exif_gps_and_device_data_are_stripped_from_photos(case, officer):
    original = image_bytes("JPEG", gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test photo has a position
    [stored] = services.case_attach(actor=officer, case=case, files=[upload("phone.jpg", original)])
    with stored.file.open("rb") as handle:
        data = handle.read()
    cleaned = Image.open(io.BytesIO(data))
    assert not cleaned.getexif().get_ifd(GPS_IFD)
    assert EXIF_MAKE not in cleaned.getexif()
    assert b"PhoneMaker" not in data
    assert cleaned.size == (32, 24)


def test_a_photo_is_turned_upright_before_its_metadata_goes(case, officer):
    image = Image.new("RGB", (40, 20), (10, 10, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to show
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    [stored] = services.case_attach(actor=officer, case=case, files=[upload("turned.jpg", out.getvalue())])
    with stored.file.open("rb") as handle:
        assert Image.open(handle).size == (20, 40)


def test_names_are_cleaned_and_shortened():
    assert sanitise_name("C:\\Users\\王\\照片 1.jpg", ".jpg") == "照片 1.jpg"
    assert sanitise_name("../../etc/passwd", ".pdf") == "passwd"
    assert sanitise_name('a\x00b<>"c.pdf', ".pdf") == "ab___c.pdf"
    assert sanitise_name("", ".png") == "file.png"
    long = sanitise_name("长" * 300 + ".xlsx", ".xlsx")
    assert len(long) == 200 and long.endswith(".xlsx")


# --- who may attach -----------------------------------------------------------------------------------


def test_who_may_attach(world, actor_of):
    community = actor_of("community_a1a_officer")
    owner = actor_of("owner_of_a1a_101")
    staff = actor_of("enterprise_x_staff")
    own = file(owner, world.estate_a1a)
    pdf = [upload("x.pdf", PDF_BYTES)]
    services.case_attach(actor=owner, case=own, files=pdf)  # the complainant, at filing
    other = file(actor_of("subdistrict_a1_officer"), world.estate_a1b)
    with pytest.raises(Http404):  # enterprise X does not serve a1b: out of scope
        services.case_attach(actor=staff, case=other, files=pdf)
    with pytest.raises(NotPermitted):  # sees the case but it is not dispatched to them
        services.case_attach(actor=staff, case=fresh(own), files=pdf)
    case = step(services.case_accept, community, fresh(own))
    case = step(services.case_dispatch, community, case)
    case = step(services.case_start, staff, case)
    services.case_attach(actor=staff, case=case, files=pdf)  # the handler, with evidence
    with pytest.raises(NotPermitted):
        services.case_attach(actor=actor_of("committee_a1a_member"), case=case, files=pdf)


def test_a_closed_case_takes_files_only_from_supervisors(world, actor_of):
    community = actor_of("community_a1a_officer")
    owner = actor_of("owner_of_a1a_101")
    case = file(owner, world.estate_a1a)
    case = step(services.case_accept, community, case)
    case = step(services.case_close_out, community, case, outcome="withdrawn", note="撤回")
    pdf = [upload("x.pdf", PDF_BYTES)]
    with pytest.raises(DomainError) as refused:
        services.case_attach(actor=owner, case=case, files=pdf)
    assert refused.value.code == "transition_not_allowed"
    assert len(services.case_attach(actor=community, case=case, files=pdf)) == 1


# --- download -----------------------------------------------------------------------------------------


@pytest.fixture
def attached(case, officer):
    photo, document = services.case_attach(
        actor=officer,
        case=case,
        files=[upload("现场.jpg", image_bytes()), upload("整改报告.pdf", PDF_BYTES)],
    )
    return photo, document


def download_url(attachment):
    return reverse("cases:attachment", args=[attachment.case_id, attachment.pk])


def test_photos_are_shown_inline_and_documents_downloaded(client, world, attached):
    photo, document = attached
    client.force_login(world.users["subdistrict_a1_officer"])
    response = client.get(download_url(photo))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    response = client.get(download_url(document))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and "filename*=utf-8''" in disposition
    assert "%E6%95%B4%E6%94%B9" in disposition  # 整改, RFC 5987
    assert response["Content-Security-Policy"] == "sandbox"


def test_the_download_is_scoped(client, world, attached):
    photo, _document = attached
    url = download_url(photo)
    response = client.get(url)
    assert response.status_code == 302 and "login" in response.url
    client.force_login(world.users["district_b_officer"])
    assert client.get(url).status_code == 404
    # The right attachment under another case's number is not found either.
    client.force_login(world.users["city_admin"])
    assert client.get(reverse("cases:attachment", args=[photo.case_id + 1000, photo.pk])).status_code == 404
    assert client.get(url).status_code == 200


def test_media_is_not_served_from_a_public_url(client, world, attached):
    photo, _document = attached
    client.force_login(world.users["city_admin"])
    assert client.get(f"/{settings.MEDIA_URL}{photo.file.name}").status_code == 404


# --- pages --------------------------------------------------------------------------------------------


def test_the_case_page_lists_attachments_without_a_query_for_each(client, world, case, officer):
    client.force_login(world.users["community_a1a_officer"])
    url = reverse("cases:detail", args=[case.pk])
    services.case_attach(actor=officer, case=case, files=[upload("1.jpg", image_bytes())])
    client.get(url)  # the session's first request also caches the reach and stamps the session
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    files = [upload(f"{n}.jpg", image_bytes()) for n in range(4)] + [upload("r.pdf", PDF_BYTES)] * 3
    services.case_attach(actor=officer, case=case, files=files)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(one)
    page = response.content.decode()
    assert page.count('loading="lazy"') == 5
    assert 'enctype="multipart/form-data"' in page
    assert "r.pdf" in page and "style=" not in page


def test_files_are_added_through_the_case_page(client, world, case):
    client.force_login(world.users["community_a1a_officer"])
    url = reverse("cases:attach", args=[case.pk])
    response = client.post(url, {"attachments": [upload("a.jpg", image_bytes()), upload("b.pdf", PDF_BYTES)]})
    assert response.status_code == 302
    assert sorted(CaseAttachment.objects.values_list("original_name", flat=True)) == ["a.jpg", "b.pdf"]
    with translation.override("en"):
        response = client.post(url, {"attachments": [upload("virus.jpg", EXE_BYTES)]}, follow=True)
    assert any("virus.jpg" in str(m) for m in response.context["messages"])
    assert CaseAttachment.objects.count() == 2


def test_a_case_page_without_the_right_offers_no_upload(client, world, case):
    client.force_login(world.users["committee_a1a_member"])
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.context["attach_form"] is None
    response = client.post(
        reverse("cases:attach", args=[case.pk]), {"attachments": [upload("a.pdf", PDF_BYTES)]}
    )
    assert response.status_code == 403
    assert not CaseAttachment.objects.exists()


def hotline_form(world, **extra):
    return {
        "estate": world.estate_a1a.pk,
        "category": "everyday_cleaning",
        "source": "hotline_12345",
        "urgency": "normal",
        "description": "楼道垃圾三天无人清理",
        **extra,
    }


def test_a_hotline_case_is_filed_with_a_photo(client, world):
    client.force_login(world.users["community_a1a_officer"])
    response = client.post(
        reverse("cases:new"), hotline_form(world, attachments=[upload("p.jpg", image_bytes())])
    )
    assert response.status_code == 302
    case = Case.objects.get()
    [attachment] = case.attachments.all()
    assert attachment.event == case.events.get(transition="file")


def test_a_bad_file_files_no_hotline_case(client, world):
    client.force_login(world.users["community_a1a_officer"])
    with translation.override("en"):
        response = client.post(
            reverse("cases:new"), hotline_form(world, attachments=[upload("x.jpg", EXE_BYTES)])
        )
    assert response.status_code == 200
    assert "x.jpg" in response.content.decode()
    assert not Case.objects.exists() and not stored_files()


def test_the_rectification_carries_evidence_photos(client, world, case, officer, actor_of):
    case = step(services.case_accept, officer, case)
    case = step(services.case_dispatch, officer, case)
    case = step(services.case_start, actor_of("enterprise_x_staff"), case)
    client.force_login(world.users["enterprise_x_staff"])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page
    body = {
        "version": case.version,
        "measures": "已清理",
        "evidence": "照片",
        "attachments": [upload("after.jpg", image_bytes())],
    }
    response = client.post(reverse("cases:transition", args=[case.pk, "rectify"]), body)
    assert response.status_code == 302
    case = fresh(case)
    assert case.state == "rectified"
    assert case.attachments.get().event == case.events.get(transition="rectify")


# --- the owner's phone form ---------------------------------------------------------------------------


def latest_code(phone):
    return last_code(phone)


def intake_steps(client, world, phone="13800138000"):
    token = estate_token(world.estate_a1a)
    client.post(reverse("intake:report", args=[token]), {"phone": phone})
    return reverse("intake:complaint", args=[token]), latest_code(phone)


def complaint(code, **extra):
    return {"code": code, "category": "everyday_cleaning", "description": "楼道垃圾三天没有清理", **extra}


def test_an_owner_sends_a_photo_with_the_complaint(client, world):
    step2, code = intake_steps(client, world)
    page = client.get(step2).content.decode()
    assert 'accept="image/*"' in page and 'enctype="multipart/form-data"' in page
    response = client.post(step2, complaint(code, photos=[upload("IMG_0001.JPG", image_bytes(gps=True))]))
    assert response.status_code == 302
    attachment = Case.objects.get().attachments.get()
    assert attachment.kind == "photo" and attachment.original_name == "IMG_0001.JPG"
    with attachment.file.open("rb") as handle:
        assert not Image.open(handle).getexif().get_ifd(GPS_IFD)


def test_the_owner_may_send_only_photos_and_at_most_three(client, world):
    step2, code = intake_steps(client, world)
    with translation.override("en"):
        response = client.post(step2, complaint(code, photos=[upload("a.pdf", PDF_BYTES)]))
        assert response.status_code == 200
        assert "a.pdf" in response.content.decode()
        response = client.post(
            step2, complaint(code, photos=[upload(f"{n}.jpg", image_bytes()) for n in range(4)])
        )
        assert response.status_code == 200
        assert response.context["form"].errors["photos"]
    assert not Case.objects.exists() and not stored_files()


# --- API ----------------------------------------------------------------------------------------------


def test_the_api_lists_and_takes_attachments(drf_api, world, case, officer):
    client = drf_api("community_a1a_officer")
    url = f"/api/v1/cases/{case.pk}/attachments/"
    response = client.post(
        url, {"files": [upload("a.jpg", image_bytes()), upload("b.pdf", PDF_BYTES)]}, format="multipart"
    )
    assert response.status_code == 201, response.content
    assert [row["original_name"] for row in response.json()] == ["a.jpg", "b.pdf"]
    response = client.post(url, {"files": [upload("c.jpg", EXE_BYTES)]}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "file_type_not_accepted"
    rows = client.get(url).json()
    assert [
        set(row) >= {"id", "kind", "original_name", "size", "content_type", "uploaded_at", "url"}
        for row in rows
    ]
    assert [row["kind"] for row in rows] == ["photo", "document"]
    download = client.get(rows[1]["url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert drf_api("district_b_officer").get(url).status_code == 404
    assert drf_api("district_b_officer").get(rows[1]["url"]).status_code == 404
    assert drf_api().get(url).status_code == 401


def test_the_api_list_costs_the_same_queries_for_one_and_for_many(drf_api, world, case, officer):
    client = drf_api("community_a1a_officer")
    url = f"/api/v1/cases/{case.pk}/attachments/"
    services.case_attach(actor=officer, case=case, files=[upload("1.pdf", PDF_BYTES)])
    client.get(url)  # the token's first use writes its last-used time
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).json()) == 1
    services.case_attach(actor=officer, case=case, files=[upload("n.pdf", PDF_BYTES)] * 6)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()) == 7
    assert len(many) == len(one)


def test_the_api_takes_attachments_over_http(api, world):
    from jiayuan.cases.tests.factories import file as file_case
    from jiayuan.core.actor import actor_for

    case = file_case(actor_for(world.users["community_a1a_officer"]), world.estate_a1a)
    client = api("community_a1a_officer")
    url = f"/api/v1/cases/{case.pk}/attachments/"
    response = client.post(url, files=[("files", ("现场.jpg", image_bytes(), "image/jpeg"))])
    assert response.status_code == 201, response.text
    row = response.json()[0]
    assert row["original_name"] == "现场.jpg"
    download = client.get(row["url"], headers={"Accept": "image/jpeg"})
    assert download.status_code == 200 and download.content[:3] == b"\xff\xd8\xff"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_no_metadata_survives_in_any_photo_format(case, officer, fmt):
    exif = Image.Exif()
    exif[EXIF_MAKE] = "PhoneMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (38.0, 28.0, 0.0)})
    options = {"exif": exif.tobytes()}
    if fmt == "PNG":
        from PIL import PngImagePlugin

        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", "SECRETXMP")
        options["pnginfo"] = text
    else:
        options["xmp"] = b"<x:xmpmeta>SECRETXMP</x:xmpmeta>"
    out = io.BytesIO()
    Image.new("RGB", (12, 12)).save(out, format=fmt, **options)
    assert b"PhoneMaker" in out.getvalue()
    [stored] = services.case_attach(
        actor=officer, case=case, files=[upload(f"p.{fmt.lower()}", out.getvalue())]
    )
    with stored.file.open("rb") as handle:
        data = handle.read()
    assert b"PhoneMaker" not in data and b"SECRETXMP" not in data
