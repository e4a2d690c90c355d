"""The complainant's follow page: what it shows (and hides), and rating or reopening from the phone."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from jiayuan.audit.models import AuditEvent
from jiayuan.cases.choices import Outcome, State
from jiayuan.cases.links import case_follow_token
from jiayuan.cases.models import Case
from jiayuan.cases.services import (
    case_accept,
    case_close_out,
    case_dispatch,
    case_moderate,
    case_rate,
    case_rectify,
    case_start,
    case_verify,
)
from jiayuan.cases.tests.factories import file, fresh, step
from jiayuan.core.exceptions import NotPermitted
from jiayuan.intake.selectors import problem_name
from jiayuan.intake.services import (
    FOLLOW_PURPOSE,
    complainant_actor,
    estate_token,
    intake_rate,
)
from jiayuan.notifications.choices import Purpose
from jiayuan.notifications.models import OutboundMessage
from jiayuan.notifications.services import verification_request
from jiayuan.policy.loader import active_preset
from jiayuan.testing.sms import last_code

pytestmark = pytest.mark.django_db

PHONE = "13812345678"  # the factories' complainant phone
OTHER_PHONE = "13900139000"


@pytest.fixture
def client(client, settings):
    """The pages in English, so that the tests can read them (the default language is Chinese)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def community(actor_of):
    return actor_of("community_a1a_officer")


@pytest.fixture
def staff_x(actor_of):
    return actor_of("enterprise_x_staff")


def in_progress(world, community, staff_x, at):
    case = file(community, world.estate_a1a, now=at)
    step(case_accept, community, case, now=at)
    step(case_dispatch, community, case, now=at)
    return step(case_start, staff_x, case, responsible_person="李经理", now=at)


def closed(world, community, staff_x, at=None):
    """A case filed by the hotline for PHONE, fixed and closed out at `at` (default: an hour ago)."""
    at = at or timezone.now() - dt.timedelta(hours=1)
    case = in_progress(world, community, staff_x, at)
    step(case_rectify, staff_x, case, measures="已清理", evidence="照片", now=at)
    step(case_verify, community, case, now=at)
    return step(case_close_out, community, case, outcome=Outcome.FIXED, now=at)


def follow(case):
    return reverse("intake:follow", args=[case_follow_token(case)])


def codes(phone=PHONE):
    """The verification codes sent (case updates go to the same phone)."""
    return OutboundMessage.objects.filter(recipient=phone, purpose=Purpose.VERIFICATION)


def latest_code(phone=PHONE):
    return last_code(phone)


def verify(client, case):
    url = follow(case)
    assert client.post(url, {"action": "send"}).status_code == 302
    assert client.post(url, {"action": "verify", "code": latest_code()}).status_code == 302
    return url


def test_the_page_shows_the_case_and_no_personal_data(client, world, community, staff_x):
    case = in_progress(world, community, staff_x, timezone.now())
    step(case_moderate, community, case, moderated_text="楼道垃圾无人清理(已隐藏)", reason="辱骂")
    with translation.override("en"):
        page = client.get(follow(case)).content.decode()
    category = problem_name(case.category)  # the owner's words for it
    # The state in the owner's words, not the officers' "In progress".
    for shown in (case.number, world.estate_a1a.name, category, "Being handled", "(已隐藏)"):
        assert shown in page
    assert "In progress" not in page
    assert world.enterprises["enterprise_x"].name in page  # the responsible body
    assert "registered the complaint from 12345 hotline" in page and "started work on the case" in page
    # Which deadline the date is: the rectification's, once the case is accepted.
    assert "To be fixed by" in page
    assert timezone.localtime(case.deadline).strftime("%Y-%m-%d %H:%M") in page
    for hidden in ("王小明", PHONE, "5678", "李经理", "community_a1a_officer", "enterprise_x_staff", "三天"):
        assert hidden not in page, hidden
    assert "style=" not in page and "<script" not in page
    assert "Overdue" not in page


