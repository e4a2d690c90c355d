"""The owners' QR intake: token, the three steps with the outbox backend, and the staff's poster."""

import pytest
from django.urls import reverse

from jiayuan.cases.models import Case
from jiayuan.intake.services import estate_token
from jiayuan.notifications.models import OutboundMessage
from jiayuan.testing.sms import last_code

pytestmark = pytest.mark.django_db

PHONE = "13800138000"


def latest_code(phone: str = PHONE) -> str:
    return last_code(phone)


def urls(estate):  # type: ignore[no-untyped-def]
    token = estate_token(estate)
    return (
        reverse("intake:report", args=[token]),
        reverse("intake:complaint", args=[token]),
        reverse("intake:thanks", args=[token]),
    )


def complaint(code: str, **extra: str) -> dict[str, str]:
    return {"code": code, "category": "everyday_cleaning", "description": "楼道垃圾三天没有清理", **extra}


def test_the_token_is_stable_and_a_bad_token_is_not_found(client, world):
    estate = world.estate_a1a
    assert estate_token(estate) == estate_token(estate)
    assert estate_token(estate).count(":") == 1  # no timestamp: a printed poster never expires
    assert estate_token(estate) != estate_token(world.estate_a1b)
    assert client.get(reverse("intake:report", args=["forged:token"])).status_code == 404
    assert client.get(reverse("intake:report", args=[f"{estate.pk}"])).status_code == 404
    assert client.get(urls(estate)[0]).status_code == 200


def test_an_owner_files_a_complaint_with_a_code(client, world):
    report, step2, thanks = urls(world.estate_a1a)
    response = client.post(report, {"phone": "138 0013 8000"})
    assert response.status_code == 302 and response.url == step2
    page = client.get(step2).content.decode()
    assert "138****8000" in page
    assert "style=" not in page and "<script" not in page
    response = client.post(step2, complaint(latest_code(), name="王大爷"))
    assert response.status_code == 302 and response.url == thanks
    case = Case.objects.get()
    assert case.estate == world.estate_a1a
    assert case.source == "qr_code"
    assert case.category == "everyday_cleaning"
    assert case.complainant_phone == PHONE
    assert case.complainant_name == "王大爷"
    assert case.events.filter(transition="file").exists()
    page = client.get(thanks).content.decode()
    assert case.number in page
    # The phone is forgotten: a second complaint needs a new code.
    assert client.get(step2).url == report


def test_a_wrong_code_is_refused_and_nothing_is_filed(client, world):
    report, step2, _thanks = urls(world.estate_a1a)
    client.post(report, {"phone": PHONE})
    wrong = "000000" if latest_code() != "000000" else "111111"
    response = client.post(step2, complaint(wrong))
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not Case.objects.exists()


def test_the_complaint_step_needs_a_phone_first(client, world):
    report, step2, thanks = urls(world.estate_a1a)
    assert client.get(step2).url == report
    assert client.get(thanks).url == report


def test_an_invalid_phone_is_refused(client, world):
    report, _step2, _thanks = urls(world.estate_a1a)
    response = client.post(report, {"phone": "12345"})
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    assert not OutboundMessage.objects.exists()


def test_too_many_codes_are_refused_with_a_time_to_retry(client, world):
    report, _step2, _thanks = urls(world.estate_a1a)
    for _ in range(5):
        assert client.post(report, {"phone": PHONE}).status_code == 302
    response = client.post(report, {"phone": PHONE})
    assert response.status_code == 200
    assert "验证码" in response.context["form"].errors["phone"][0]
    assert OutboundMessage.objects.filter(recipient=PHONE).count() == 5


