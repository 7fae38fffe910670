"""``kinlink pprl``: link lists that may not be exchanged (privacy-preserving linkage).

Thin wrappers over :mod:`kinlink.usecases.pprl`: make a shared key, encode a list under
it, link two encoded files as a linkage unit that has no key. See ``docs/pprl.md``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kinlink.cli.context import err_console, friendly_errors, out, settings, tr
from kinlink.usecases.pprl import encode_list, link_lists, make_key

app = typer.Typer(
    help="Privacy-preserving linkage: link two parties' lists of children without either "
         "handing over names. Each data holder encodes its list with a key the holders "
         "share (`kinlink pprl keygen`, `kinlink pprl encode`) and gives only the encoded "
         "file to a linkage unit, which links two encoded files without the key "
         "(`kinlink pprl link`) and learns only pairs of record ids with a score. Names in "
         "Ukrainian, Russian and Latin spellings link, because what is encoded is "
         "kinlink's script-independent name keys. See docs/pprl.md for what each party "
         "can and cannot learn.",
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON summary.")]


def _stage_words() -> dict[str, str]:
    return {"reading": tr("Reading the encoded files"), "blocking": tr("Finding candidate pairs"),
            "comparing": tr("Comparing encodings"), "calibrating": tr("Estimating probabilities"),
            "writing": tr("Writing the pairs")}


@app.command("keygen")
@friendly_errors
def keygen_command(
    key_file: Annotated[Path, typer.Argument(help="Where to write the new key (must not "
                                             "exist).", show_default=False)],
) -> None:
    """Make a new random 256-bit key and write it to KEY_FILE, readable by you only.

    Both data holders must encode with the same key: give a copy to the other party by a
    channel the linkage unit does not see (in person, an encrypted message). Whoever holds
    the key and an encoded file can test guesses of names against it, so the linkage unit
    must never get the key. An existing file is never overwritten.
    """
    try:
        make_key(key_file)
    except FileExistsError:
        err_console.print("[bold red]" + tr("Error:") + "[/] " + tr(
            "{file} exists; a key is never overwritten (lists encoded with it could no "
            "longer be linked)").format(file=key_file.name))
        raise typer.Exit(2) from None
    out.print(tr("Written: {file}").format(file=key_file))


@app.command("encode")
@friendly_errors
def encode_command(
    list_file: Annotated[Path, typer.Argument(help="The list to encode (CSV/XLSX, the "
                                              "list format).", show_default=False)],
    key_file: Annotated[Path, typer.Option("--key-file", help="The key shared with the "
                                           "other data holder.", show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the encoded "
                                         "file.", show_default=False)],
    line_ids: Annotated[bool, typer.Option(
        "--line-ids", help="The list has no record_id column: use line-N as the id.")]
        = False,
    as_json: JsonOption = False,
) -> None:
    """Encode LIST_FILE for privacy-preserving linkage and write it to OUTPUT.

    The list is read like `kinlink link` reads lists. Each record becomes its record_id, a
    keyed Bloom filter of its name keys (canonical given name, surname keys, father's
    name), birth date parts, places, sex, institution and move, and keyed blocking keys.
    The file holds no name, date or place and no unkeyed hash of one; its header holds
    the encoding's parameters, never the key. Record ids are written as they are: make
    sure they say nothing about the child.
    """
    config = settings()
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=err_console,
                  transient=True, disable=as_json) as bars:
        task = bars.add_task(tr("Encoding"), total=None)
        outcome = encode_list(list_file, key_file, output, limits=config.limits,
                              line_ids=line_ids,
                              tick=lambda done, total: bars.update(task, completed=done,
                                                                   total=max(total, done)))
    if as_json:
        print(json.dumps({"records": outcome.records, "rows": outcome.rows,
                          "rejected": outcome.rejected, "field_errors": outcome.field_errors,
                          "output": str(outcome.output)}))
        return
    out.print(tr("Encoded {records} records of {rows} rows ({rejected} rejected, {fields} "
                 "fields not understood).").format(
        records=outcome.records, rows=outcome.rows, rejected=outcome.rejected,
        fields=outcome.field_errors))
    out.print(tr("Written: {file}").format(file=outcome.output))


@app.command("link")
@friendly_errors
def link_command(
    left: Annotated[Path, typer.Argument(help="First encoded file.", show_default=False)],
    right: Annotated[Path, typer.Argument(help="Second encoded file.", show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the pairs "
                                         "(CSV).", show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """Link two encoded files as a linkage unit would: no key is needed or used.

    Both files must have been encoded with the same key and parameters; otherwise the
    command says so and links nothing. Records sharing a keyed blocking key are compared
    by the similarity of their encodings; probabilities are estimated within the run
    (expectation maximisation). The output has one row per pair worth a person's
    attention: left_id, right_id, score, match_probability and decision ("match": almost
    never wrong; "review": a person decides, with both parties' records).
    """
    words = _stage_words()
    with err_console.status(tr("Starting"), spinner="dots") as status:
        result = link_lists(left, right, output,
                            tell=lambda stage: None if as_json else status.update(
                                f"{words.get(stage, stage)}…"))
    if as_json:
        print(json.dumps({"candidates": result.candidates, "pairs": len(result.scores),
                          "matches": result.matches, "reviews": result.reviews,
                          "output": str(output)}))
        return
    out.print(tr("Compared {candidates} candidate pairs: {pairs} written — [green]{matches} "
                 "match[/], [yellow]{reviews} review[/].").format(
        candidates=f"{result.candidates:,}", pairs=f"{len(result.scores):,}",
        matches=f"{result.matches:,}", reviews=f"{result.reviews:,}"))
    out.print(tr("Written: {file}").format(file=output))
