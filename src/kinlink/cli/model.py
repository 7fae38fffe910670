"""``kinlink model show`` and ``kinlink model check``: the linkage model in words, and its
scores against people's decisions, for whoever must defend a link."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from kinlink.cli.context import fail, friendly_errors, out, settings, store
from kinlink.cli.linking import JsonOption, read_model
from kinlink.linkage import ModelCard, TrainedModel, default_spec, model_card, packaged_model
from kinlink.linkage.card import LevelCard
from kinlink.matching import origin_words, stored_model
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


def _share(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.2%}" if value >= 0.0001 else f"{value:.1e}"


def _levels_table(card: ModelCard) -> Table:
    table = Table("field", "outcome", "what it means", "same child", "unrelated",
                  "weight (bits)", "in words", title="What each outcome weighs",
                  title_justify="left")
    previous = None
    for level in card.levels:
        if previous is not None and level.comparison != previous:
            table.add_section()
        floor = f" (at least {level.min_m:.0%})" if level.min_m else ""
        table.add_row(level.comparison if level.comparison != previous else "", level.level,
                      level.words, _share(level.m) + floor, _share(level.u), _bar(level),
                      level.factor_words())
        previous = level.comparison
    return table


def _print(card: ModelCard, origin: str) -> None:
    out.print(f"[bold]Model {card.version}[/] — {origin}")
    if not card.fits_spec:
        out.print("[yellow]Note:[/] this model was trained for another version of the "
                  "comparisons; kinlink would not use it.")
    trained = card.trained_on
    records = trained.get("records")
    out.print(f"Engine: {card.engine or 'unknown'}. Trained on: "
              f"{' × '.join(f'{n:,}' for n in records) if records else 'unknown'} records "
              f"({trained.get('task', '?')}).")
    out.print(f"Prior: a true pair is {card.prior_words} (how rare the same child is among "
              "all pairs of these lists).")
    out.print(f"Linked without review at probability ≥ {card.match} — evidence of at least "
              f"{card.bits_needed(card.match):.1f} bits over the prior; shown to a person at "
              f"≥ {card.review} ({card.bits_needed(card.review):.1f} bits), at most "
              f"{card.review_per_record} suggestions per record.")
    out.print("A weight in bits is log2 of how much more often true pairs show the outcome "
              "than unrelated pairs: +1 doubles the odds, −1 halves them. 'Same child' and "
              "'unrelated' are those shares (m and u).")
    out.print(_levels_table(card))
    vetoes = Table("when", "then", "why", title="Vetoes: what the score alone may not "
                   "decide", title_justify="left")
    for veto in card.vetoes:
        vetoes.add_row(veto.when, veto.effect, veto.words)
    out.print(vetoes)
    rules = Table("rule", "records are compared when they share", "only below",
                  title="Blocking: which pairs are compared at all", title_justify="left")
    for rule in card.blocking:
        rules.add_row(rule.name, rule.columns,
                      f"{rule.max_pairs:,} pairs" if rule.max_pairs else "always")
    out.print(rules)


def _chosen(path: Path | None, from_store: bool) -> tuple[TrainedModel, str, dict[str, object]]:
    if path is not None and from_store:
        raise fail("Give a model file or --store, not both.")
    if from_store:
        with store(settings()) as opened:
            kept = stored_model(opened)
        if kept is None:
            raise fail("The store has no linkage model yet: `kinlink match` trains one.")
        return kept.model, origin_words(kept), {"trained_by": kept.trained_by,
                                    "trained_at": kept.trained_at.isoformat(timespec="seconds")}
    if path is not None:
        return read_model(path), f"read from {path.name}", {}
    packaged = packaged_model()
    if packaged is None:
        raise fail("This installation has no packaged model; give a model file or --store.")
    return packaged, origin_words(None), {}


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
        print(json.dumps(card.as_dict() | {"origin": origin} | extra, ensure_ascii=False))
        return
    _print(card, origin)


def _print_check(check: ScoreCheck) -> None:
    table = Table("match probability", "pairs", "decided", "same child", "different",
                  "unsure", "share decided same (95% interval)", "as the band says?",
                  title="The model's scores against people's decisions", title_justify="left")
    for band in check.bands:
        if not band.pairs:
            continue
        share = band.share_same
        verdict = {None: "[dim]not yet decided[/]", True: "[green]yes[/]",
                   False: "[red]no[/]"}[band.consistent]
        table.add_row(f"{band.low:g}–{band.high:g}", f"{band.pairs:,}", f"{band.decided:,}",
                      f"{band.same:,}", f"{band.different:,}", f"{band.unsure:,}",
                      share.words() if share else "", verdict)
    out.print(table)
    reversed_share = check.reversed_share
    decided = check.automatic_confirmed + check.automatic_reversed
    if reversed_share is None:
        out.print(f"Automatic links: {check.automatic:,}; none has been checked by a person.")
        return
    style = "red" if check.automatic_reversed else "green"
    out.print(f"Automatic links: {check.automatic:,}; people checked {decided:,} and "
              f"reversed [{style}]{check.automatic_reversed:,}[/] "
              f"({reversed_share.value:.2%}, 95% interval {reversed_share.low:.2%}–"
              f"{reversed_share.high:.2%}; the model was built to stay under 0.1%).")


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
        out.print("No candidate pairs in the store yet: run `kinlink match` first.")
        return
    _print_check(check)