def test_one_network_address_cannot_send_codes_to_phone_after_phone(client, world, settings):
    settings.JIAYUAN_CODES_PER_ADDRESS = "3/h"
    report, _step2, _thanks = urls(world.estate_a1a)
    phones = [f"1380013800{i}" for i in range(4)]
    for phone in phones[:3]:
        assert client.post(report, {"phone": phone}, REMOTE_ADDR="203.0.113.7").status_code == 302
    refused = client.post(report, {"phone": phones[3]}, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 200
    assert "当前网络申请验证码过于频繁" in refused.context["form"].errors["phone"][0]
    assert not OutboundMessage.objects.filter(recipient=phones[3]).exists()
    # Another address is counted on its own.
    assert client.post(report, {"phone": phones[3]}, REMOTE_ADDR="198.51.100.20").status_code == 302


def test_a_duplicate_is_filed_and_the_owner_is_told_of_the_open_case(client, world):
    report, step2, thanks = urls(world.estate_a1a)
    client.post(report, {"phone": PHONE})
    client.post(step2, complaint(latest_code()))
    first = Case.objects.get()
    client.post(report, {"phone": PHONE})
    assert client.post(step2, complaint(latest_code())).url == thanks
    second = Case.objects.exclude(pk=first.pk).get()
    assert second.events.get(transition="file").data["confirmed_not_duplicate_of"] == [first.number]
    page = client.get(thanks).content.decode()
    assert second.number in page and first.number in page


def test_a_category_outside_the_public_list_is_refused(client, world):
    report, step2, _thanks = urls(world.estate_a1a)
    client.post(report, {"phone": PHONE})
    response = client.post(step2, complaint(latest_code(), category="np_leak_personal_info"))
    assert response.status_code == 200
    assert response.context["form"].errors["category"]
    assert not Case.objects.exists()


def log_in(client, world, username: str):  # type: ignore[no-untyped-def]
    client.force_login(world.users[username])
    return client


def test_the_poster_is_for_staff_who_see_the_estate(client, world):
    poster = reverse("intake:poster", args=[world.estate_b1a.pk])
    assert client.get(poster).status_code == 302  # to the login
    log_in(client, world, "subdistrict_a1_officer")
    assert client.get(poster).status_code == 404  # another district's estate
    response = client.get(reverse("intake:poster", args=[world.estate_a1a.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<svg" in content
    assert world.estate_a1a.name in content
    assert reverse("intake:report", args=[estate_token(world.estate_a1a)]) in content
    assert "style=" not in content and "<script" not in content


def test_an_owner_cannot_print_the_poster(client, world):
    log_in(client, world, "owner_of_a1a_101")
    assert client.get(reverse("intake:poster", args=[world.estate_a1a.pk])).status_code == 403


def test_the_owner_chooses_from_the_presets_everyday_problems_in_plain_words(client, world):
    from jiayuan.policy.loader import active_preset

    report, step2, _thanks = urls(world.estate_a1a)
    client.post(report, {"phone": PHONE})
    response = client.get(step2)
    choices = response.context["form"].fields["category"].choices
    intake = active_preset().data.intake
    assert choices[0][0] == ""
    assert [label for label, _items in choices[1:-1]] == [group.name for group in intake.groups]
    assert choices[-1] == ("everyday_other", "其他问题")
    page = response.content.decode()
    assert '<optgroup label="东西坏了">' in page and "电梯坏了、停运" in page
    assert "违规饲养动物" not in page  # the regulation's wording stays for officers
    assert page.index("其他问题") > page.index("物业服务不到位")
    client.post(step2, complaint(latest_code(), category="po_animals", description="楼下的狗天天叫"))
    case = Case.objects.get()
    assert case.category == "po_animals"  # filed under the catalogue category


def test_the_follow_page_names_the_problem_in_the_owners_words(client, world):
    from jiayuan.cases.links import case_follow_token

    report, step2, _thanks = urls(world.estate_a1a)
    client.post(report, {"phone": PHONE})
    client.post(step2, complaint(latest_code(), category="everyday_elevator", description="3号楼电梯停了"))
    case = Case.objects.get()
    page = client.get(reverse("intake:follow", args=[case_follow_token(case)])).content.decode()
    assert "电梯坏了、停运" in page
    assert "电梯故障、停运" not in page


def test_the_poster_links_to_the_configured_site_address_not_the_request_host(client, world, settings):
    settings.SITE_URL = "https://wuye.example.gov.cn"
    log_in(client, world, "subdistrict_a1_officer")
    content = client.get(reverse("intake:poster", args=[world.estate_a1a.pk])).content
    link = "https://wuye.example.gov.cn" + reverse("intake:report", args=[estate_token(world.estate_a1a)])
    assert link in content.decode()
    assert "testserver" not in content.decode()
