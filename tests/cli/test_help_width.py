"""Every command's help reads well at 60, 80 and 120 columns (issue 16.5).

Typer's Rich help wraps each line of a help text again at the terminal's width; a help
written as lines rather than paragraphs comes out with sentences broken in two places,
and a ``[word]`` in it is taken for markup and lost. Each help page is rendered at each
width and read back: a line of a paragraph may end only where the next word would not
have fitted (else the break was in the source, inside a sentence), and every bracketed
word of the source help is on the page.
"""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
import typer
from typer import _click as click
from typer.core import TyperGroup
from typer.testing import CliRunner

from kinlink.cli import app
from kinlink.cli.helptext import reflow

WIDTHS = (60, 80, 120)
_BRACKETED = re.compile(r"\[[A-Za-z_][\w.-]*\]")


def _commands() -> list[tuple[tuple[str, ...], click.Command]]:
    """Every command and group under ``kinlink``, by its words, the top first."""
    top = typer.main.get_command(app)
    found: list[tuple[tuple[str, ...], click.Command]] = [((), top)]
    context = click.Context(top)

    def walk(path: tuple[str, ...], group: TyperGroup) -> None:
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            assert command is not None, name
            found.append(((*path, name), command))
            if isinstance(command, TyperGroup):
                walk((*path, name), command)

    assert isinstance(top, TyperGroup)
    walk((), top)
    return found


COMMANDS = _commands()


def _description(page: str) -> list[list[str]]:
    """The paragraphs of a help page's description (between the usage line and the first
    panel), each as its lines without the margin."""
    lines = page.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("Usage:"))
    end = next((i for i, line in enumerate(lines) if line.lstrip().startswith("╭")),
               len(lines))
    paragraphs: list[list[str]] = [[]]
    for line in lines[start + 1:end]:
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _broken(paragraph: list[str], room: int) -> list[str]:
    """Lines of ``paragraph`` that end although the next line's first word would have
    fitted after them (a list item starts a line of its own)."""
    return [f"{line!r} ⏎ {after!r}" for line, after in pairwise(paragraph)
            if not re.match(r"([-*•]|\d+[.)]) ", after)
            and len(line) + 1 + len(after.split()[0]) <= room]


def test_the_walk_finds_every_command() -> None:
    """The walk reaches nested commands, so that the checks below cover all of them."""
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"import", "users create-admin", "review", "lists new"} <= names
    assert len(COMMANDS) > 40


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("path", "command"), COMMANDS,
                         ids=[" ".join(p) or "kinlink" for p, _ in COMMANDS])
def test_help_keeps_sentences_and_brackets(path: tuple[str, ...], command: click.Command,
                                           width: int) -> None:
    """The help of each command at each width: no sentence broken by a line of the
    source, no bracketed word lost."""
    page = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": str(width)})
    assert page.exit_code == 0, page.output
    room = width - 2  # Rich's margin of one column on each side
    broken = [b for p in _description(page.stdout) for b in _broken(p, room)]
    assert not broken, f"sentence broken at {width} columns: {broken}"
    flat = " ".join(page.stdout.replace("│", " ").split())
    sources = [command.help or "", *(getattr(p, "help", None) or "" for p in command.params)]
    for word in {w for text in sources for w in _BRACKETED.findall(text.replace("\\[", "["))}:
        assert word in flat, f"{word} lost from the help of {' '.join(path)}"


def test_reflow_joins_lines_keeps_lists_and_escapes_brackets() -> None:
    """The reflow itself: a paragraph's lines joined, list items kept apart, brackets
    escaped, what follows click's cut left out."""
    text = """First line
    goes on.

    A list:
    - one item
      that goes on
    - another [columns] item

    \f
    Not shown."""
    assert reflow(text) == ("First line goes on.\n\nA list:\n- one item that goes on\n"
                            "- another \\[columns] item")
