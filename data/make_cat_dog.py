"""Make the synthetic "cat or dog" data set: data/cat_dog.csv.

The animals in this file are made up. Every row is drawn from simple, invented distributions so
that the two classes overlap a little and the best boundary between them is curved: cats sit in
the middle of the weight range, with toy dogs lighter than them and bigger dogs heavier. A single
straight line cannot fence the cats off on both sides; a small network with a hidden layer can.

Usage (from any working directory):

    python data/make_cat_dog.py          # (re)write data/cat_dog.csv next to this script
    python data/make_cat_dog.py --check  # exit 0 if data/cat_dog.csv is exactly what this
                                         # script makes, exit 1 (and say where) if it is not

The output is the same, byte for byte, on every machine: the random numbers come from
`numpy.random.RandomState` with a fixed seed, and every number is written with a fixed format.
"""

import argparse
import sys
from pathlib import Path

import numpy as np

CSV_PATH = Path(__file__).resolve().parent / "cat_dog.csv"
HEADER = ("weight_kg", "ear_length_cm", "label")

# `RandomState` is NumPy's legacy generator. NumPy promises to keep its stream of numbers frozen
# across versions (unlike `default_rng`, whose stream may change), so the same seed gives the same
# animals on every machine and every NumPy release.
SEED = 7

# One line per group of animals:
#   name, label (0 = cat, 1 = dog), how many,
#   weight in kg: (mean, standard deviation, lowest allowed, highest allowed),
#   ear length in cm: (mean, standard deviation, lowest allowed, highest allowed).
# Each value is drawn from a normal distribution; the rare draw outside the allowed range is
# moved to the nearest end of it (clipped). The numbers are invented, not measured.
GROUPS = (
    ("cats", 0, 150, (4.5, 0.8, 2.0, 8.0), (6.0, 0.7, 4.0, 9.0)),
    ("toy dogs", 1, 60, (2.6, 0.6, 1.0, 6.0), (7.6, 1.1, 5.0, 11.0)),
    ("medium and large dogs", 1, 90, (13.0, 4.0, 4.0, 40.0), (7.5, 1.8, 4.0, 13.0)),
)


def _draw(rng, count, mean, std, low, high):
    """`count` values from a normal distribution, clipped to [low, high], rounded to 2 places."""
    values = np.clip(rng.normal(mean, std, size=count), low, high)
    return np.round(values, 2)


def make_rows():
    """Return the data set as a list of (weight_kg, ear_length_cm, label) tuples.

    weight_kg and ear_length_cm are floats rounded to two decimal places; label is the int 0 for
    a cat or 1 for a dog. The rows are shuffled (with the same seed), so cats and dogs are mixed.
    """
    rng = np.random.RandomState(SEED)
    weights, ears, labels = [], [], []
    for _name, label, count, weight, ear in GROUPS:
        weights.append(_draw(rng, count, *weight))
        ears.append(_draw(rng, count, *ear))
        labels.append(np.full(count, label))
    weights, ears, labels = np.concatenate(weights), np.concatenate(ears), np.concatenate(labels)
    order = rng.permutation(len(labels))
    return [(float(weights[i]), float(ears[i]), int(labels[i])) for i in order]


def render_csv():
    """Return the full text of cat_dog.csv: a header line, then one line per animal."""
    lines = [",".join(HEADER)]
    lines += [f"{weight:.2f},{ear:.2f},{label:d}" for weight, ear, label in make_rows()]
    return "\n".join(lines) + "\n"


def check(path=CSV_PATH):
    """Compare the file at `path` with what this script makes.

    Returns None if they are the same, otherwise a sentence saying what differs. Line endings
    are not compared, so a checkout that turned "\\n" into "\\r\\n" still passes.
    """
    path = Path(path)
    if not path.exists():
        return f"{path} does not exist; run `python {Path(__file__).name}` to make it"
    expected = render_csv().splitlines()
    actual = path.read_text(encoding="utf-8").splitlines()
    for number, (want, got) in enumerate(zip(expected, actual), start=1):
        if want != got:
            return f"{path}, line {number}: expected {want!r}, but the file has {got!r}"
    if len(expected) != len(actual):
        return f"{path} has {len(actual)} lines, but the script makes {len(expected)}"
    return None


def main(argv=None):
    parser = argparse.ArgumentParser(description="Make the synthetic cat-or-dog data set.")
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the existing CSV differs from what this script makes",
    )
    args = parser.parse_args(argv)

    if args.check:
        problem = check(CSV_PATH)
        if problem:
            print(f"cat_dog.csv is out of date: {problem}", file=sys.stderr)
            print("Run `python data/make_cat_dog.py` to regenerate it.", file=sys.stderr)
            return 1
        print(f"{CSV_PATH} matches what make_cat_dog.py makes.")
        return 0

    text = render_csv()
    # newline="" writes "\n" as is, so the file has the same bytes on Windows too.
    with open(CSV_PATH, "w", encoding="utf-8", newline="") as file:
        file.write(text)
    print(f"Wrote {text.count(chr(10)) - 1} animals to {CSV_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