def test_an_overdue_case_says_so(client, world, community, staff_x):
    case = in_progress(world, community, staff_x, timezone.now() - dt.timedelta(days=60))
    with translation.override("en"):
        page = client.get(follow(case)).content.decode()
    assert "Overdue" in page and "This deadline has passed." in page


def test_a_forged_token_is_not_found(client, world, community):
    case = file(community, world.estate_a1a)
    assert client.get(reverse("intake:follow", args=["forged:token"])).status_code == 404
    assert client.get(reverse("intake:follow", args=[str(case.pk)])).status_code == 404
    # The estate's poster token is signed with another salt: it names no case.
    assert client.get(reverse("intake:follow", args=[estate_token(world.estate_a1a)])).status_code == 404
    assert client.get(follow(case)).status_code == 200


def test_the_code_goes_to_the_cases_phone_shown_masked(client, world, community, staff_x):
    case = closed(world, community, staff_x)
    page = client.get(follow(case)).content.decode()
    assert "138****5678" in page and PHONE not in page
    assert 'name="phone"' not in page
    client.post(follow(case), {"action": "send", "phone": OTHER_PHONE})
    assert codes().count() == 1
    assert not OutboundMessage.objects.filter(recipient=OTHER_PHONE).exists()


def test_rating_needs_the_code_of_the_cases_phone(client, world, community, staff_x):
    case = closed(world, community, staff_x)
    url = follow(case)
    assert client.post(url, {"action": "rate", "rating": "5"}).status_code == 302
    assert fresh(case).rating is None
    client.post(url, {"action": "send"})
    right = latest_code()
    response = client.post(url, {"action": "verify", "code": "000000" if right != "000000" else "111111"})
    assert response.status_code == 200 and response.context["forms"]["verify"].errors["code"]
    # A code sent to another phone (for the same purpose) does not prove this case's phone.
    verification_request(phone=OTHER_PHONE, purpose=FOLLOW_PURPOSE)
    response = client.post(url, {"action": "verify", "code": latest_code(OTHER_PHONE)})
    assert response.status_code == 200 and response.context["forms"]["verify"].errors["code"]
    client.post(url, {"action": "rate", "rating": "5"})
    assert fresh(case).rating is None
    assert client.post(url, {"action": "verify", "code": right}).status_code == 302
    assert client.post(url, {"action": "rate", "rating": "5"}).status_code == 302
    assert fresh(case).rating == 5


def test_the_service_refuses_another_phone(world, community, staff_x):
    case = closed(world, community, staff_x)
    with pytest.raises(NotPermitted):
        intake_rate(case=case, phone=OTHER_PHONE, rating=1, comment="")
    # The complainant's actor has rating and reopening only, and only at the case's estate.
    actor = complainant_actor(case, PHONE)
    assert actor.permissions == {"cases.rate"}
    assert actor.scope.estate_ids == {world.estate_a1a.pk} and not actor.scope.region_paths


def test_a_poor_rating_offers_the_reopen_and_the_owner_reopens(client, world, community, staff_x):
    case = closed(world, community, staff_x)
    url = verify(client, case)
    response = client.post(url, {"action": "rate", "rating": "1", "comment": "没扫干净"})
    assert response.url == url + "?reopen=1#reopen"
    with translation.override("en"):
        page = client.get(response.url).content.decode()
    assert "Do you want the case reopened" in page
    case = fresh(case)
    assert (case.rating, case.rating_comment) == (1, "没扫干净")
    rating = case.events.get(kind="rating")
    assert rating.data["poor"] is True and rating.actor is None
    assert client.post(url, {"action": "reopen", "reason": "垃圾又堆起来了"}).status_code == 302
    case = fresh(case)
    assert (case.state, case.reopen_count, case.rating) == (State.ACCEPTED, 1, None)
    assert AuditEvent.objects.filter(action__in=["case.rate", "case.reopen"]).count() == 2
    with translation.override("en"):
        page = client.get(url).content.decode()
    assert "Accepted for handling" in page and "You reopened the case." in page
    assert "Send my rating" not in page  # no opinion while it is open again


