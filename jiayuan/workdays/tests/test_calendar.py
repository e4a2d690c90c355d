"""Working days: the published schedule, the weekday rule beyond it, and the administrator's adjustments."""

import datetime as dt

import pytest
from django.utils import timezone

from jiayuan.core.actor import system_actor
from jiayuan.workdays.calendar import add_working_days, is_working_day, schedule_published
from jiayuan.workdays.choices import DayKind
from jiayuan.workdays.services import workday_adjustment_set


def at(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def enter(day: dt.date, kind: str, name: str = "春节") -> None:
    workday_adjustment_set(actor=system_actor(), day=day, kind=kind, name=name)


@pytest.mark.django_db
class TestThePublishedSchedule:
    def test_public_holidays_are_not_working_days_and_make_up_saturdays_are(self):
        assert not is_working_day(dt.date(2026, 10, 1))  # National Day
        assert not is_working_day(dt.date(2026, 2, 17))  # Spring Festival
        assert is_working_day(dt.date(2026, 2, 14))  # Saturday worked in exchange (调休)
        assert is_working_day(dt.date(2026, 10, 10))

    def test_counting_working_days_across_the_national_day_week(self):
        assert add_working_days(at(2026, 9, 30), 1) == at(2026, 10, 8)
        assert add_working_days(at(2026, 9, 30), 3) == at(2026, 10, 10)  # the make-up Saturday counts

    def test_the_local_date_decides_not_the_utc_one(self):
        late_evening = at(2026, 9, 30, 23)  # 15:00 UTC the same day; the next local day is a holiday
        assert add_working_days(late_evening, 1) == at(2026, 10, 8, 23)

    def test_new_years_eve_late_in_the_evening_counts_from_the_local_date(self):
        # 16:30 UTC on 31 December is 00:30 on New Year's Day in Shanghai. 2 and 3 January 2026
        # are holidays and Sunday 4 January a make-up working day (by the UTC date: 5 January).
        new_years_eve = dt.datetime(2025, 12, 31, 16, 30, tzinfo=dt.UTC)
        assert add_working_days(new_years_eve, 1) == dt.datetime(2026, 1, 3, 16, 30, tzinfo=dt.UTC)


@pytest.mark.django_db
class TestAYearNotPublishedYet:
    def test_the_package_knows_some_years_and_not_others(self):
        assert schedule_published(2026)
        assert not schedule_published(2099)

    def test_it_counts_monday_to_friday(self):
        friday = at(2099, 1, 2)
        assert add_working_days(friday, 1) == at(2099, 1, 5)
        assert not is_working_day(dt.date(2099, 1, 3))

    def test_an_entered_holiday_and_make_up_day_count_as_entered(self):
        enter(dt.date(2099, 1, 5), DayKind.DAY_OFF, name="元旦")  # a Monday
        enter(dt.date(2099, 1, 10), DayKind.WORKING_DAY, name="元旦")  # a Saturday
        assert not is_working_day(dt.date(2099, 1, 5))
        assert is_working_day(dt.date(2099, 1, 10))
        friday = at(2099, 1, 2)
        assert add_working_days(friday, 1) == at(2099, 1, 6)
        # Tuesday 6 to Friday 9 are four, the make-up Saturday the fifth.
        assert add_working_days(friday, 5) == at(2099, 1, 10)


@pytest.mark.django_db
class TestAdjustmentsOverrideThePackage:
    def test_a_day_off_on_a_published_working_day(self):
        assert is_working_day(dt.date(2026, 3, 17))
        enter(dt.date(2026, 3, 17), DayKind.DAY_OFF, name="市庆")
        assert not is_working_day(dt.date(2026, 3, 17))
        assert add_working_days(at(2026, 3, 16), 1) == at(2026, 3, 18)

    def test_a_working_day_on_a_published_holiday(self):
        assert not is_working_day(dt.date(2026, 10, 2))
        enter(dt.date(2026, 10, 2), DayKind.WORKING_DAY, name="国庆节")
        assert is_working_day(dt.date(2026, 10, 2))
        assert add_working_days(at(2026, 9, 30), 1) == at(2026, 10, 2)


@pytest.mark.django_db
def test_counting_reads_the_adjustments_once_then_from_the_cache(django_assert_num_queries):
    enter(dt.date(2099, 1, 5), DayKind.DAY_OFF, name="元旦")
    with django_assert_num_queries(1):
        add_working_days(at(2099, 1, 2), 20)
    with django_assert_num_queries(0):
        add_working_days(at(2099, 1, 2), 20)
        is_working_day(dt.date(2099, 1, 5))
