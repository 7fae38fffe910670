"""What every page carries around its content: the icon and the footer's keys (16.6)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from webhelpers import SignIn

from kinlink.domain.permissions import allowed
from kinlink.domain.users import UserRole
from kinlink.web.templating import NAV


def test_the_icon_is_linked_and_the_browser_s_own_request_finds_it(
        app: FastAPI, sign_in: SignIn) -> None:
    anonymous = TestClient(app)
    icon = anonymous.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.startswith("<svg")
    linked = anonymous.get("/static/favicon.svg")
    assert linked.status_code == 200
    assert linked.text == icon.text
    page = sign_in(UserRole.CASE_WORKER).client.get("/search").text
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page


def _keys(page: str) -> str:
    found = re.search(r'<span class="muted" id="keys">(.*?)</span>', page, re.DOTALL)
    assert found is not None, page
    return unescape(found.group(1))


@pytest.mark.parametrize("role", list(UserRole))
def test_the_footer_offers_only_the_keys_of_the_role_s_own_pages(
        app: FastAPI, sign_in: SignIn, role: UserRole) -> None:
    client = sign_in(role).client
    keys = _keys(client.get("/account").text)
    for item in NAV:
        offered = f"Alt+{item.key.upper()} " in keys
        assert offered == (item.shown and allowed(role, item.action)), (item.path, keys)
    searches = allowed(role, NAV[0].action)
    assert keys.startswith("Keys: / search,") == searches, keys


def test_the_footer_s_keys_in_ukrainian(app: FastAPI, sign_in: SignIn) -> None:
    keys = _keys(sign_in(UserRole.ADMIN, language="uk").client.get("/account").text)
    assert keys.startswith("Клавіші:"), keys
    assert "Alt+R" not in keys
    assert "Alt+C" not in keys
    assert "Alt+M" not in keys
    assert "Alt+A Адміністрування" in keys, keys
