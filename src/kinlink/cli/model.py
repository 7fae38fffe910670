"""``kinlink model show`` and ``kinlink model check``: the linkage model in words, and its
scores against people's decisions, for whoever must defend a link."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from kinlink.cli.context import fail, friendly_errors, out, settings, store, tr
from kinlink.cli.linking import JsonOption, read_model
from kinlink.linkage import ModelCard, TrainedModel, default_spec, model_card, packaged_model
from kinlink.linkage.card import LevelCard
from kinlink.linkage.spec import LinkageSpec
from kinlink.matching import StoredModel, origin_words, stored_model
from kinlink.reports import ScoreCheck, check_scores

app = typer.Typer(help="The linkage model: what each piece of evidence weighs, and why.",
                  no_args_is_help=True)

_BAR_BITS = 16
"""Weights are drawn as bars of one block per bit, cut at this many."""


def _bar(level: LevelCard) -> Text:
    if level.weight is None:
        return Text("")
    blocks = min(round(abs(level.weight)), _BAR_BITS) or 1
    style = "green" if level.weight > 0 else "red"
    return Text(f"{level.weight:+6.1f} ", style=style) + Text("█" * blocks, style=style)


def _factor(level: LevelCard) -> str:
    """:meth:`LevelCard.factor_words` in the reader's language."""
    if level.weight is None:
        return tr("no evidence either way")
    factor = 2 ** abs(level.weight)
    if factor < 1.05:
        return tr("about as likely either way")
    shown = f"{factor:,.0f}" if factor >= 10 else f"{factor:.1f}"
    return (tr("{factor}× more likely the same child") if level.weight > 0
            else tr("{factor}× less likely the same child")).format(factor=shown)


def _origin(kept: StoredModel | None) -> str:
    """Where the model comes from (:func:`kinlink.matching.origin_words`), in the
    reader's language."""
    if kept is None:
        return tr("packaged with kinlink (trained on generated lists, see benchmarks)")
    return tr("kept in the store, trained by {who} at {when} on {count} records").format(
        who=kept.trained_by, when=kept.trained_at.isoformat(timespec="seconds"),
        count=f"{kept.records_used:,}")


def _conditions(spec: LinkageSpec, pairs: tuple[tuple[str, str], ...]) -> str:
    return "; ".join(f"{tr(spec.comparison(c).title)}: {level}" for c, level in pairs)


def _share(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.2%}" if value >= 0.0001 else f"{value:.1e}"


def _levels_table(card: ModelCard) -> Table:
    table = Table(tr("field"), tr("outcome"), tr("what it means"), tr("same child"),
                  tr("unrelated"), tr("weight (bits)"), tr("in words"),
                  title=tr("What each outcome weighs"), title_justify="left")
    previous = None
    for level in card.levels:
        if previous is not None and level.comparison != previous:
            table.add_section()
        floor = (" " + tr("(at least {share})").format(share=f"{level.min_m:.0%}")
                 if level.min_m else "")
        table.add_row(tr(level.comparison) if level.comparison != previous else "",
                      level.level, tr(level.words), _share(level.m) + floor,
                      _share(level.u), _bar(level), _factor(level))
        previous = level.comparison
    return table


def _print(card: ModelCard, origin: str) -> None:
    out.print(tr("[bold]Model {version}[/] — {origin}").format(version=card.version,
                                                              origin=origin))
    if not card.fits_spec:
        out.print("[yellow]" + tr("Note:") + "[/] " + tr(
            "this model was trained for another version of the comparisons; kinlink would "
            "not use it."))
    trained = card.trained_on
    records = trained.get("records")
    out.print(tr("Engine: {engine}. Trained on: {records} records ({task}).").format(
        engine=card.engine or tr("unknown"),
        records=" × ".join(f"{n:,}" for n in records) if records else tr("unknown"),
        task=trained.get("task", "?")))
    out.print(tr("Prior: a true pair is 1 in {count} pairs (how rare the same child is "
                 "among all pairs of these lists).").format(
        count=f"{round(1 / card.prior):,}"))
    out.print(tr("Linked without review at probability ≥ {match} — evidence of at least "
                 "{match_bits} bits over the prior; shown to a person at ≥ {review} "
                 "({review_bits} bits), at most {per_record} suggestions per record.").format(
        match=card.match, match_bits=f"{card.bits_needed(card.match):.1f}",
        review=card.review, review_bits=f"{card.bits_needed(card.review):.1f}",
        per_record=card.review_per_record))
    out.print(tr("A weight in bits is log2 of how much more often true pairs show the "
                 "outcome than unrelated pairs: +1 doubles the odds, −1 halves them. 'Same "
                 "child' and 'unrelated' are those shares (m and u)."))
    out.print(_levels_table(card))
    spec = default_spec()
    vetoes = Table(tr("when"), tr("then"), tr("why"),
                   title=tr("Vetoes: what the score alone may not decide"),
                   title_justify="left")
    for veto in spec.vetoes:
        when = _conditions(spec, veto.when)
        if veto.unless:
            when += ", " + tr("unless {conditions}").format(
                conditions=_conditions(spec, veto.unless))
        vetoes.add_row(when, tr("never linked without a person") if veto.effect == "review"
                       else tr("not suggested"), tr(veto.words))
    out.print(vetoes)
    rules = Table(tr("rule"), tr("records are compared when they share"), tr("only below"),
                  title=tr("Blocking: which pairs are compared at all"), title_justify="left")
    for rule in card.blocking:
        rules.add_row(rule.name, rule.columns,
                      tr("{count} pairs").format(count=f"{rule.max_pairs:,}")
                      if rule.max_pairs else tr("always"))
    out.print(rules)


