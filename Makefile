# b4b-kit: `make demo` builds every case study and serves the dashboards; `make test` runs the suite.
# Both create .venv and install the kit into it first (once; again when pyproject.toml changes).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SERVE  ?= 1
PORT   ?= 8866
BUILD  ?= build

.PHONY: setup demo serve cases lint test test-fast bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("b4b-kit needs Python >= 3.11, this is " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

# Every case study with its default parameters, into build/cases/.
cases: $(STAMP)
	@for c in $$($(BIN)/b4b cases list --names); do \
	  $(BIN)/b4b run $$c --out $(BUILD)/cases || exit 1; \
	done

demo: cases
ifeq ($(SERVE),0)
	@echo "Built: $(BUILD)/cases (SERVE=0: not serving)."
else
	@$(MAKE) --no-print-directory serve
endif

serve: $(STAMP)
	$(BIN)/b4b serve --port=$(PORT)

# The pre-commit hooks on every file: ruff (as configured in pyproject.toml) and notebooks without outputs.
lint: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pre-commit run --all-files --show-diff-on-failure

# Lint; the docstring examples; unit tests; lessons and case studies in a real kernel (nbval) and through
# papermill; exercise sources and student versions through the grader; dashboards in Voila and Chromium.
test: lint
	$(BIN)/python -m pytest b4b_kit tests notebooks --nbval-lax --nbval-current-env -p no:cacheprovider

# Everything but the real-browser tests.
test-fast: lint
	$(BIN)/python -m pytest b4b_kit tests notebooks --nbval-lax --nbval-current-env -p no:cacheprovider -m "not browser"

bench: $(STAMP)
	@for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(BUILD) .pytest_cache
