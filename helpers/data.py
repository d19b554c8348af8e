"""Load the course's small data set, split it, and put its features on a common scale.

    X, y = load_cat_dog()                      # X: (300, 2) floats, y: (300,) ints, 0 = cat, 1 = dog
    X_train, X_test, y_train, y_test = train_test_split(X, y)
    scaler = Standardizer().fit(X_train)       # mean and spread of the TRAINING set only
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

The data set is synthetic; data/README.md says how it was made.
"""

import csv
import io
import math
from importlib import resources
from pathlib import Path

import numpy as np

from .validate import as_array, as_number, describe, positive_int



def _data_dir():
    """The installed package's helpers.course_data or, when Python imported the course's own
    helpers/ folder instead (started in the course's folder while the package is installed
    elsewhere, as on Binder), the data/ folder beside it."""
    try:
        return resources.files("helpers.course_data")
    except ModuleNotFoundError:
        beside = Path(__file__).resolve().parent.parent / "data"
        if (beside / "cat_dog.csv").is_file():
            return beside
        raise


DATA_DIR = _data_dir()
"""The data set's folder: data/ in the course's folder, installed with the package as
helpers.course_data. importlib.resources finds it wherever the package is installed, from any
working directory; Python started in the course's folder reads data/ directly."""

CAT_DOG_CSV = DATA_DIR / "cat_dog.csv"
CLASS_NAMES = ("cat", "dog")
"""CLASS_NAMES[label] is the name of a label: 0 is a cat, 1 is a dog."""
FEATURE_NAMES = ("weight_kg", "ear_length_cm")
"""The meaning of the columns of X: X[:, 0] is weight in kilograms, X[:, 1] ear length in cm."""

_HEADER = [*FEATURE_NAMES, "label"]


def load_cat_dog(path=None):
    """Read the cat-or-dog data set and return it as NumPy arrays.

    path: the CSV file to read, as a str or Path; None (the default) means data/cat_dog.csv.
    The file must start with the header `weight_kg,ear_length_cm,label`, followed by one animal
    per line: two finite numbers and a label, 0 for a cat or 1 for a dog. Blank lines are skipped.

    Returns (X, y):
        X: float64 array of shape (N, 2); column 0 is the weight in kg, column 1 the ear length
           in cm (see FEATURE_NAMES).
        y: int64 array of shape (N,); 0 for a cat, 1 for a dog (see CLASS_NAMES).

    Raises ValueError naming the file, the line number, what was expected and what came, if the
    file is not in that format, and FileNotFoundError if it does not exist.
    """
    if path is None:
        # as_file gives a real file even if the package was installed inside a zip archive.
        with resources.as_file(CAT_DOG_CSV) as course_copy:
            return load_cat_dog(course_copy)
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a file name (str or pathlib.Path) or None, but got {describe(path)}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"path {str(path)!r} is not a file that exists. Leave path out to read the course's own data set; "
            "the course's copy can be remade with `python data/make_cat_dog.py`."
        )

    features, labels = [], []
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    header = next(reader, None)
    if header is None or [field.strip() for field in header] != _HEADER:
        found = "an empty file" if header is None else repr(",".join(header))
        raise ValueError(f"{path}, line 1: expected the header {','.join(_HEADER)!r}, but found {found}")
    for row in reader:
        if not row or all(not field.strip() for field in row):
            continue
        line = reader.line_num
        features.append(_parse_row(row, path, line))
        labels.append(_parse_label(row[2], path, line))

    if not labels:
        raise ValueError(f"{path}: expected at least one animal after the header, but found none")
    return np.array(features, dtype=np.float64), np.array(labels, dtype=np.int64)


def _read_text(path):
    """The file's text, read as UTF-8, or a ValueError naming the file and the line that is not UTF-8.

    utf-8-sig: a file saved by Excel as "CSV UTF-8" starts with an invisible byte-order mark, which
    would otherwise stick to the first column's name and make a right header look wrong.
    """
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise ValueError(
            f"{path}, line {line}: the file is not UTF-8 text (the byte {raw[error.start]:#04x} is not UTF-8; a file "
            "saved in an older encoding such as Latin-1 or Windows-1252 has bytes like it). Open the file in a "
            "spreadsheet or text editor and save it again as \"CSV UTF-8\"."
        ) from None


def _parse_row(row, path, line):
    """The two features of one CSV row as floats, or a ValueError saying where and why."""
    if len(row) != 3:
        raise ValueError(
            f"{path}, line {line}: expected 3 values (weight_kg, ear_length_cm, label), "
            f"but found {len(row)}: {','.join(row)!r}"
        )
    values = []
    for name, text in zip(FEATURE_NAMES, row[:2]):
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise ValueError(f"{path}, line {line}: expected a finite number for {name}, but found {text.strip()!r}")
        values.append(value)
    return values


def _parse_label(text, path, line):
    """A label field as the int 0 or 1, or a ValueError saying where and why."""
    if text.strip() not in ("0", "1"):
        raise ValueError(f"{path}, line {line}: expected the label 0 (cat) or 1 (dog), but found {text.strip()!r}")
    return int(text)


