"""The unified social credit code follows GB 32100-2015: 18 characters, a check character at the end."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from jiayuan.enterprises.uscc import ALPHABET, WEIGHTS, build_uscc, check_character, validate_uscc

# Codes of real registered companies, checked by hand against the standard's algorithm.
REAL_CODES = [
    "91350100M000100Y43",
    "91110000802100433B",
    "91440300708461136T",
    "91110108551385082Q",
]

divisions = st.text(alphabet="0123456789", min_size=6, max_size=12)
serials = st.text(alphabet=ALPHABET, max_size=12)


def is_valid(code: str) -> bool:
    try:
        validate_uscc(code)
    except ValidationError:
        return False
    return True


def codes_of(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list if e.code}


def test_the_weights_are_the_powers_of_three_modulo_31():
    assert list(WEIGHTS) == [3**i % 31 for i in range(17)]


def test_the_alphabet_has_31_characters_without_i_o_z_s_v():
    assert len(ALPHABET) == 31
    assert not set("IOZSV") & set(ALPHABET)


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_registered_codes_are_valid(code):
    validate_uscc(code)


@pytest.mark.parametrize("code", REAL_CODES)
def test_the_check_character_is_recomputed_from_the_first_17(code):
    total = sum(ALPHABET.index(c) * w for c, w in zip(code[:17], WEIGHTS, strict=True))
    assert code[17] == ALPHABET[(31 - total % 31) % 31] == check_character(code[:17])


@pytest.mark.parametrize("code", REAL_CODES)
def test_any_single_character_change_of_a_real_code_is_refused(code):
    for position in range(18):
        for replacement in ALPHABET:
            if replacement == code[position]:
                continue
            changed = code[:position] + replacement + code[position + 1 :]
            assert not is_valid(changed), changed


@pytest.mark.parametrize("code", REAL_CODES)
def test_lowercase_is_normalised_before_checking(code):
    validate_uscc(code.lower())
    validate_uscc(f"  {code.lower()} ")


@pytest.mark.parametrize("code", ["", "9135010", "91350100M000100Y4", "91350100M000100Y430"])
def test_a_code_of_the_wrong_length_is_refused_as_such(code):
    with pytest.raises(ValidationError) as refused:
        validate_uscc(code)
    assert codes_of(refused.value) == {"uscc_length"}


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_a_code_with_a_forbidden_letter_is_refused_as_such(letter):
    code = "91350100M000100Y4" + letter
    with pytest.raises(ValidationError) as refused:
        validate_uscc(code)
    assert codes_of(refused.value) == {"uscc_character"}
    assert letter in refused.value.messages[0]


def test_the_division_part_must_be_digits():
    body = "9135A100M000100Y4"
    with pytest.raises(ValidationError) as refused:
        validate_uscc(body + check_character(body))
    assert codes_of(refused.value) == {"uscc_division"}


def test_a_wrong_check_character_is_refused_as_such():
    with pytest.raises(ValidationError) as refused:
        validate_uscc("91350100M000100Y44")
    assert codes_of(refused.value) == {"uscc_check"}


def test_the_check_value_31_maps_to_the_character_0():
    # Find a body whose weighted sum is a multiple of 31: its check character must be "0".
    body = "91350100M000100Y4"
    for last in ALPHABET:
        candidate = body[:16] + last
        if sum(ALPHABET.index(c) * w for c, w in zip(candidate, WEIGHTS, strict=True)) % 31 == 0:
            assert check_character(candidate) == "0"
            validate_uscc(candidate + "0")
            return
    pytest.fail("no body with a sum divisible by 31 found")


@given(division=divisions, serial=serials)
def test_build_uscc_always_produces_a_valid_code(division, serial):
    code = build_uscc(division, serial)
    assert len(code) == 18
    assert code.startswith("91" + division[:6])
    validate_uscc(code)


@given(
    division=divisions,
    serial=serials,
    position=st.integers(min_value=0, max_value=17),
    replacement=st.sampled_from(ALPHABET),
)
def test_changing_any_one_character_of_a_built_code_breaks_it(division, serial, position, replacement):
    code = build_uscc(division, serial)
    changed = code[:position] + replacement + code[position + 1 :]
    assert is_valid(changed) == (changed == code)
