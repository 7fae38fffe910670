"""``kinlink names``: look at how kinlink reads and compares names."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import track
from rich.table import Table

from kinlink.cli.context import err_console, fail, friendly_errors, ntr, out, term, tr
from kinlink.domain.cells import SafeCsvWriter
from kinlink.errors import FILE_UNREADABLE, FileRefusedError
from kinlink.i18n import N_, Wording, os_problem
from kinlink.linkage import NameEvidence, NameScorer
from kinlink.listfiles.encoding import decode_text
from kinlink.names import (
    NameParts,
    Relation,
    Script,
    System,
    compare_names,
    detect,
    latin_skeleton,
    lookup_given,
    parse_full_name,
    surname_key,
    transliterate,
)
from kinlink.names.equivalence import given_name
from kinlink.names.normalise import tokens
from kinlink.names.patronymic import patronymic_key
from kinlink.web.labels import SYSTEMS
from kinlink.web.verdicts import engine_detail

_NEEDS_COLUMNS_B_FOUND = Wording("cli.names.needs_columns_b_found", N_(
    "{name}: needs columns a and b (found: {value})"))

app = typer.Typer(help="Analyse and compare names across Ukrainian, Russian and Latin "
                       "spellings.", no_args_is_help=True)

_SCRIPTS: dict[str, str] = {
    Script.UKRAINIAN: N_("Ukrainian Cyrillic"),
    Script.RUSSIAN: N_("Russian Cyrillic"),
    Script.CYRILLIC: N_("Cyrillic (Ukrainian or Russian)"),
    Script.LATIN: N_("Latin"),
    Script.OTHER: N_("other"),
}
"""A word's script in words (:class:`kinlink.names.Script`)."""

_FAMILIES = {
    "German": N_("German"), "French": N_("French"),
    "Ukrainian official (KMU 2010)": N_("Ukrainian official (KMU 2010)"),
    "Ukrainian passport 2007": N_("Ukrainian passport 2007"),
    "Russian passport (ICAO 9303)": N_("Russian passport (ICAO 9303)"),
    "Russian passport (MVD 1997) or English habit":
        N_("Russian passport (MVD 1997) or English habit"),
    "GOST 2006": N_("GOST 2006"), "English habit": N_("English habit"),
}
"""The transliteration families a Latin word looks like (:mod:`kinlink.names.scripts`)."""

_RELATIONS: dict[str, str] = {
    Relation.UKRAINIAN: N_("Ukrainian form"), Relation.RUSSIAN: N_("Russian form"),
    Relation.LATIN: N_("Latin spelling"), Relation.DIMINUTIVE: N_("diminutive"),
}
"""How a written given name relates to the name it was found under."""

_UKRAINIAN_SYSTEMS = (System.KMU_2010, System.UA_PASSPORT_2007)
_RUSSIAN_SYSTEMS = (System.RU_ICAO_9303, System.RU_MVD_310)


def _words(name: str) -> str:
    described = []
    for word in tokens(name):
        script = detect(word)
        shown = term(_SCRIPTS, script.script)
        described.append(tr("{word}: {script} — looks like {families}").format(
            word=word, script=shown,
            families=", ".join(term(_FAMILIES, f) for f in script.families))
            if script.families else f"{word}: {shown}")
    return "\n".join(described)


def _latin_rows(table: Table, parts: NameParts) -> None:
    """Latin spellings under the systems of the name's own language."""
    matches = lookup_given(parts.given) if parts.given else ()
    russian = any(detect(w).script is Script.RUSSIAN for w in tokens(parts.display())) or any(
        m.relation is Relation.RUSSIAN for m in matches)
    for system in _RUSSIAN_SYSTEMS if russian else _UKRAINIAN_SYSTEMS:
        table.add_row(tr("in Latin ({system})").format(system=term(SYSTEMS, system.value)),
                      transliterate(parts.display(), system))
    if not russian and len(matches) == 1 and parts.given:
        form = given_name(matches[0].name_id).russian
        table.add_row(tr("Russian form of the given name"),
                      tr("{form} ({latin} in Russian passports)").format(
                          form=form, latin=transliterate(form, System.RU_ICAO_9303)))


def _analysis(name: str) -> Table:
    parts = parse_full_name(name)
    table = Table("", name, show_header=True, title_justify="left")
    table.add_row(tr("words"), _words(name))
    table.add_row(tr("surname"), parts.surname or "—")
    table.add_row(tr("given name"), parts.given or "—")
    table.add_row(tr("patronymic"), parts.patronymic or "—")
    if parts.given:
        matches = lookup_given(parts.given)
        table.add_row(tr("given name is"), "; ".join(
            tr("{relation} of {name}").format(relation=term(_RELATIONS, m.relation),
                                              name=m.name_id) for m in matches)
                      or tr("not in the name table"))
    if parts.patronymic:
        table.add_row(tr("father's name"), patronymic_key(parts.patronymic) or "—")
    if parts.surname:
        table.add_row(tr("surname key"), surname_key(parts.surname))
    if any(detect(w).script is not Script.LATIN for w in tokens(name)):
        _latin_rows(table, parts)
    elif parts.given:
        table.add_row(tr("given name key"), latin_skeleton(parts.given))
    return table