def train_test_split(X, y, test_fraction=0.25, seed=0):
    """Shuffle the rows of X and y together and cut them into a training set and a test set.

    X: array of shape (N, D), one row per example.
    y: array of shape (N,), one label per row of X.
    test_fraction: the share of rows that goes to the test set, strictly between 0 and 1; the
        test set gets round(test_fraction * N) rows and the training set the rest.
    seed: a whole number >= 0. The same seed always gives the same split.

    Returns (X_train, X_test, y_train, y_test) with shapes (N - k, D), (k, D), (N - k,) and (k,),
    where k = round(test_fraction * N). X comes back as float64; y keeps its dtype. Every row ends
    up in exactly one of the two sets. The split is random, not stratified: the share of cats
    may differ a little between the two sets.
    """
    X = as_array(X, "X", ndim=2)
    y = np.asarray(y)
    if np.issubdtype(y.dtype, np.floating) and not np.all(np.isfinite(y)):
        raise ValueError(f"y contains NaN or inf at index {int(np.flatnonzero(~np.isfinite(y))[0])}; every label "
                         "must be a finite number")
    if y.ndim != 1:
        raise ValueError(f"y must be a 1-D array (one label per row of X), but it has shape {y.shape}")
    if len(y) != len(X):
        raise ValueError(
            f"X and y must have the same number of rows, but X has shape {X.shape} and y has shape {y.shape}"
        )
    test_fraction = as_number(test_fraction, "test_fraction")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1 (not including either), but got {test_fraction}")
    seed = positive_int(seed, "seed", minimum=0)

    n = len(y)
    n_test = round(test_fraction * n)
    if n_test == 0 or n_test == n:
        raise ValueError(
            f"with {n} rows and test_fraction={test_fraction}, the test set would get {n_test} rows "
            f"and the training set {n - n_test}; each needs at least one"
        )
    order = np.random.default_rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


class Standardizer:
    """Rescale each feature to mean 0 and standard deviation 1, using the training set's numbers.

    Weights in kg and ear lengths in cm live on different scales; gradient descent trains far
    better when every feature has a similar spread. Fit on the training set only, then transform
    every set with the same numbers, so nothing about the test set leaks into training:

        scaler = Standardizer().fit(X_train)
        X_train_s = scaler.transform(X_train)
        X_test_s = scaler.transform(X_test)

    After fit, `mean` and `std` are float64 arrays of shape (D,): each column's mean and
    (population, ddof=0) standard deviation in the training set.
    """

    def __init__(self):
        self.mean = None
        self.std = None

    def fit(self, X):
        """Learn each column's mean and standard deviation from X, shape (N, D). Returns self."""
        X = as_array(X, "X", ndim=2)
        with np.errstate(over="ignore", invalid="ignore"):
            mean, std = X.mean(axis=0), X.std(axis=0)
        if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(std))):
            # Values near 1e308 overflow the sums: divide each column by its largest size first,
            # then scale the mean and spread back.
            size = np.max(np.abs(X), axis=0)
            size[size == 0] = 1.0
            mean, std = (X / size).mean(axis=0) * size, (X / size).std(axis=0) * size
        flat = np.flatnonzero(std == 0)
        if flat.size:
            column = int(flat[0])
            raise ValueError(
                f"column {column} of X has the same value ({X[0, column]}) in every row, so it cannot be "
                "standardised: its standard deviation is 0"
            )
        self.mean = mean
        self.std = std
        return self

    def transform(self, X):
        """Return (X - mean) / std as a new float64 array of the same shape (M, D) as X."""
        X = self._check(X)
        with np.errstate(over="ignore", invalid="ignore"):
            return self._finite((X - self.mean) / self.std, X)

    def fit_transform(self, X):
        """fit(X), then transform(X): the standardised training set, shape (N, D)."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X):
        """Undo transform: return X * std + mean, in the original units, same shape (M, D) as X."""
        X = self._check(X)
        with np.errstate(over="ignore", invalid="ignore"):
            return self._finite(X * self.std + self.mean, X)

    @staticmethod
    def _finite(result, X):
        if not np.all(np.isfinite(result)):
            raise ValueError(f"X holds values as large as {np.max(np.abs(X)):.3g}, too far from the data this "
                             "Standardizer was fitted on: the result overflows floating-point numbers")
        return result

    def _check(self, X):
        if self.mean is None:
            raise RuntimeError("this Standardizer has not been fitted yet; call fit(X_train) first")
        X = as_array(X, "X", ndim=2)
        if X.shape[1] != len(self.mean):
            raise ValueError(
                f"X must have {len(self.mean)} columns, like the data this Standardizer was fitted on, "
                f"but it has shape {X.shape}"
            )
        return X

    def __repr__(self):
        if self.mean is None:
            return "Standardizer(not fitted)"
        def numbers(values):
            return "[" + ", ".join(f"{v:.6g}" for v in values) + "]"

        return f"Standardizer(mean={numbers(self.mean)}, std={numbers(self.std)})"
