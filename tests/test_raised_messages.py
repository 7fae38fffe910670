"""Every message a service raises can be said in Ukrainian: no refusal of kinlink's own
(a :class:`~kinlink.errors.KinlinkError`) is raised with a plain English text, literal
or formatted; each is a coded :class:`~kinlink.i18n.Message`, whose wording the
catalogue translates (``tests/test_i18n.py`` checks that every wording has its
Ukrainian ``msgstr`` with the same parameters)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kinlink
from kinlink.errors import AccessDeniedError, InputRefusedError, OutOfReachError
from kinlink.i18n import Message

SOURCE = Path(kinlink.__file__).parent

ALLOWED: dict[str, str] = {}
"""``path:ERROR_CLASS`` → why a plain text is allowed there. Empty: no internal
programming error of kinlink is raised as a ``KinlinkError`` (those are ``ValueError``,
``TypeError`` or assertions, which no page shows)."""


def _error_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """``KinlinkError`` and every class defined in kinlink that derives from it."""
    names, grown = {"KinlinkError"}, True
    while grown:
        grown = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names and any(
                        _name(base) in names for base in node.bases):
                    names.add(node.name)
                    grown = True
    return names


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def _plain_text(node: ast.expr) -> bool:
    """A string literal, an f-string, a concatenation with one or ``"…".format(…)``."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _plain_text(node.left) or _plain_text(node.right)
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format" and _plain_text(node.func.value))


def _plain_raises(source: Path) -> list[str]:
    trees = {path: ast.parse(path.read_text(encoding="utf-8"))
             for path in sorted(source.rglob("*.py"))}
    # OutOfReachError takes the kind of thing (a code), and words it itself
    classes = _error_classes(trees) - {"OutOfReachError"}
    found = []
    for path, tree in trees.items():
        where = path.relative_to(source).as_posix()
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and _name(node.func) in classes and node.args
                    and _plain_text(node.args[0])
                    and f"{where}:{_name(node.func)}" not in ALLOWED):
                found.append(f"{where}:{node.lineno}: {_name(node.func)}("
                             f"{ast.unparse(node.args[0])[:60]}…)")
    return found


def test_no_service_raises_its_refusal_as_plain_english() -> None:
    plain = _plain_raises(SOURCE)
    assert not plain, ("raise these with a Wording (kinlink.i18n) so that they can be "
                       "translated:\n" + "\n".join(plain))


def test_the_scan_finds_a_plain_refusal(tmp_path: Path) -> None:
    (tmp_path / "errors.py").write_text("class KinlinkError(Exception): ...\n"
                                        "class MyError(KinlinkError): ...\n")
    (tmp_path / "service.py").write_text(
        "from errors import MyError\n"
        "def f(n):\n"
        "    raise MyError(f'line {n} is wrong')\n"
        "def g(n):\n"
        "    raise MyError(WORDING(line=n))\n"
        "def h():\n"
        "    raise MyError('the file ' + 'is empty')\n")
    assert [hit.split(":")[:2] for hit in _plain_raises(tmp_path)] == [
        ["service.py", "3"], ["service.py", "7"]]


def test_refusals_raised_by_services_carry_their_code() -> None:
    from kinlink.domain.access import Actor
    from kinlink.domain.permissions import Action, require
    from kinlink.domain.users import UserRole
    from kinlink.listfiles.uploads import check_upload

    with pytest.raises(AccessDeniedError) as denied:
        require(Actor(name="admin", role=UserRole.ADMIN), Action.REVIEW_DECIDE)
    with pytest.raises(InputRefusedError) as refused:
        check_upload("list.txt", b"a,b\n")
    for caught in (denied, refused):
        message = caught.value.args[0]
        assert isinstance(message, Message)
        assert message.code
    assert denied.value.args[0].params == {"role": "admin"}
    assert OutOfReachError("case", 3).message is not None
