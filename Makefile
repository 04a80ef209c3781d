.PHONY: run test lint format bench

run:        ## install and run the demo on SQLite
	bash scripts/run.sh

test:       ## install everything and run the whole suite (SQLite, PostGIS, Chromium)
	bash scripts/test.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .
