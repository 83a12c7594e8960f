# Quick start: `make report` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report test lint lab bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name klachten --display-name "Klachten (.venv)" >/dev/null
	$(BIN)/python -m compileall -q klachtlib  # bytecode even where PYTHONDONTWRITEBYTECODE is set
	touch $(STAMP)

# axe-core and the Nu HTML checker (vnu-jar, run with Debian's Java) for the accessibility tests;
# skipped (tests say so) where npm is missing. --ignore-scripts: vnu-jar's postinstall would
# download a Java runtime when none is installed; we use the system's (default-jre-headless).
node_modules/axe-core/axe.min.js: package.json
	@if command -v npm >/dev/null; then npm install --no-audit --no-fund --silent --ignore-scripts; touch $@; \
	else echo "npm ontbreekt: de toegankelijkheidstests worden overgeslagen."; fi

report: $(STAMP)
	$(BIN)/klachten report

test: $(STAMP) node_modules/axe-core/axe.min.js
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check .

lab: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[lab]'
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) node_modules reports/*/
