"""The cat-or-dog data set, its generator, and the helpers that load, split and scale it."""

import importlib.util
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers.data import (
    CLASS_NAMES,
    DATA_DIR,
    FEATURE_NAMES,
    Standardizer,
    load_cat_dog,
    train_test_split,
)

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "data" / "make_cat_dog.py"
CSV = ROOT / "data" / "cat_dog.csv"
GOOD_HEADER = "weight_kg,ear_length_cm,label\n"


def _load_script():
    spec = importlib.util.spec_from_file_location("make_cat_dog", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_cat_dog = _load_script()


def _write(tmp_path, text, name="animals.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the committed file and the script that makes it ------------------------------------------


def test_committed_csv_equals_what_the_script_makes():
    # Line endings are normalised so a checkout that turned \n into \r\n still compares equal.
    committed = CSV.read_bytes().replace(b"\r\n", b"\n")
    assert committed == make_cat_dog.render_csv().encode("utf-8"), (
        "data/cat_dog.csv is not what data/make_cat_dog.py makes; run `python data/make_cat_dog.py`"
    )


def test_script_gives_the_same_rows_every_time():
    assert make_cat_dog.make_rows() == make_cat_dog.make_rows()


def test_check_flag_passes_from_any_working_directory(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_check_names_the_first_line_that_differs(tmp_path):
    lines = make_cat_dog.render_csv().splitlines(keepends=True)
    lines[5] = "99.99,99.99,1\n"
    path = _write(tmp_path, "".join(lines))
    problem = make_cat_dog.check(path)
    assert problem is not None and "line 6" in problem and "99.99" in problem
    assert make_cat_dog.check(_write(tmp_path, make_cat_dog.render_csv(), "same.csv")) is None
    assert "does not exist" in make_cat_dog.check(tmp_path / "missing.csv")


def test_every_line_has_the_documented_header_and_number_format():
    lines = CSV.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "weight_kg,ear_length_cm,label"
    row = re.compile(r"\d+\.\d\d,\d+\.\d\d,[01]")
    bad = [(number, line) for number, line in enumerate(lines[1:], start=2) if not row.fullmatch(line)]
    assert not bad, f"lines not in the form 12.34,5.67,0: {bad[:3]}"


def test_readme_describes_the_seed_and_groups_the_script_uses():
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert f"RandomState({make_cat_dog.SEED})" in readme
    for name, label, count, weight, ear in make_cat_dog.GROUPS:
        cells = [f"{m:g} ± {sd:g} ({low:g} to {high:g})" for m, sd, low, high in (weight, ear)]
        row = f"| {name} | {label} | {count} | {cells[0]} | {cells[1]} |"
        assert row in readme, f"data/README.md should have the table row {row!r}"
    first_lines = "\n".join(make_cat_dog.render_csv().splitlines()[:5])
    assert first_lines in readme, "the sample lines in data/README.md should be the file's first lines"


# --- load_cat_dog -------------------------------------------------------------------------------


def test_loader_returns_float_features_and_integer_labels():
    X, y = load_cat_dog()
    assert X.dtype == np.float64 and X.shape == (300, 2)
    assert y.dtype == np.int64 and y.shape == (300,)
    assert set(np.unique(y)) == {0, 1}
    assert len(FEATURE_NAMES) == X.shape[1] and CLASS_NAMES == ("cat", "dog")


def test_loader_finds_the_data_from_any_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    X, _ = load_cat_dog()
    assert len(X) == 300
    assert DATA_DIR == CSV.parent


def test_both_classes_are_present_in_roughly_equal_numbers():
    _, y = load_cat_dog()
    assert np.count_nonzero(y == 0) == 150 and np.count_nonzero(y == 1) == 150
    # Shuffled, so the first rows a learner sees show both cats and dogs.
    assert set(y[:10]) == {0, 1}


def test_features_are_physically_plausible():
    X, y = load_cat_dog()
    weight, ear = X[:, 0], X[:, 1]
    assert np.all((weight > 0.5) & (weight < 50)), "every animal weighs between 0.5 and 50 kg"
    assert np.all((ear > 2) & (ear < 20)), "every ear is between 2 and 20 cm long"
    assert np.all(weight[y == 0] < 10), "no cat weighs 10 kg or more"


@pytest.mark.parametrize(
    "bad_line, expected",
    [
        ("4.5,6.1", "expected 3 values"),
        ("4.5,6.1,0,7", "expected 3 values"),
        ("heavy,6.1,0", "expected a finite number for weight_kg"),
        ("4.5,nan,0", "expected a finite number for ear_length_cm"),
        ("4.5,6.1,cat", "expected the label 0 (cat) or 1 (dog)"),
        ("4.5,6.1,2", "expected the label 0 (cat) or 1 (dog)"),
    ],
)
def test_malformed_file_names_the_line(tmp_path, bad_line, expected):
    path = _write(tmp_path, GOOD_HEADER + "4.20,6.00,0\n20.00,9.50,1\n" + bad_line + "\n3.00,7.00,1\n")
    with pytest.raises(ValueError) as error:
        load_cat_dog(path)
    message = str(error.value)
    assert str(path) in message and "line 4" in message and expected in message and "but found" in message


def test_wrong_header_is_reported_on_line_1(tmp_path):
    path = _write(tmp_path, "weight,ears,label\n4.20,6.00,0\n")
    with pytest.raises(ValueError, match=r"line 1: expected the header 'weight_kg,ear_length_cm,label'.*'weight,ears,label'"):
        load_cat_dog(path)


def test_empty_or_header_only_file_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="an empty file"):
        load_cat_dog(_write(tmp_path, "", "empty.csv"))
    with pytest.raises(ValueError, match="at least one animal"):
        load_cat_dog(_write(tmp_path, GOOD_HEADER, "header_only.csv"))


def test_blank_lines_are_skipped_and_line_numbers_stay_true(tmp_path):
    path = _write(tmp_path, GOOD_HEADER + "4.20,6.00,0\n\n20.00,9.50,1\n\n")
    X, y = load_cat_dog(path)
    assert X.tolist() == [[4.2, 6.0], [20.0, 9.5]] and y.tolist() == [0, 1]
    with pytest.raises(ValueError, match="line 5"):
        load_cat_dog(_write(tmp_path, GOOD_HEADER + "4.20,6.00,0\n\n20.00,9.50,1\n4.5,x,0\n", "bad.csv"))


def test_missing_file_and_wrong_path_type_are_explained(tmp_path):
    with pytest.raises(FileNotFoundError, match="make_cat_dog.py"):
        load_cat_dog(tmp_path / "nowhere.csv")
    with pytest.raises(TypeError, match="path must be"):
        load_cat_dog(42)


# --- train_test_split --------------------------------------------------------------------------


def _numbered(n=20):
    """X whose first column is the row number, so a split can be traced back to the rows."""
    X = np.c_[np.arange(n, dtype=float), np.ones(n)]
    y = np.arange(n) % 2
    return X, y


def test_split_is_deterministic_for_a_seed_and_disjoint():
    X, y = _numbered()
    first = train_test_split(X, y, seed=3)
    again = train_test_split(X, y, seed=3)
    other = train_test_split(X, y, seed=4)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[1], other[1]), "a different seed gives a different split"

    X_train, X_test, y_train, y_test = first
    train_ids, test_ids = X_train[:, 0].astype(int), X_test[:, 0].astype(int)
    assert set(train_ids).isdisjoint(test_ids)
    assert sorted([*train_ids, *test_ids]) == list(range(20)), "every row lands in exactly one set"
    np.testing.assert_array_equal(y_train, train_ids % 2)  # labels stay with their rows
    np.testing.assert_array_equal(y_test, test_ids % 2)


def test_split_sizes_follow_test_fraction():
    X, y = load_cat_dog()
    X_train, X_test, y_train, y_test = train_test_split(X, y)
    assert X_train.shape == (225, 2) and X_test.shape == (75, 2)
    assert y_train.shape == (225,) and y_test.shape == (75,) and y_test.dtype == np.int64
    assert len(train_test_split(X, y, test_fraction=0.1)[1]) == 30


@pytest.mark.parametrize("fraction", [0, 1, -0.25, 1.5, math.nan])
def test_split_rejects_bad_fraction(fraction):
    X, y = _numbered()
    with pytest.raises(ValueError, match="test_fraction"):
        train_test_split(X, y, test_fraction=fraction)


def test_split_rejects_a_fraction_given_as_text():
    X, y = _numbered()
    with pytest.raises(TypeError, match="test_fraction"):
        train_test_split(X, y, test_fraction="0.25")


def test_split_rejects_mismatched_lengths_naming_both_shapes():
    X, y = _numbered()
    with pytest.raises(ValueError, match=r"X has shape \(20, 2\) and y has shape \(19,\)"):
        train_test_split(X, y[:-1])


def test_split_rejects_wrong_dimensions():
    X, y = _numbered()
    with pytest.raises(ValueError, match="X must be a 2-D array"):
        train_test_split(X[:, 0], y)
    with pytest.raises(ValueError, match=r"y must be a 1-D array.*\(20, 1\)"):
        train_test_split(X, y[:, None])


def test_split_needs_a_row_on_each_side():
    X, y = _numbered(3)
    with pytest.raises(ValueError, match="each needs at least one"):
        train_test_split(X, y, test_fraction=0.1)
    with pytest.raises(ValueError, match="each needs at least one"):
        train_test_split(X, y, test_fraction=0.9)


def test_split_rejects_a_negative_or_fractional_seed():
    X, y = _numbered()
    with pytest.raises(ValueError, match="seed"):
        train_test_split(X, y, seed=-1)
    with pytest.raises(TypeError, match="seed"):
        train_test_split(X, y, seed=1.5)


# --- Standardizer -------------------------------------------------------------------------------


def test_standardizer_uses_training_statistics_only():
    X, y = load_cat_dog()
    X_train, X_test, _, _ = train_test_split(X, y)
    scaler = Standardizer().fit(X_train)
    np.testing.assert_allclose(scaler.mean, X_train.mean(axis=0))
    np.testing.assert_allclose(scaler.std, X_train.std(axis=0))

    train_s, test_s = scaler.transform(X_train), scaler.transform(X_test)
    np.testing.assert_allclose(train_s.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(train_s.std(axis=0), 1)
    np.testing.assert_allclose(test_s, (X_test - X_train.mean(axis=0)) / X_train.std(axis=0))
    assert not np.allclose(test_s.mean(axis=0), 0), "the test set is scaled with the training numbers"

    before = scaler.mean.copy()
    scaler.transform(X_test * 100)
    np.testing.assert_array_equal(scaler.mean, before)  # transform never refits


def test_standardizer_round_trips_to_the_original_units():
    X, _ = load_cat_dog()
    scaler = Standardizer()
    np.testing.assert_allclose(scaler.inverse_transform(scaler.fit_transform(X)), X)


def test_standardizer_explains_what_it_cannot_do():
    with pytest.raises(RuntimeError, match="not been fitted"):
        Standardizer().transform(np.ones((3, 2)))
    with pytest.raises(ValueError, match="column 1 of X has the same value"):
        Standardizer().fit(np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]]))
    with pytest.raises(ValueError, match="NaN"):
        Standardizer().fit(np.array([[1.0, 5.0], [np.nan, 6.0]]))
    with pytest.raises(ValueError, match="2-D"):
        Standardizer().fit(np.array([1.0, 2.0, 3.0]))
    scaler = Standardizer().fit(np.array([[1.0, 5.0], [2.0, 6.0]]))
    with pytest.raises(ValueError, match=r"must have 2 columns.*\(2, 3\)"):
        scaler.transform(np.ones((2, 3)))


# --- what the data is for -------------------------------------------------------------------------


def test_a_straight_line_does_well_but_a_curved_boundary_does_better():
    X, y = load_cat_dog()
    Z = Standardizer().fit_transform(X)

    # Best straight line by least squares: targets -1 for cats, +1 for dogs.
    A = np.c_[Z, np.ones(len(Z))]
    w, *_ = np.linalg.lstsq(A, 2.0 * y - 1.0, rcond=None)
    line_accuracy = np.mean((A @ w > 0) == y)
    assert 0.70 < line_accuracy < 0.90, f"a straight line gets {line_accuracy:.1%}"

    # A boundary free to bend: each animal takes the majority vote of its 5 nearest neighbours
    # (leaving itself out). If that does clearly better, the classes are learnable, just not by a line.
    distances = ((Z[:, None, :] - Z[None, :, :]) ** 2).sum(axis=-1)
    np.fill_diagonal(distances, np.inf)
    nearest = np.argsort(distances, axis=1)[:, :5]
    neighbour_accuracy = np.mean((y[nearest].mean(axis=1) > 0.5) == y)
    assert neighbour_accuracy > 0.92, f"5 nearest neighbours get {neighbour_accuracy:.1%}"
    assert neighbour_accuracy > line_accuracy + 0.08


def test_the_data_is_found_beside_the_courses_own_helpers_when_no_course_data_package_is_importable():
    """Binder's route: the package installed into the environment (not editable), Python started in the
    course's folder, so `import helpers` finds the folder, which has no helpers.course_data."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = (
        "import importlib.abc, sys\n"
        "class NoCourseData(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'helpers.course_data':\n"
        "            raise ModuleNotFoundError(\"No module named 'helpers.course_data'\", name=name)\n"
        "sys.meta_path.insert(0, NoCourseData())\n"
        "import helpers.data\n"
        "X, y = helpers.data.load_cat_dog()\n"
        "print(helpers.data.DATA_DIR, X.shape)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    folder, rows, columns = done.stdout.strip().rsplit(" ", 2)
    assert Path(folder) == root / "data" and (rows, columns) == ("(300,", "2)")
