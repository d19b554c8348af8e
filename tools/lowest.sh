#!/usr/bin/env bash
# The unit tests with every dependency at the lowest version pyproject.toml declares, on the lowest
# Python it declares (3.10): what a learner gets who already has older packages that still satisfy
# the floors. It makes a fresh virtual environment in a temporary folder, installs uv from PyPI into
# it, installs the course with uv's `--resolution lowest-direct` (each package pyproject.toml names at
# its floor, the packages those need at their newest that fit) and runs tests/ without the browser
# tests on two workers. The notebooks are not compared here: their saved outputs follow the newest
# versions. `make lowest` runs it; CI runs it before `make test`. About 4 minutes on 2 cores.
#
# Which Python: $LOWEST_PYTHON if set; otherwise python3.10 on PATH; otherwise pyenv's 3.10
# (`pyenv prefix 3.10`, or ~/.pyenv/versions/3.10.*). Without any of them it says so and runs on
# python3 instead, which tests the floors of the packages but not Python's own.
set -euo pipefail
cd "$(dirname "$0")/.."

is_310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }

find_python() {
  if [ -n "${LOWEST_PYTHON:-}" ]; then echo "$LOWEST_PYTHON"; return; fi
  local candidate
  # (pyenv's shim for python3.10 is on PATH even where pyenv would refuse to run it, hence the check.)
  for candidate in "$(command -v python3.10)" "$(pyenv prefix 3.10 2>/dev/null)/bin/python" \
      "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10.*/bin/python /root/.pyenv/versions/3.10.*/bin/python; do
    if [ -x "$candidate" ] && is_310 "$candidate"; then echo "$candidate"; return; fi
  done
}

PYTHON="$(find_python)"
if [ -z "$PYTHON" ]; then
  PYTHON=python3
  echo "lowest: no Python 3.10 found (set LOWEST_PYTHON to one); using $(command -v python3)," \
       "$($PYTHON -c 'import sys; print(sys.version.split()[0])'): the packages' floors are tested, Python's is not" >&2
fi
"$PYTHON" -c 'import sys; assert sys.version_info >= (3, 10), "Python 3.10 or newer is needed, found " + sys.version.split()[0]'

started=$SECONDS
WORK="$(mktemp -d "${TMPDIR:-/tmp}/course-lowest.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
VENV="$WORK/venv"
echo "lowest: a fresh venv with $("$PYTHON" -c 'import sys; print(sys.version.split()[0])') in $VENV"
"$PYTHON" -m venv "$VENV"
PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install --quiet uv
# The install is from a copy of the files git would commit (or, outside a git checkout, of everything
# but the venv and build leftovers), so nothing built lands in this folder.
mkdir "$WORK/project"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' name; do
    if [ -f "$name" ]; then mkdir -p "$WORK/project/$(dirname "$name")" && cp -p "$name" "$WORK/project/$name"; fi
  done
else
  tar --exclude=./.venv --exclude=./build --exclude='*.egg-info' -cf - . | tar -xf - -C "$WORK/project"
fi
"$VENV/bin/uv" pip install --quiet --python "$VENV/bin/python" --resolution lowest-direct "$WORK/project[tools,test]"
echo "lowest: installed in $((SECONDS - started)) s:"
"$VENV/bin/uv" pip list --python "$VENV/bin/python" 2>/dev/null \
  | awk 'NR > 2 { printf "%s %s  ", $1, $2 } END { print "" }' | fold -s -w 110 | sed 's/^/  /'

# The tests import the course's helpers/ and tools/ from this folder, as `make unit` does (a kernel they
# start imports the installed copy). test_installed_course.py is left out: it installs binder/'s pins,
# which are the newest versions, not the lowest.
MPLBACKEND=module://matplotlib_inline.backend_inline PYTHONHASHSEED=0 \
  "$VENV/bin/python" -m pytest -p no:cacheprovider -q -n 2 --dist loadfile -m "not browser" \
  --ignore tests/install/test_installed_course.py tests
echo "lowest: done in $((SECONDS - started)) s"
