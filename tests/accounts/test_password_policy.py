"""The password policy (issue 13): long, and none that an attacker tries early; each
refusal names its rule. Pure: no store."""

from __future__ import annotations

import pytest

from kinlink.accounts.password_policy import REFUSALS, check_policy, refusal
from kinlink.errors import InputRefusedError


@pytest.mark.parametrize(("password", "code"), [
    ("short", "password_too_short"),
    ("x" * 129, "password_too_long"),
    ("aaaaaaaaaaaa", "password_repetitive"),
    ("ababababababab", "password_repetitive"),
    ("kyivkyivkyiv", "password_repetitive"),
    ("passwordpassword", "password_repetitive"),
    ("123456789012", "password_sequence"),
    ("abcdefghijkl", "password_sequence"),
    ("ZYXWVUTSRQPON", "password_sequence"),
    ("qwertyuiopasdf", "password_sequence"),
    ("йцукенгшщзхї", "password_sequence"),
    ("абвгґдеєжзиі", "password_sequence"),
    ("abcdef123456", "password_sequence"),
    ("qwerty 1234 asdf", "password_sequence"),
    ("password1234", "password_common"),
    ("iloveyou2024", "password_common"),
    ("Sunshine2024!", "password_common"),
    ("1qaz2wsx3edc4rfv", "password_common"),
    ("Слава Україні!", "password_common"),
    ("my name is olena.koval", "password_has_username"),
    ("koval-winter-garden", "password_has_username"),
    ("OLENAKOVAL-2024-x", "password_has_username"),
    ("blue elephant", "password_guessable"),
    ("Football fan!", "password_guessable"),
])
def test_weak_passwords_are_refused_saying_why(password: str, code: str) -> None:
    assert refusal(password, "olena.koval") == code
    with pytest.raises(InputRefusedError) as raised:
        check_policy(password, "olena.koval")
    assert raised.value.code == code
    assert str(raised.value) == REFUSALS[code]
    assert password not in str(raised.value)


@pytest.mark.parametrize("password", [
    "correct horse battery staple",
    "Зелений кіт співає вночі",
    "q8Wf-Tn3_zLpR0vYcE2k",
    "Sunflower fields of Poltava",
    "monkey-93847561029",
    "Xk9#mP2$vL7q",
    "x" * 7 + "Довга фраза про Карпати" + "!" * 98,  # 128 characters
])
def test_long_unusual_passwords_are_accepted(password: str) -> None:
    assert refusal(password, "olena.koval") is None


def test_the_breach_list_is_shipped_and_large() -> None:
    from kinlink.accounts.password_policy import _common_list

    common = _common_list()
    assert len(common) > 30_000
    assert {"123456", "dragon", "iloveyou", "пароль"} <= common


def test_scoring_a_long_password_stays_fast() -> None:
    import time

    start = time.perf_counter()
    for _ in range(5):
        refusal("ab1-" * 32, "olena")
        refusal("Довга фраза про Карпати і море та ще трохи слів " * 2, "olena")
    assert time.perf_counter() - start < 2.0
