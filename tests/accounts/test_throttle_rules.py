"""The throttle's rules (issue 13): free failures, doubling waits, caps, and the keys an
attempt is counted by. Pure: no store."""

from __future__ import annotations

import datetime as dt

from kinlink.accounts.throttle import Scope, account_key, address_key, wait_after


def test_waits_double_after_the_free_failures_up_to_their_caps() -> None:
    account = [int(wait_after(Scope.ACCOUNT, n).total_seconds()) for n in range(1, 17)]
    assert account == [0, 0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]
    address = [int(wait_after(Scope.ADDRESS, n).total_seconds()) for n in (19, 20, 21, 30, 31)]
    assert address == [0, 2, 4, 2048, 3600]
    assert wait_after(Scope.ACCOUNT, 10**9) == dt.timedelta(minutes=15)


def test_an_account_is_counted_by_its_canonical_name_hashed() -> None:
    assert account_key(" Olena ") == account_key("olena")
    assert account_key("olena") != account_key("oksana")
    scope, key = account_key("olena")
    assert scope == "account"
    assert len(key) == 64
    assert "olena" not in key


def test_an_ipv6_address_is_counted_by_its_network_and_ipv4_as_itself() -> None:
    assert address_key("2001:db8:1:2::10") == address_key("2001:db8:1:2:ffff::1")
    assert address_key("2001:db8:1:2::10") != address_key("2001:db8:1:3::10")
    assert address_key("::ffff:192.0.2.1") == address_key("192.0.2.1")
    assert address_key("192.0.2.1") != address_key("192.0.2.2")
    assert address_key(None) == address_key("")
    assert address_key("192.0.2.1")[0] == "address"
    assert address_key("192.0.2.1") != account_key("192.0.2.1")
