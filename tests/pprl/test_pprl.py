"""Privacy-preserving linkage end to end on small lists in three scripts: what links,
what the encoded file does not contain, what a wrong key or other parameters do, and
the attacks on small data (the benchmark measures them at scale)."""

from __future__ import annotations

import base64
import csv
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kinlink.cli import app as cli_app
from kinlink.demo import generate_linkage_pair
from kinlink.listfiles import read_list
from kinlink.names import name_features
from kinlink.names.keys import loosen
from kinlink.names.translit import System, transliterate
from kinlink.pprl import Parameters, read_encoded
from kinlink.pprl.attack import frequency_attack, pattern_attack, reidentified
from kinlink.pprl.errors import PprlRefusedError
from kinlink.pprl.link import (
    MAX_BLOCK,
    PAIR_BYTES,
    _rule_pairs,
    candidate_count,
    candidates,
    link_encoded,
)
from kinlink.pprl.params import BLOCKING_RULES, PLAIN_BLOCKING
from kinlink.usecases.pprl import encode_list, link_lists, make_key

HEADER = ["record_id", "given_name", "surname", "patronymic", "sex", "birth_date",
          "birth_place"]

# (Ukrainian, Russian, Latin) spellings of one child, then sex, birth date, place.
CHILDREN = [
    (("Олександр", "Петренко", "Іванович"), ("Александр", "Петренко", "Иванович"),
     ("Oleksandr", "Petrenko", "Ivanovych"), "M", "2012-03-14", ("Маріуполь", "Мариуполь",
                                                                 "Mariupol")),
    (("Ганна", "Олійник", "Петрівна"), ("Анна", "Олейник", "Петровна"),
     ("Hanna", "Oliinyk", "Petrivna"), "F", "2015-11-02", ("Херсон", "Херсон", "Kherson")),
    (("Микола", "Ковальський", "Сергійович"), ("Николай", "Ковальский", "Сергеевич"),
     ("Mykola", "Kovalskyi", "Serhiiovych"), "M", "2010-07-21", ("Бердянськ", "Бердянск",
                                                                  "Berdiansk")),
    (("Дарина", "Шевчук", "Андріївна"), ("Дарья", "Шевчук", "Андреевна"),
     ("Daryna", "Shevchuk", "Andriivna"), "F", "2017-01-30", ("Ізюм", "Изюм", "Izium")),
    (("Василь", "Бондаренко", "Олегович"), ("Василий", "Бондаренко", "Олегович"),
     ("Vasyl", "Bondarenko", "Olehovych"), "M", "2009-05-09", ("Луганськ", "Луганск",
                                                                "Luhansk")),
    (("Юлія", "Ткаченко", "Романівна"), ("Юлия", "Ткаченко", "Романовна"),
     ("Yuliia", "Tkachenko", "Romanivna"), "F", "2013-09-17", ("Донецьк", "Донецк",
                                                                "Donetsk")),
]
# Namesakes on the found lists only: same names, other children (born elsewhere, years
# apart), so a linkage unit sees candidates that are not matches.
DECOY_SHIFTS = (3, 6)
SCRIPTS = {"uk": 0, "ru": 1, "latin": 2}


def _write(path: Path, script: str, *, decoys: bool) -> None:
    at = SCRIPTS[script]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n, child in enumerate(CHILDREN):
            given, surname, patronymic = child[at]  # type: ignore[misc]
            writer.writerow([f"{script}-{n}", given, surname, patronymic, child[3], child[4],
                             child[5][at]])
            for shift in DECOY_SHIFTS if decoys else ():
                year = int(child[4][:4]) - shift
                writer.writerow([f"{script}-{n}-x{shift}", given, surname, "", child[3],
                                 f"{year}{child[4][4:]}", CHILDREN[(n + shift) % 6][5][at]])


@pytest.fixture
def key(tmp_path: Path) -> Path:
    return make_key(tmp_path / "shared.key")


def _encode(tmp_path: Path, script: str, key: Path, *, decoys: bool,
            params: Parameters | None = None) -> Path:
    listed = tmp_path / f"{script}.csv"
    _write(listed, script, decoys=decoys)
    out = tmp_path / f"{script}.clk"
    encode_list(listed, key, out, params=params, seed=3)
    return out


