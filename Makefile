.PHONY: run test test-fast test-random test-unlocked lock lint format bench

run:        ## install and run the demo on SQLite
	bash scripts/run.sh

test:       ## install everything and run the whole suite (SQLite, PostGIS, Chromium)
	bash scripts/test.sh

test-fast:  ## everything but the browser and PostGIS tests, in well under a minute
	bash scripts/venv.sh test
	.venv/bin/python -m pytest -m "not browser and not postgis" -q

test-random: ## the whole suite in a random order (repeat one: bash scripts/test.sh -p randomly --randomly-seed=N)
	bash scripts/test.sh -p randomly

test-unlocked: ## the whole suite against the newest releases pyproject.toml allows (.venv-unlocked)
	PLEKKEN_UNLOCKED=1 bash scripts/test.sh

lock:       ## refresh requirements/*.txt (pinned, hashed) from the ranges in pyproject.toml
	bash scripts/lock.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .
