"""Recall and false flags of perceptual hashes on re-used photographs, beside SHA-256.

Draws synthetic "photographs" with Pillow (half of them portraits on one layout — a
head and shoulders before a graded background — so that different pictures look alike
as real portraits of children do; half scenes of gradients, shapes and noise), saves
each as a JPEG, and makes the copies re-use makes of a picture: the same bytes again,
resized, recompressed at quality 40–90, cropped 5–10 %, brighter or darker, with a
caption strip, inside a screenshot's frame, and several of these at once. Every copy is
looked up among the originals by

* SHA-256 of the bytes (the baseline: what a content-addressed store already knows),
* pHash, dHash, and both (a pair flagged only when pHash *and* dHash are within the
  threshold), at every threshold of ``--sweep``.

Recall: the share of copies whose own original is flagged. False flags: pairs of
different pictures flagged (every copy against every other original, and the originals
among themselves), as a count and as a share of such pairs.

    PYTHONPATH=src .venv/bin/python benchmarks/photos.py --seed 1 --sweep
    PYTHONPATH=src .venv/bin/python benchmarks/photos.py --seed 2

Also times :class:`kinlink.evidence.photos.PhotoIndex` on ``--index-size`` random hashes.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

from kinlink.evidence.photos import THRESHOLDS, PhotoHash, PhotoIndex, photo_hashes

Transform = Callable[[Image.Image, random.Random], Image.Image]


def _portrait(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    w, h = size
    top = tuple(rng.randrange(256) for _ in range(3))
    bottom = tuple(rng.randrange(256) for _ in range(3))
    image = _gradient(size, top, bottom, vertical=True)
    draw = ImageDraw.Draw(image)
    cx = w // 2 + rng.randint(-w // 8, w // 8)
    face = rng.randint(w // 7, w // 4)
    cy = h // 3 + rng.randint(-h // 12, h // 12)
    shirt = tuple(rng.randrange(256) for _ in range(3))
    draw.ellipse((cx - face * 2, cy + face, cx + face * 2, h + face * 2), fill=shirt)
    skin = (rng.randint(150, 240), rng.randint(110, 190), rng.randint(80, 160))
    draw.ellipse((cx - face, cy - int(face * 1.25), cx + face, cy + int(face * 1.25)),
                 fill=skin)
    hair = tuple(rng.randrange(120) for _ in range(3))
    draw.chord((cx - face - 4, cy - int(face * 1.4), cx + face + 4, cy + face // 3),
               180, 360, fill=hair)
    for side in (-1, 1):
        ex = cx + side * face // 2
        draw.ellipse((ex - 5, cy - 6, ex + 5, cy + 4), fill=(40, 30, 30))
    draw.arc((cx - face // 2, cy + face // 4, cx + face // 2, cy + face * 3 // 4), 20, 160,
             fill=(120, 40, 40), width=3)
    for _ in range(rng.randint(2, 6)):  # things in the room behind
        x, y = rng.randrange(w), rng.randrange(h // 2)
        s = rng.randint(10, w // 5)
        draw.rectangle((x, y, x + s, y + s), fill=tuple(rng.randrange(256) for _ in range(3)))
    return _noisy(image, rng, 8).filter(ImageFilter.GaussianBlur(1.2))


def _scene(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    image = _gradient(size, tuple(rng.randrange(256) for _ in range(3)),
                      tuple(rng.randrange(256) for _ in range(3)), vertical=rng.random() < .5)
    draw = ImageDraw.Draw(image)
    w, h = size
    for _ in range(rng.randint(4, 14)):
        x0, y0 = rng.randrange(w), rng.randrange(h)
        x1, y1 = x0 + rng.randint(20, w // 2), y0 + rng.randint(20, h // 2)
        colour = tuple(rng.randrange(256) for _ in range(3))
        shape = rng.choice(("rectangle", "ellipse", "polygon", "line"))
        if shape == "rectangle":
            draw.rectangle((x0, y0, x1, y1), fill=colour)
        elif shape == "ellipse":
            draw.ellipse((x0, y0, x1, y1), fill=colour)
        elif shape == "polygon":
            draw.polygon([(rng.randrange(w), rng.randrange(h)) for _ in range(5)], fill=colour)
        else:
            draw.line((x0, y0, x1, y1), fill=colour, width=rng.randint(2, 12))
    return _noisy(image, rng, 14).filter(ImageFilter.GaussianBlur(0.8))


def _gradient(size: tuple[int, int], a: tuple[int, ...], b: tuple[int, ...],
              vertical: bool) -> Image.Image:
    w, h = size
    steps = np.linspace(0.0, 1.0, h if vertical else w)[:, None]
    line = (np.array(a)[None, :] * (1 - steps) + np.array(b)[None, :] * steps)
    pixels = (np.repeat(line[:, None, :], w, axis=1) if vertical
              else np.repeat(line[None, :, :], h, axis=0))
    return Image.fromarray(pixels.astype(np.uint8), "RGB")


def _noisy(image: Image.Image, rng: random.Random, level: int) -> Image.Image:
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, level, (*image.size[::-1], 3))
    pixels = np.clip(np.asarray(image, dtype=np.float64) + noise, 0, 255)
    return Image.fromarray(pixels.astype(np.uint8), "RGB")


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def _resize(factor: float) -> Transform:
    return lambda im, _: im.resize((max(1, int(im.width * factor)),
                                    max(1, int(im.height * factor))), Image.Resampling.LANCZOS)


def _crop(share: float) -> Transform:
    def crop(im: Image.Image, rng: random.Random) -> Image.Image:
        dx, dy = int(im.width * share), int(im.height * share)
        left, top = rng.randint(0, dx), rng.randint(0, dy)  # shared unevenly between sides
        return im.crop((left, top, im.width - (dx - left), im.height - (dy - top)))
    return crop


def _brightness(factor: float) -> Transform:
    return lambda im, _: ImageEnhance.Brightness(im).enhance(factor)


def _caption(im: Image.Image, rng: random.Random) -> Image.Image:
    strip = int(im.height * 0.12)
    out = Image.new("RGB", (im.width, im.height + strip), (255, 255, 255))
    out.paste(im, (0, 0))
    draw = ImageDraw.Draw(out)
    draw.text((10, im.height + strip // 3), "Фото: дитина, 2022 р. " * 3, fill=(0, 0, 0))
    return out


def _screenshot(im: Image.Image, rng: random.Random) -> Image.Image:
    grey = rng.choice(((240, 240, 240), (30, 30, 30), (255, 255, 255)))
    pad, bar = int(im.width * 0.08), int(im.height * 0.06)
    out = Image.new("RGB", (im.width + 2 * pad, im.height + 2 * pad + bar), grey)
    out.paste(im, (pad, pad + bar))
    return out


def _both(*steps: Transform) -> Transform:
    def chain(im: Image.Image, rng: random.Random) -> Image.Image:
        for step in steps:
            im = step(im, rng)
        return im
    return chain


TRANSFORMS: dict[str, Transform | None] = {
    "same bytes": None,
    "resized 50%": _resize(0.5),
    "resized 25%": _resize(0.25),
    "JPEG q40": lambda im, _: im,
    "JPEG q60": lambda im, _: im,
    "JPEG q90": lambda im, _: im,
    "cropped 5%": _crop(0.05),
    "cropped 10%": _crop(0.10),
    "brighter 10%": _brightness(1.1),
    "darker 10%": _brightness(0.9),
    "caption strip": _caption,
    "screenshot frame": _screenshot,
    "resized+cropped 5%+q60": _both(_resize(0.6), _crop(0.05)),
    "screenshot+resized 50%": _both(_screenshot, _resize(0.5)),
}
QUALITY = {"JPEG q40": 40, "JPEG q60": 60, "JPEG q90": 90, "resized+cropped 5%+q60": 60}


@dataclass
class Picture:
    family: int
    kind: str
    sha: str
    hashes: dict[str, int]


def _picture(family: int, kind: str, data: bytes) -> Picture:
    found: list[PhotoHash] = photo_hashes(data, "image/jpeg")
    return Picture(family, kind, hashlib.sha256(data).hexdigest(),
                   {h.algorithm: h.value for h in found})


def build(seed: int, count: int) -> tuple[list[Picture], list[Picture]]:
    rng = random.Random(seed)
    originals, copies = [], []
    for family in range(count):
        size = (rng.randint(480, 900), rng.randint(480, 900))
        draw = _portrait if family % 2 == 0 else _scene
        image = draw(rng, size)
        data = _jpeg(image, rng.randint(85, 95))
        originals.append(_picture(family, "original", data))
        decoded = Image.open(io.BytesIO(data)).convert("RGB")
        for name, transform in TRANSFORMS.items():
            if transform is None:
                copies.append(_picture(family, name, data))
                continue
            quality = QUALITY.get(name, rng.randint(75, 92))
            copies.append(_picture(family, name, _jpeg(transform(decoded, rng), quality)))
    return originals, copies


def _distances(pictures: list[Picture], originals: list[Picture],
               algorithm: str) -> npt.NDArray[np.int64]:
    a = np.array([p.hashes[algorithm] for p in pictures], dtype=np.uint64)
    b = np.array([p.hashes[algorithm] for p in originals], dtype=np.uint64)
    return np.asarray(np.bitwise_count(a[:, None] ^ b[None, :]), dtype=np.int64)


@dataclass
class Result:
    recall: float
    per_kind: dict[str, float]
    false_flags: int
    different_pairs: int


def evaluate(flagged: np.ndarray, copies: list[Picture], originals: list[Picture],
             among: np.ndarray) -> Result:
    """``flagged``: copies × originals; ``among``: originals × originals."""
    own = np.array([c.family for c in copies])
    mine = flagged[np.arange(len(copies)), own]
    kinds: dict[str, list[bool]] = {}
    for copy, hit in zip(copies, mine, strict=True):
        kinds.setdefault(copy.kind, []).append(bool(hit))
    wrong = flagged.copy()
    wrong[np.arange(len(copies)), own] = False
    upper = np.triu(among, k=1)
    n = len(originals)
    different = len(copies) * (n - 1) + n * (n - 1) // 2
    return Result(float(mine.mean()), {k: sum(v) / len(v) for k, v in kinds.items()},
                  int(wrong.sum() + upper.sum()), different)


def rules(copies: list[Picture], originals: list[Picture]) -> dict[str, Callable[[int], tuple[
        np.ndarray, np.ndarray]]]:
    dist = {a: (_distances(copies, originals, a), _distances(originals, originals, a))
            for a in ("phash", "dhash")}
    return {
        "pHash": lambda t: (dist["phash"][0] <= t, dist["phash"][1] <= t),
        "dHash": lambda t: (dist["dhash"][0] <= t, dist["dhash"][1] <= t),
        "pHash and dHash": lambda t: ((dist["phash"][0] <= t) & (dist["dhash"][0] <= t),
                                      (dist["phash"][1] <= t) & (dist["dhash"][1] <= t)),
    }


def sha_baseline(copies: list[Picture], originals: list[Picture]) -> Result:
    a = np.array([c.sha for c in copies])[:, None] == np.array([o.sha for o in originals])
    among = np.array([o.sha for o in originals])[:, None] == np.array(
        [o.sha for o in originals])
    return evaluate(a, copies, originals, among)


def time_index(size: int, queries: int, seed: int) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 2**63, size=size, dtype=np.int64).astype(np.uint64) * 2
    index: PhotoIndex[int] = PhotoIndex()
    start = time.perf_counter()
    for i, v in enumerate(values):
        index.add(i, PhotoHash(0, "phash", f"{int(v):016x}", 100, 100))
    built = time.perf_counter() - start
    probes = [PhotoHash(0, "phash", f"{int(v) ^ 0b1011:016x}", 100, 100)
              for v in values[:queries]]
    start = time.perf_counter()
    for probe in probes:
        index.near(probe)
    return built, (time.perf_counter() - start) / queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--count", type=int, default=300, help="original pictures")
    parser.add_argument("--sweep", action="store_true", help="every threshold 4–20")
    parser.add_argument("--index-size", type=int, default=100_000)
    args = parser.parse_args()

    start = time.perf_counter()
    originals, copies = build(args.seed, args.count)
    took = time.perf_counter() - start
    print(f"seed {args.seed}: {len(originals)} originals, {len(copies)} copies "
          f"({len(TRANSFORMS)} kinds), drawn and hashed in {took:.1f} s")
    base = sha_baseline(copies, originals)
    print(f"\n{'rule':<22}{'t':>3}{'recall':>9}{'false flags':>13}{'of pairs':>11}")
    print(f"{'SHA-256':<22}{'-':>3}{base.recall:>9.3f}{base.false_flags:>13}"
          f"{base.different_pairs:>11}")
    thresholds = range(4, 21) if args.sweep else [THRESHOLDS["phash"]]
    results = {}
    for name, rule in rules(copies, originals).items():
        for t in thresholds:
            flagged, among = rule(t)
            result = evaluate(flagged, copies, originals, among)
            results[name, t] = result
            print(f"{name:<22}{t:>3}{result.recall:>9.3f}{result.false_flags:>13}"
                  f"{result.different_pairs:>11}")
    kinds = list(TRANSFORMS)
    chosen = [(name, t) for name, t in results if t == THRESHOLDS["phash"]]
    print(f"\nrecall per kind of copy at t={THRESHOLDS['phash']}")
    print(f"{'copy':<26}{'SHA-256':>9}" + "".join(f"{n:>17}" for n, _ in chosen))
    for kind in kinds:
        print(f"{kind:<26}{base.per_kind[kind]:>9.2f}"
              + "".join(f"{results[key].per_kind[kind]:>17.2f}" for key in chosen))
    built, per_query = time_index(args.index_size, 200, args.seed)
    print(f"\nPhotoIndex: {args.index_size:,} hashes added in {built:.2f} s, "
          f"{per_query * 1000:.2f} ms per look-up")


if __name__ == "__main__":
    main()
