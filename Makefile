# The course's commands. `make lab` opens the course; `make test` checks all of it.
# Both create .venv on first use (and again whenever pyproject.toml changes).
# A learner works in their own copies (my-notebooks/, ignored by git); notebooks/ stays as published.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
COPIES := my-notebooks
FIRST_NOTEBOOK := 00_welcome.ipynb
# Extra options for JupyterLab, e.g. LAB_OPTIONS=--no-browser (the tests use it), or a --ServerApp.port.
LAB_OPTIONS ?=
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
NBVAL := --nbval --nbval-sanitize-with tests/sanitize.cfg --nbval-cell-timeout=120
# The tests run on WORKERS processes (pytest-xdist), three on CI's two cores: the browser tests spend much
# of their time waiting for the page and the kernels, which a third worker fills (on 2 cores the suite took
# 332 s of wall time with 2 workers, 263 s with 3). A whole file goes to one worker, in order, so a
# notebook's cells share one kernel as in nbval alone. tests/conftest.py says which files start first.
WORKERS ?= 3
PARALLEL := -n $(WORKERS) --dist loadgroup --no-loadscope-reorder
# Plots are drawn off-screen and widgets are rendered as text, so runs are the same everywhere.
export MPLBACKEND := module://matplotlib_inline.backend_inline
export PYTHONHASHSEED := 0
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# `make quick`, for the edit loop: the maths, the checks and exercises, every widget swept headless (kernel
# versions) with every page module's words, and every notebook under strict nbval; about 45 s on 2 cores, on the
# same three workers as make test (each notebook's kernel leaves its worker waiting, which a third worker fills).
QUICK := $(foreach name,activations losses network autograd gradients_vs_finite_differences \
	numerical_gradient_layers two_two_one two_two_two training checks codecheck number_answers \
	exercises_nb00 exercises_nb01 exercises_nb02 exercises_nb03 exercises_nb04 exercises_nb05 exercises_nb06 \
	exercises_nb06_fork exercises_nb07 exercises_nb08 exercises_nb09 exercises_nb10 modes slowdown recipe recipe_bugs \
	exercises_nb07_ninja exercises_nb09_bugs autograd_nn widget_sweep notice,$(wildcard tests/*/test_$(name).py))

.PHONY: help lab fresh test quick unit lowest notebooks check bench book clean

help:
	@echo "make lab        open the course in JupyterLab, in your own copies in $(COPIES)/ (installs on first use)"
	@echo "make fresh NB=04   restore one of your notebooks to a fresh copy (yours is kept in $(COPIES)/replaced/)"
	@echo "make fresh      restore every notebook in $(COPIES)/ the same way"
	@echo "make test       run every test: helpers, widgets, notebooks (nbval), browser (WORKERS=3 at once)"
	@echo "make quick      the edit loop: maths, checks, exercises, widgets headless, notebooks (nbval); no browser"
	@echo "make unit       every test but the browser ones and the notebooks"
	@echo "make lowest     the unit tests on Python 3.10 with every package at its lowest declared version"
	@echo "make check NB=notebooks/04_backprop_by_hand.ipynb   re-run and compare one notebook"
	@echo "make notebooks  re-execute every notebook in place (after changing helpers)"
	@echo "make bench      measure how fast the course runs"
	@echo "make book       build site/: a read-only copy of the course that opens from disk, offline"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python 3.10 or newer is needed, found " + sys.version.split()[0]'
	@if ! $(BIN)/python -c 'import sys' >/dev/null 2>&1; then \
		echo "Creating $(VENV) ..."; rm -rf $(VENV); $(PYTHON) -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# The course, the tools that re-execute the notebooks and build the book, and the test tools.
	$(BIN)/python -m pip install --quiet -e '.[tools,test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (course)" >/dev/null
	@# Load the friendly note for a NameError in every kernel, even before a notebook imports helpers.
	$(BIN)/python -m helpers.friendly --kernel-config >/dev/null
	@# Build matplotlib's font cache now, so no notebook ever prints the one-time notice.
	$(BIN)/python -c "import matplotlib.pyplot" >/dev/null 2>&1
	@touch $(STAMP)

# Containers often run as root, which JupyterLab refuses unless told; elsewhere nothing is added.
AS_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

# The link JupyterLab prints (and the page it opens) is the learner's own notebook 00.
lab: $(STAMP)
	@$(BIN)/python -m tools.copies --course notebooks --copies $(COPIES)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/$(COPIES)/$(FIRST_NOTEBOOK) --LabApp.app_settings_dir="$(CURDIR)/.jupyter" --LabApp.extension_manager=readonly $(AS_ROOT) $(LAB_OPTIONS)

fresh: $(STAMP)
	@$(BIN)/python -m tools.copies --course notebooks --copies $(COPIES) --fresh $(or $(NB),all)

test: $(STAMP)
	$(BIN)/python -m pytest $(PARALLEL) tests $(NBVAL) $(NOTEBOOKS) -p no:cacheprovider

quick: $(STAMP)
	$(BIN)/python -m pytest $(PARALLEL) $(QUICK) $(NBVAL) $(NOTEBOOKS) -p no:cacheprovider

unit: $(STAMP)
	$(BIN)/python -m pytest $(PARALLEL) tests -m "not browser" -p no:cacheprovider

check: $(STAMP)
	$(BIN)/python -m pytest $(NBVAL) $(NB) -p no:cacheprovider

notebooks: $(STAMP)
	$(BIN)/python -m tools.execute $(NOTEBOOKS)

bench: $(STAMP)
	$(BIN)/python bench/bench.py

# Needs no .venv: it makes its own, in a temporary folder (tools/lowest.sh says how it finds Python 3.10).
lowest:
	bash tools/lowest.sh

book: $(STAMP)
	$(BIN)/python -m tools.book --out site

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