def _family(parts: NameParts) -> str:
    return " ".join(p for p in (parts.surname, parts.patronymic) if p) or "—"


def _evidence_table(first: str, second: str) -> tuple[Table, NameEvidence]:
    """The name comparisons of linkage, as a pair of these names would score them."""
    scorer = NameScorer()
    left, right = scorer.rows((first, second))
    evidence = scorer.evidence(left, right)
    table = Table(tr("comparison"), tr("first"), tr("second"), tr("level"), tr("weight"),
                  tr("name engine's reason"), title=tr("What linkage makes of these names"),
                  title_justify="left")
    for f in evidence.fields:
        values = ((left.parts.given or "—", right.parts.given or "—")
                  if f.comparison == "given_name" else (_family(left.parts), _family(right.parts)))
        colour = "green" if f.weight > 0 else "red" if f.weight < 0 else "dim"
        mark = "*" if f.frequency_adjusted and not f.null else ""
        table.add_row(tr(f.title), *values, f"{f.level}: {tr(f.words)}",
                      f"[{colour}]{f.weight:+.1f}{mark}[/]",
                      engine_detail(f.reason, tr) if f.reason else "")
    return table, evidence


@app.command("explain")
@friendly_errors
def explain_command(
    first: Annotated[str, typer.Argument(help="A name, e.g. \"Олександр Петренко\".",
                                         show_default=False)],
    second: Annotated[str, typer.Argument(help="Another name, e.g. \"Aleksandr Petrenko\".",
                                          show_default=False)],
) -> None:
    """Show how kinlink reads two names and what linkage makes of them.

    Each name is split into surname, given name and patronymic (in either order), its
    words are labelled with their script, the given name is looked up in the table of
    Ukrainian and Russian names and diminutives. Then the names are compared as linkage
    compares two records: for the given name and for the surname with the patronymic,
    the level found, its weight in bits (what it adds to or takes from a pair's score:
    +1 doubles the odds of one child, -1 halves them) and, beside it, the name engine's
    more precise reason.
    """
    out.print(_analysis(first))
    out.print(_analysis(second))
    table, evidence = _evidence_table(first, second)
    out.print(table)
    if any(f.frequency_adjusted and not f.null for f in evidence.fields):
        out.print(tr("* in a scored pair this weight is adjusted for how common the name "
                     "is in the lists: less for a common name, more for a rare one."))
    out.print(tr("Names together: [bold]{weight}[/] bits. Names alone never prove identity: "
                 "linkage weighs dates, places and sex too.").format(
        weight=f"{evidence.weight:+.1f}"))


def _read_pairs(path: Path) -> list[dict[str, str]]:
    try:
        text = decode_text(path.read_bytes()).text
    except OSError as exc:
        raise FileRefusedError(FILE_UNREADABLE(
            name=str(path.name),
            strerror=os_problem(exc))) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = {c.strip().casefold(): c for c in reader.fieldnames or []}
    if "a" not in columns or "b" not in columns:
        raise FileRefusedError(
            _NEEDS_COLUMNS_B_FOUND(
                name=str(path.name), value=str(", ".join(reader.fieldnames or []) or "none")
            )
        )
    return [
        {"a": (row.get(columns["a"]) or "").strip(), "b": (row.get(columns["b"]) or "").strip()}
        for row in reader
    ]


@app.command("compare")
@friendly_errors
def compare_command(
    pairs: Annotated[
        Path,
        typer.Argument(
            help="CSV with columns a and b (other columns are ignored).", show_default=False
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help="Where to write the results (CSV).", show_default=False
        ),
    ],
) -> None:
    """Compare many pairs of names: one output row per input row, in order.

    The output has the columns a, b, verdict (same, different or unsure) and score
    (0 to 1). A row where a or b is empty is written with verdict unsure and score 0.
    """
    rows = _read_pairs(pairs)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = SafeCsvWriter(handle)
        writer.writerow(["a", "b", "verdict", "score"])
        for row in track(
            rows,
            description=tr("Comparing"),
            console=err_console,
            disable=len(rows) < 5000,
            transient=True,
        ):
            if not row["a"] or not row["b"]:
                writer.writerow([row["a"], row["b"], "unsure", "0"])
                continue
            result = compare_names(row["a"], row["b"])
            writer.writerow([row["a"], row["b"], result.verdict.value, f"{result.score:.3f}"])
    if not rows:
        raise fail(tr("{file}: has no rows to compare").format(file=pairs.name))
    out.print(ntr("Compared {count} pair; results in {file}.",
                  "Compared {count} pairs; results in {file}.", len(rows)).format(
        count=len(rows), file=output))