def _chosen(path: Path | None, from_store: bool
            ) -> tuple[TrainedModel, tuple[str, str], dict[str, object]]:
    """The model to show, where it comes from (in English for ``--json``, and in the
    reader's language) and what JSON adds about a stored one."""
    if path is not None and from_store:
        raise fail(tr("Give a model file or --store, not both."))
    if from_store:
        with store(settings()) as opened:
            kept = stored_model(opened)
        if kept is None:
            raise fail(tr("The store has no linkage model yet: `kinlink match` trains one."))
        return kept.model, (origin_words(kept), _origin(kept)), {"trained_by": kept.trained_by,
                                    "trained_at": kept.trained_at.isoformat(timespec="seconds")}
    if path is not None:
        return read_model(path), (f"read from {path.name}",
                                  tr("read from {file}").format(file=path.name)), {}
    packaged = packaged_model()
    if packaged is None:
        raise fail(tr("This installation has no packaged model; give a model file or "
                      "--store."))
    return packaged, (origin_words(None), _origin(None)), {}


@app.command("show")
@friendly_errors
def show_command(
    path: Annotated[Path | None, typer.Argument(
        help="A model saved by `kinlink link --model-out` (default: the packaged model).",
        show_default=False)] = None,
    from_store: Annotated[bool, typer.Option(
        "--store", help="Show the model `kinlink match` keeps in the store.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Show a linkage model in words: for every field and outcome, how often the same
    child and unrelated children show it, the weight it adds or takes away, and the
    thresholds, vetoes and blocking rules that decide which pairs are linked, shown to a
    person or never compared. Nothing about any child is read or shown.
    """
    model, origin, extra = _chosen(path, from_store)
    card = model_card(default_spec(), model)
    if as_json:
        print(json.dumps(card.as_dict() | {"origin": origin[0]} | extra, ensure_ascii=False))
        return
    _print(card, origin[1])


def _print_check(check: ScoreCheck) -> None:
    table = Table(tr("match probability"), tr("pairs"), tr("decided"), tr("same child"),
                  tr("different"), tr("unsure"), tr("share decided same (interval at 95 per cent)"),
                  tr("as the band says?"),
                  title=tr("The model's scores against people's decisions"),
                  title_justify="left")
    for band in check.bands:
        if not band.pairs:
            continue
        share = band.share_same
        verdict = {None: f"[dim]{tr('not yet decided')}[/]", True: f"[green]{tr('yes')}[/]",
                   False: f"[red]{tr('no')}[/]"}[band.consistent]
        table.add_row(f"{band.low:g}–{band.high:g}", f"{band.pairs:,}", f"{band.decided:,}",
                      f"{band.same:,}", f"{band.different:,}", f"{band.unsure:,}",
                      share.words() if share else "", verdict)
    out.print(table)
    reversed_share = check.reversed_share
    decided = check.automatic_confirmed + check.automatic_reversed
    if reversed_share is None:
        out.print(tr("Automatic links: {count}; none has been checked by a person.").format(
            count=f"{check.automatic:,}"))
        return
    style = "red" if check.automatic_reversed else "green"
    out.print(tr("Automatic links: {count}; people checked {decided} and reversed "
                 "[{style}]{reversed}[/] ({share}, interval at 95 per cent {low}–{high}; the "
                 "model was built to stay under {target}).").format(
        count=f"{check.automatic:,}", decided=f"{decided:,}", style=style,
        reversed=f"{check.automatic_reversed:,}", share=f"{reversed_share.value:.2%}",
        low=f"{reversed_share.low:.2%}", high=f"{reversed_share.high:.2%}",
        target="0.1%"))


@app.command("check")
@friendly_errors
def check_command(as_json: JsonOption = False) -> None:
    """Check the model's scores against people's decisions in the store.

    For each band of match probability: how many candidate pairs there are, how many
    people decided, and the share they decided to be the same child, with a 95%
    interval — which should lie within the band if the probabilities mean what they
    say. Automatic links people reversed are counted apart. Counts only: no record is
    read or shown.
    """
    with store(settings()) as opened:
        check = check_scores(opened)
    if as_json:
        print(json.dumps(check.as_dict(), ensure_ascii=False))
        return
    if not any(band.pairs for band in check.bands):
        out.print(tr("No candidate pairs in the store yet: run `kinlink match` first."))
        return
    _print_check(check)
