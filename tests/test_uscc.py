"""GB 32100-2015 unified social credit codes: check character, length and alphabet."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from powerlist import uscc

# Published codes of real organisations (business licences shown on their websites).
REAL = ["91330100799655058B", "91440300708461136T", "914403001922038216", "91350100M000100Y43", "91110000710939135P"]


@pytest.mark.parametrize("code", REAL)
def test_published_codes_are_valid(code: str) -> None:
    assert uscc.problem(code) is None
    assert uscc.check_char(code[:17]) == code[17]


@pytest.mark.parametrize("code", REAL)
def test_every_other_check_character_is_rejected(code: str) -> None:
    wrong = [ch for ch in uscc.ALPHABET if ch != code[17]]
    problems = [uscc.problem(code[:17] + ch) for ch in wrong]
    assert all(p is not None and p.kind == "checksum" for p in problems)


def test_checksum_message_names_the_expected_character() -> None:
    p = uscc.problem("91330100799655058A")
    assert p is not None and p.kind == "checksum"
    assert "B" in p.message.en and "B" in p.message.zh


@pytest.mark.parametrize("code", ["", "9133010079965505", "91330100799655058BB"])
def test_wrong_length(code: str) -> None:
    p = uscc.problem(code)
    assert p is not None and p.kind == "length" and str(len(code)) in p.message.en


@pytest.mark.parametrize("bad", ["I", "O", "S", "V", "Z", "b", "-", "号"])
def test_characters_outside_the_alphabet(bad: str) -> None:
    p = uscc.problem("9133010079965505" + bad + "B")
    assert p is not None and p.kind == "charset" and repr(bad) in p.message.en


def test_lower_case_gets_a_hint() -> None:
    p = uscc.problem("91330100799655058b")
    assert p is not None and p.kind == "charset" and "upper case" in p.message.en


def test_alphabet_is_the_31_symbols_of_the_standard() -> None:
    assert len(uscc.ALPHABET) == 31 and len(set(uscc.ALPHABET)) == 31
    assert not set("IOSVZ") & set(uscc.ALPHABET)


@given(st.text(alphabet=uscc.ALPHABET, min_size=17, max_size=17))
def test_a_single_substitution_is_always_detected(first17: str) -> None:
    code = first17 + uscc.check_char(first17)
    assert uscc.is_valid(code)
    # weights are distinct and non-zero mod 31 (a prime): any one changed character breaks the sum
    pos = len(first17) // 2
    for ch in uscc.ALPHABET:
        if ch != code[pos]:
            assert not uscc.is_valid(code[:pos] + ch + code[pos + 1:])