def test_a_reopen_after_the_window_is_refused(client, world, community, staff_x):
    days = active_preset().data.cases.reopen_window.days
    case = closed(world, community, staff_x, at=timezone.now() - dt.timedelta(days=days, hours=1))
    url = verify(client, case)
    with translation.override("en"):
        page = client.get(url).content.decode()
        assert "Not solved" not in page and "ended on" in page
        response = client.post(url, {"action": "reopen", "reason": "还是没修"})
        assert response.status_code == 200
        assert f"only within {days} days" in response.content.decode()
    assert fresh(case).state == State.CLOSED_OUT


def test_a_second_rating_is_refused(client, world, community, staff_x):
    case = closed(world, community, staff_x)
    url = verify(client, case)
    client.post(url, {"action": "rate", "rating": "4"})
    with translation.override("en"):
        response = client.post(url, {"action": "rate", "rating": "5"})
    assert response.status_code == 200
    assert "already been rated" in response.content.decode()
    assert fresh(case).rating == 4


def test_the_code_of_one_case_does_not_unlock_another(client, world, community, staff_x):
    first = closed(world, community, staff_x)
    second = closed(world, community, staff_x)  # the same phone
    verify(client, first)
    client.post(follow(second), {"action": "rate", "rating": "2"})
    client.post(follow(second), {"action": "reopen", "reason": "x"})
    second = fresh(second)
    assert (second.rating, second.state) == (None, State.CLOSED_OUT)
    page = client.get(follow(second)).content.decode()
    assert 'value="send"' in page


def test_an_open_case_has_nothing_to_rate(client, world, community, staff_x):
    case = in_progress(world, community, staff_x, timezone.now())
    client.post(follow(case), {"action": "send"})
    assert not codes().exists()


def test_the_query_count_does_not_grow_with_the_timeline(client, world, community, staff_x):
    short = closed(world, community, staff_x)
    long = file(community, world.estate_a1a, now=timezone.now())
    step(case_accept, community, long, now=timezone.now())
    for _ in range(10):
        step(case_dispatch, community, long, now=timezone.now())  # redispatch: one more step each
    counts = []
    for case in (short, long):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(follow(case)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] <= 6


def test_the_ledger_finds_poorly_rated_closures(client, world, community, staff_x):
    poor = closed(world, community, staff_x)
    good = closed(world, community, staff_x)
    intake_rate(case=poor, phone=PHONE, rating=1, comment="")
    step(case_rate, community, good, rating=5)
    client.force_login(world.users["subdistrict_a1_officer"])
    with translation.override("en"):
        page = client.get(reverse("cases:ledger") + "?poor_rating=true").content.decode()
        home = client.get(reverse("dashboard:home")).content.decode()
    assert poor.number in page and good.number not in page
    assert "Poor rating 1/5" in page
    assert "?poor_rating=true" in home and "Cases rated poorly by the complainant" in home


def test_the_thanks_page_links_to_the_follow_page(client, world):
    token = estate_token(world.estate_a1a)
    client.post(reverse("intake:report", args=[token]), {"phone": PHONE})
    code = latest_code()
    data = {"code": code, "category": "everyday_cleaning", "description": "楼道垃圾三天没有清理"}
    client.post(reverse("intake:complaint", args=[token]), data)
    case = Case.objects.get()
    page = client.get(reverse("intake:thanks", args=[token])).content.decode()
    link = re.search(r'href="(/report/case/[\w-]+/)"', page)
    assert link, page
    followed = client.get(link.group(1))
    assert followed.status_code == 200
    assert case.number in followed.content.decode()


def test_the_verification_lapses_after_half_an_hour(client, world, community, staff_x):
    case = closed(world, community, staff_x)
    url = verify(client, case)
    session = client.session
    key = f"intake:follow:{case.pk}"
    state = session[key]
    state["verified_at"] = (timezone.now() - dt.timedelta(minutes=31)).isoformat()
    session[key] = state
    session.save()
    response = client.post(url, {"action": "rate", "rating": "3"}, follow=True)
    assert fresh(case).rating is None
    assert "first confirm it is you" in response.content.decode()
