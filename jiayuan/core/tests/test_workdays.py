import datetime as dt

from django.core import checks
from django.utils import timezone

from jiayuan.core.workdays import add_working_days, check_holiday_schedule, is_working_day


def at(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def test_public_holidays_are_not_working_days_and_make_up_saturdays_are():
    assert not is_working_day(dt.date(2026, 10, 1))  # National Day
    assert not is_working_day(dt.date(2026, 2, 17))  # Spring Festival
    assert is_working_day(dt.date(2026, 2, 14))  # Saturday worked in exchange (调休)
    assert is_working_day(dt.date(2026, 10, 10))


def test_counting_working_days_across_the_national_day_week():
    assert add_working_days(at(2026, 9, 30), 1) == at(2026, 10, 8)
    assert add_working_days(at(2026, 9, 30), 3) == at(2026, 10, 10)  # the make-up Saturday counts


def test_the_local_date_decides_not_the_utc_one():
    late_evening = at(2026, 9, 30, 23)  # 15:00 UTC the same day; the next local day is a holiday
    assert add_working_days(late_evening, 1) == at(2026, 10, 8, 23)


def test_a_year_without_a_published_schedule_counts_monday_to_friday(settings):
    friday = at(2099, 1, 2)
    assert add_working_days(friday, 1) == at(2099, 1, 5)


def test_the_system_check_warns_when_next_years_schedule_is_missing(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2098, 12, 1))
    [warning] = check_holiday_schedule()
    assert warning.id == "jiayuan.W001" and warning.level == checks.WARNING and "2099" in warning.msg
    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2026, 3, 1))
    assert check_holiday_schedule() == []
