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

from kinlink.cli.context import (
    acting,
    err_console,
    fail,
    friendly_errors,
    out,
    said,
    settings,
    store,
    tr,
)
from kinlink.domain.decisions import DecisionVerdict
from kinlink.errors import FILE_UNREADABLE, KinlinkError
from kinlink.i18n import os_problem
from kinlink.pprl.link import MAX_BLOCK
from kinlink.pprl.pairs import PairsRefusedError, Side
from kinlink.usecases.pprl import encode_list, link_lists, make_key
from kinlink.usecases.remote_candidates import decide_remote, import_pairs

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
    max_block: Annotated[int, typer.Option(
        "--max-block", min=1, max=1_000_000,
        help="A blocking key held by more records than this on either side is not used "
             "(fewer pairs to compare and less memory; a true pair only such a key finds "
             "is missed).")] = MAX_BLOCK,
    as_json: JsonOption = False,
) -> None:
    """Link two encoded files as a linkage unit would: no key is needed or used.

    Both files must have been encoded with the same key and parameters; otherwise the
    command says so and links nothing. Records sharing a keyed blocking key are compared
    by the similarity of their encodings; probabilities are estimated within the run
    (expectation maximisation). The output has one row per pair worth a person's
    attention: left_id, right_id, score, match_probability and decision ("match": almost
    never wrong; "review": a person decides, with both parties' records). Before
    comparing, the command counts the pairs; if they would not fit in the free memory it
    says so and links nothing (see --max-block).
    """
    words = _stage_words()
    with err_console.status(tr("Starting"), spinner="dots") as status:
        result = link_lists(left, right, output, max_block=max_block,
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


@app.command("import-pairs")
def import_pairs_command(
    pairs_file: Annotated[Path, typer.Argument(help="The pairs file the linkage unit "
                                               "returned (`kinlink pprl link`'s output).",
                                               show_default=False)],
    party: Annotated[str, typer.Option("--party", help="Who holds the other records (e.g. "
                                       "the other office's name).", show_default=False)],
    list_id: Annotated[int, typer.Option("--list", min=1, max=2**31 - 1,
                                         help="Our list whose records the pairs name.",
                                         show_default=False)],
    ours: Annotated[Side, typer.Option("--ours", help="Which column holds our record ids.")]
        = Side.LEFT,
    as_json: JsonOption = False,
) -> None:
    """Keep the pairs a linkage unit returned as remote candidates of our records.

    Each pair names one of our records (by its record_id in the list LIST) and a record
    the PARTY holds, by an id that says nothing about the child; it is shown on the
    child's page as "a record held by PARTY" with its probability, for a case worker to
    decide same, different or unsure. Every row is checked first: if one cannot be used
    (a record id not in the list, a probability that is not a number from 0 to 1), the
    command lists each such line and keeps nothing.
    """
    config = settings()
    try:
        data = pairs_file.read_bytes()
    except OSError as exc:
        raise fail(FILE_UNREADABLE(name=pairs_file.name, strerror=os_problem(exc))) from None
    try:
        with store(config) as opened:
            done = import_pairs(opened, acting(config), pairs_file.name, data, party=party,
                                source_id=list_id, side=ours)
    except PairsRefusedError as refused:
        for problem in refused.problems:
            err_console.print(f"  {said(problem.message)} ({problem.code})", markup=False)
        raise fail(refused.text) from None
    except KinlinkError as exc:
        raise fail(exc.text) from None
    if as_json:
        print(json.dumps({"pairs": done.pairs, "new": done.new, "updated": done.updated,
                          "party": done.party, "list": done.source_id}))
        return
    out.print(tr("Pairs kept with records held by {party}: {pairs} ({new} new, {updated} "
                 "updated).").format(pairs=done.pairs, party=done.party, new=done.new,
                                    updated=done.updated))


@app.command("decide")
@friendly_errors
def decide_command(
    candidate: Annotated[int, typer.Argument(min=1, max=2**31 - 1, help="The remote "
                                             "candidate's id (shown with the child).",
                                             show_default=False)],
    verdict: Annotated[str, typer.Argument(help="same, different or unsure.",
                                           show_default=False)],
    note: Annotated[str | None, typer.Option("--note",
                                             help="Why (kept with the decision).")] = None,
) -> None:
    """Decide whether a record another party holds is the same child as ours."""
    config = settings()
    try:
        chosen = DecisionVerdict(verdict)
    except ValueError:
        raise fail(tr("The verdict must be same, different or unsure.")) from None
    with store(config) as opened:
        found = decide_remote(opened, acting(config), candidate, chosen, note)
    out.print(tr("Decided: {verdict} for the record {ref} held by {party}.").format(
        verdict=found.verdict.value, ref=found.remote_ref, party=found.party))