def _best_pairs(path: Path) -> dict[str, tuple[float, str]]:
    """Each left record's most probable right record in a pairs file, with its probability."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    best: dict[str, tuple[float, str]] = {}
    for row in rows:
        p = float(row["match_probability"])
        if p > best.get(row["left_id"], (-1.0, ""))[0]:
            best[row["left_id"]] = (p, row["right_id"])
    return best


def _pairs(path: Path) -> dict[str, str]:
    return {left: right for left, (_p, right) in _best_pairs(path).items()}


@pytest.mark.parametrize("right", ["ru", "latin"])
def test_ukrainian_list_links_to_russian_and_latin_lists_through_encodings(
        tmp_path: Path, key: Path, right: str) -> None:
    left = _encode(tmp_path, "uk", key, decoys=False)
    other = _encode(tmp_path, right, key, decoys=True)
    result = link_lists(left, other, tmp_path / "pairs.csv")
    assert result.candidates > len(CHILDREN)  # the namesakes were compared too
    assert _pairs(tmp_path / "pairs.csv") == {f"uk-{n}": f"{right}-{n}"
                                              for n in range(len(CHILDREN))}
    with (tmp_path / "pairs.csv").open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == ["left_id", "right_id", "score",
                                            "match_probability", "decision"]


def _variants(text: str) -> set[str]:
    """``text`` as written, folded, and in every transliteration system."""
    found = {text, text.lower(), text.upper()}
    for system in System:
        latin = transliterate(text, system)
        found |= {latin, latin.lower(), latin.upper()}
    return {v for v in found if len(v) >= 3}


def _digests(value: str) -> set[str]:
    out: set[str] = set()
    for algorithm in ("sha256", "md5", "sha1"):
        digest = hashlib.new(algorithm, value.encode()).digest()
        out |= {digest.hex(), digest.hex()[:16], base64.b64encode(digest).decode()}
    return out


def test_encoded_files_hold_no_name_date_place_or_unkeyed_hash_of_one(
        tmp_path: Path, key: Path) -> None:
    texts: set[str] = set()
    for script in SCRIPTS:
        _encode(tmp_path, script, key, decoys=True)
    for child in CHILDREN:
        for at in SCRIPTS.values():
            parts = [*child[at], child[5][at]]  # type: ignore[misc]
            for part in parts:
                texts |= _variants(part)
                names = name_features(part, None, None, None)
                texts |= {k for k in (names.given_key, names.given_block, names.given_loose,
                                      *names.given_ids) if k and len(k) >= 3}
                surname = name_features(None, part, None, None).surname_key
                texts |= {k for k in (surname, loosen(surname) if surname else None) if k}
        date = child[4]
        year, month, day = date.split("-")
        texts |= {date, f"{day}.{month}.{year}", f"{day}/{month}/{year}", f"{year}-{month}",
                  f"{month}-{day}"}
    hashes = set().union(*(_digests(t) for t in texts))
    for script in SCRIPTS:
        content = (tmp_path / f"{script}.clk").read_text(encoding="utf-8")
        rows = [json.loads(line) for line in content.splitlines()[1:]]
        body = "\n".join(json.dumps({k: v for k, v in row.items() if k not in ("id", "clk")},
                                    ensure_ascii=False) for row in rows)
        # a filter's base64 is random-looking text 172 characters a record long: a
        # three-letter key turns up in it by chance (one in about 700 per key and
        # record), a five-letter one about once in 2.5 million
        filters = "\n".join(row["clk"] for row in rows)
        header = content.splitlines()[0]
        for text in texts:
            assert text not in body, "a value is readable"
            assert len(text) < 5 or text not in filters, "a value is readable"
            assert text not in header, "a value is readable"
        for digest in hashes:
            assert digest not in content
            assert digest.lower() not in content.lower()
        assert key.read_text().strip() not in content


def test_a_wrong_key_is_refused_and_would_link_nothing(tmp_path: Path, key: Path) -> None:
    left = _encode(tmp_path, "uk", key, decoys=False)
    other_key = make_key(tmp_path / "other.key")
    right = _encode(tmp_path, "ru", other_key, decoys=True)
    with pytest.raises(PprlRefusedError, match="different keys"):
        link_lists(left, right, tmp_path / "pairs.csv")
    # Past the check (a forged header), no blocking key and no filter agrees.
    text = right.read_text(encoding="utf-8").splitlines()
    head = json.loads(text[0])
    head["key_check"] = json.loads(left.read_text(encoding="utf-8").splitlines()[0])["key_check"]
    right.write_text("\n".join([json.dumps(head), *text[1:]]) + "\n", encoding="utf-8")
    result = link_lists(left, right, tmp_path / "pairs.csv")
    assert result.candidates == 0
    assert list(result.pairs()) == []


def test_linking_that_would_not_fit_in_memory_is_refused_before_it_starts(
        tmp_path: Path, key: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pair codes are counted from the keys' block sizes first (duplicates across
    rules included, as blocking makes them); more than the free memory holds is refused
    in words, nothing written, instead of the system killing the run half-way (1M × 1M
    needed more than 24 GB). ``--max-block`` skips the common keys."""
    left = _encode(tmp_path, "uk", key, decoys=False)
    right = _encode(tmp_path, "ru", key, decoys=True)
    a, b = read_encoded(left), read_encoded(right)
    codes = sum(len(_rule_pairs(a.blocks[:, r], b.blocks[:, r], MAX_BLOCK))
                for r in range(a.blocks.shape[1]))
    assert candidate_count(a, b) == codes > len(candidates(a, b))
    assert candidate_count(a, b, max_block=1) < codes
    with pytest.raises(PprlRefusedError, match=r"would need about \d+ GB of memory"):
        link_encoded(a, b, memory=codes * PAIR_BYTES - 1)
    assert link_encoded(a, b, memory=codes * PAIR_BYTES).candidates == len(candidates(a, b))

    monkeypatch.setattr("kinlink.pprl.link.available_memory", lambda: 1)
    out = tmp_path / "pairs.csv"
    refused = CliRunner().invoke(cli_app, ["pprl", "link", str(left), str(right), "-o",
                                           str(out)])
    assert refused.exit_code != 0
    assert "Nothing was linked" in " ".join(refused.output.split())
    assert "Петренко" not in refused.output
    assert not out.exists()
    monkeypatch.setattr("kinlink.pprl.link.available_memory", lambda: 2**40)
    done = CliRunner().invoke(cli_app, ["pprl", "link", str(left), str(right), "-o",
                                        str(out), "--max-block", "1", "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["candidates"] < len(candidates(a, b))


def test_other_parameters_or_versions_are_refused(tmp_path: Path, key: Path) -> None:
    left = _encode(tmp_path, "uk", key, decoys=False)
    right = _encode(tmp_path, "ru", key, decoys=False, params=Parameters(flip=0.0))
    with pytest.raises(PprlRefusedError, match=r"different parameters \(flip\)"):
        link_lists(left, right, tmp_path / "pairs.csv")
    lines = right.read_text(encoding="utf-8").splitlines()
    head = json.loads(lines[0]) | {"version": 99}
    right.write_text("\n".join([json.dumps(head), *lines[1:]]) + "\n", encoding="utf-8")
    with pytest.raises(PprlRefusedError, match="format version 99"):
        read_encoded(right)


def test_a_bad_key_file_is_refused_in_words(tmp_path: Path) -> None:
    bad = tmp_path / "bad.key"
    bad.write_text("not a key\n", encoding="utf-8")
    listed = tmp_path / "uk.csv"
    _write(listed, "uk", decoys=False)
    with pytest.raises(PprlRefusedError, match="not a kinlink PPRL key file"):
        encode_list(listed, bad, tmp_path / "out.clk")
    with pytest.raises(FileExistsError):
        make_key(make_key(tmp_path / "k"))


def _population(path: Path, size: int) -> tuple[list[list[str]], list[list[str]]]:
    """A generated list of family reports (kinlink's demo generator) and its truth: each
    record's given-name ids and blocking key, surname key and loose key."""
    generate_linkage_pair(path, path.with_name("found.csv"), size, 11,
                          path.with_name("truth.csv"))
    given: list[list[str]] = []
    surnames: list[list[str]] = []
    for record in read_list(path).records():
        names = name_features(record.given_name, record.surname, record.patronymic,
                              record.full_name)
        given.append([*names.given_ids, *([names.given_block] if names.given_block else [])])
        key = names.surname_key
        surnames.append([key, loosen(key)] if key else [])
    return given, surnames


def _ranking(values: list[list[str]], pick: int | None) -> list[str]:
    """The values most frequent first (``pick``: one position of each record's list;
    ``None``: all but the last)."""
    counts: Counter[str] = Counter()
    for found in values:
        counts.update(found[:-1] if pick is None else found[pick:pick + 1])
    return [value for value, _n in counts.most_common()]


def test_hardening_defeats_the_attacks_that_break_plain_encodings(tmp_path: Path) -> None:
    """An attacker who knows the exact name frequencies of the list (the worst case).
    One fixed key and fixed flips: how many tokens share bits depends on the key, and the
    test must give one answer."""
    key = tmp_path / "fixed.key"
    key.write_text(bytes(range(32)).hex() + "\n", encoding="ascii")
    given, surnames = _population(tmp_path / "reports.csv", 3000)
    rank_given, rank_block = _ranking(given, None), _ranking(given, -1)
    rank_surname, rank_loose = _ranking(surnames, 0), _ranking(surnames, 1)
    plain = Parameters(fold=False, flip=0.0, salt="none",
                       blocking=PLAIN_BLOCKING + BLOCKING_RULES)
    shares = {}
    for name, params in {"plain": plain, "hardened": Parameters()}.items():
        out = tmp_path / f"{name}.clk"
        encode_list(tmp_path / "reports.csv", key, out, params=params, seed=5)
        encoded = read_encoded(out)
        shares[name] = (
            reidentified(frequency_attack(encoded, rank_block, rank_loose), given, surnames),
            max(reidentified(pattern_attack(encoded, rank_given, rank_surname, tie=tie),
                             given, surnames) for tie in (0.9, 0.7)))
    assert shares["plain"][0] > 0.05
    assert shares["plain"][1] > 0.05
    assert shares["hardened"][0] < 0.01
    assert shares["hardened"][1] < 0.01


def test_salting_modes_read_first_release_headers_and_refuse_unknown() -> None:
    """A first-release header's boolean salt reads as a mode; an unknown mode is refused."""
    base = Parameters().as_dict()
    assert Parameters.from_dict(base | {"salt": True}).salt == "year"
    assert Parameters.from_dict(base | {"salt": False}).salt == "none"
    assert Parameters.from_dict(base | {"salt": "names+year"}).salt == "names+year"
    with pytest.raises(ValueError, match="salting"):
        Parameters(salt="surname")
