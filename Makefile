# The two commands of the README are `make serve` and `make test`; each installs what it needs.
SHELL := /bin/bash
VENV := .venv/bin
export SITE_URL ?= http://127.0.0.1:8000/
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test unit browser lint links freeze-defaults freshness bench clean

serve:  ## build the site and serve it at http://127.0.0.1:8000 (rebuilds on change)
	@scripts/setup.sh site
	$(VENV)/mkdocs serve --strict -a 127.0.0.1:8000

build:
	@scripts/setup.sh site
	$(VENV)/mkdocs build --strict

test:  ## every test: lint, unit tests + doctests + Hypothesis, strict build, browser tests
	@scripts/setup.sh test
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	$(VENV)/python -m pytest

links:  ## append new pages, sections and named scenarios to tests/published_links.txt
	@scripts/setup.sh site
	$(VENV)/mkdocs build --strict -q -d .cache/links-site
	$(VENV)/python -m mkdocs_calculators.sitelinks .cache/links-site tests/published_links.txt --data data --update

freeze-defaults:  ## after changing a default: start the next link version from today's defaults (data/link-defaults/vN.yaml)
	@scripts/setup.sh site
	$(VENV)/python -m mkdocs_calculators.sitelinks --freeze data

freshness:  ## list price figures older than 180 days (not those marked historical: true)
	@scripts/setup.sh site
	$(VENV)/python -m mkdocs_calculators.freshness data

bench:  ## performance figures of the built site (prints tables); e.g. BENCH_ARGS="--profiles fast,10mbit"
	@scripts/setup.sh bench
	$(VENV)/python tests/benchmarks/bench_pages.py $(BENCH_ARGS)
	$(VENV)/python tests/benchmarks/bench_training_file.py

clean:
	rm -rf site .stamps .pytest_cache .hypothesis
