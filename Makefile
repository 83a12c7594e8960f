# Quick start: `make report` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report test lint typecheck strip lab bench lock clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The versions in requirements.lock: the same pages, byte for byte, on every machine.
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	# An editable install leaves out the package's data files (share/jupyter/...); register
	# the kernel and link the nbconvert template here (a regular or conda install has both).
	$(BIN)/python -m ipykernel install --sys-prefix --name klachten --display-name "Klachten (.venv)" >/dev/null
	mkdir -p $(VENV)/share/jupyter/nbconvert/templates
	ln -sfn $(CURDIR)/klachtlib/templates/klachten $(VENV)/share/jupyter/nbconvert/templates/klachten
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

# Notebooks are committed without outputs; the same arguments as .pre-commit-config.yaml.
NBSTRIPOUT := $(BIN)/nbstripout --keep-id --extra-keys metadata.language_info

test: lint typecheck node_modules/axe-core/axe.min.js
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(NBSTRIPOUT) --verify notebooks/*.ipynb

# mypy on klachtlib ([tool.mypy] in pyproject.toml); `make test` runs it too.
typecheck: $(STAMP)
	$(BIN)/python -m mypy

# Strip outputs from the notebooks (what the pre-commit hook does on commit).
strip: $(STAMP)
	$(NBSTRIPOUT) notebooks/*.ipynb

# JupyterLab on notebooks/, with the analyst's exploration notebook (verkenning.ipynb) open.
lab: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[lab]'
	cd notebooks && $(CURDIR)/$(BIN)/jupyter lab verkenning.ipynb

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

# After a change of dependencies in pyproject.toml: install without the lock, then pin.
lock:
	$(BIN)/python -m pip install --quiet --upgrade -e '.[dev]'
	{ echo "# Exact versions for byte-identical pages on every machine: make installs with -c requirements.lock."; \
	  echo "# Regenerate after changing dependencies in pyproject.toml: make lock."; \
	  $(BIN)/python -m pip freeze --exclude-editable; } > requirements.lock

clean:
	rm -rf $(VENV) node_modules reports/*/
