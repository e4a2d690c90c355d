"""Owners' personal data is shown masked (YC §5(一) prohibition 5: no leaking of owners' data)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiayuan.core.masking import mask_id_number, mask_name, mask_phone


class TestPhone:
    def test_a_mobile_number_keeps_the_first_three_and_last_four_digits(self):
        assert mask_phone("13912345678") == "139****5678"

    def test_surrounding_spaces_are_ignored(self):
        assert mask_phone(" 13912345678 ") == "139****5678"

    @pytest.mark.parametrize("short", ["", "1", "123456"])
    def test_a_number_too_short_to_mask_partly_is_masked_entirely(self, short):
        assert mask_phone(short) == "*" * len(short)

    @given(st.text(alphabet="0123456789", min_size=11, max_size=11))
    def test_the_middle_four_digits_never_show(self, phone):
        masked = mask_phone(phone)
        assert masked[3:7] == "****"
        assert masked[:3] == phone[:3] and masked[-4:] == phone[-4:]


class TestIdNumber:
    def test_an_id_number_keeps_the_first_four_and_last_four_characters(self):
        assert mask_id_number("640104199001011234") == "6401**********1234"

    def test_the_birth_date_never_shows(self):
        assert "19900101" not in mask_id_number("640104199001011234")

    def test_an_x_check_character_is_kept(self):
        assert mask_id_number("64010419900101123X") == "6401**********123X"

    @pytest.mark.parametrize("short", ["", "1234", "12345678"])
    def test_a_value_too_short_to_mask_partly_is_masked_entirely(self, short):
        assert mask_id_number(short) == "*" * len(short)

    @given(st.text(alphabet="0123456789X", min_size=9, max_size=20))
    def test_the_length_is_kept_and_only_the_ends_show(self, value):
        masked = mask_id_number(value)
        assert len(masked) == len(value)
        assert masked[:4] == value[:4] and masked[-4:] == value[-4:]
        assert set(masked[4:-4]) == {"*"}


class TestName:
    @pytest.mark.parametrize(
        ("name", "masked"),
        [("张三", "张*"), ("王小明", "王*明"), ("欧阳娜娜", "欧**娜"), ("李", "李"), ("", "")],
    )
    def test_a_name_keeps_only_its_first_and_last_characters(self, name, masked):
        assert mask_name(name) == masked

    def test_surrounding_spaces_are_ignored(self):
        assert mask_name(" 王小明 ") == "王*明"
